"""Errors a resident's action can end in: each carries a plain ``message`` for the screen, in
the resident's language when it is made (kiosk.i18n), while ``str(error)`` keeps the cause
for staff and logs (never personal data)."""

from __future__ import annotations

from kiosk.i18n import N_, tr


class SubmissionError(Exception):
    """Base of the refusals a screen shows to the resident."""

    #: Chinese, marked for the catalogue: shown through tr()
    default_message = N_("暂时无法提交，请稍后再试或联系工作人员。")

    def __init__(self, message: str | None = None, detail: str = "") -> None:
        self.message = message or tr(self.default_message)
        super().__init__(detail or self.message)


class ValidationError(SubmissionError):
    """One field the resident filled in is not acceptable; ``field`` names it."""

    def __init__(self, field: str, message: str, detail: str = "") -> None:
        super().__init__(message, detail or f"invalid {field}")
        self.field = field


class ConsentRequired(SubmissionError):  # noqa: N818 (a refusal, named as the screen says it)
    default_message = N_("报名需要您同意把姓名和联系方式提供给用人单位和就业红娘。")


class AlreadySignedUp(SubmissionError):  # noqa: N818 (name fixed by the submissions contract)
    default_message = N_("您已经报名过这个岗位了，就业红娘会尽快与您联系，请耐心等待。")


class JobUnavailable(SubmissionError):  # noqa: N818
    default_message = N_("这个岗位已经过期或下架了，请看看其他岗位。")
