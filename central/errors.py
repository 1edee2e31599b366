"""One exception type for every refusal, so each endpoint answers ``{error, detail}`` alike."""

from __future__ import annotations


class ApiError(Exception):
    """A refusal with its HTTP status, a machine-readable ``error`` and a ``detail`` for
    technicians (never personal data)."""

    def __init__(self, status: int, error: str, detail: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}
