"""The words the policy screens use for decisions, reasons, answers and guides.

Kept apart from the widgets so the results list, the 为什么 page, the confirmation, the receipt
and the printed guide say the same thing in the same words. Nothing here touches Qt.

Screens show these words in the resident's language: the tables are marked with ``N_`` and
translated where shown (``tr(MODE_LABEL[mode])``); the ``receipt_*`` and ``guide_entry`` /
``printed_conditions`` texts go on paper, and official records stay Chinese. Texts that come
from the policy pack (names, conditions, materials, offices) are content and stay as written;
:func:`reason_text` and friends pass them through ``tr`` only so the few condition texts the
pack loader writes itself (kiosk.eligibility.pack) come out translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from kiosk.documents.model import Station
from kiosk.eligibility import Decision, Mode, Option, Policy, Question, Reason, RulePack, Status
from kiosk.eligibility.facts import DERIVED
from kiosk.eligibility.pack import DEFAULT_AMOUNT_TEXT, Condition
from kiosk.eligibility.questions import question_for
from kiosk.i18n import N_, tr

#: How a benefit reaches the resident, in the words of the brief (the pack's own
#: MODE_TEXT says 快申快享 for "apply", which residents do not know).
MODE_LABEL = {Mode.AUTO: N_("免申即享"), Mode.CONFIRM: N_("意愿确认"), Mode.APPLY: N_("需申请")}
SOURCE_LABEL = {"card": N_("身份证"), "central": N_("人社记录"), "declared": N_("您的回答")}
RESULT_MARK = {True: N_("【符合】"), False: N_("【不符合】"), None: N_("【待确认】")}
GROUP_TITLE = {Status.ELIGIBLE: N_("可以享受"), Status.NEEDS_INFO: N_("需要补充信息"),
               Status.INELIGIBLE: N_("暂不符合")}
GROUP_ORDER = (Status.ELIGIBLE, Status.NEEDS_INFO, Status.INELIGIBLE)

AUTO_NOTE = N_("无需申请，符合条件将自动享受；请确认您的意愿")
LIKELY_TEXT = N_("可能符合（需核实）")
STAFF_NOTE = N_("该项政策标准待更新，请咨询工作人员")  # = kiosk.eligibility.engine.STAFF_TEXT
DISCLAIMER = N_("以上为自助机初步判断，最终以人社部门审核结果为准。")
UNKNOWN_PREFIX = "待确认："  # how the pack words an unknown condition (pack.py default)
NO_OFFICE = N_("请咨询服务站工作人员")
ANY_OF = N_("{condition}（符合以下任一项即可）")
STAFF_SUFFIX = f"（{STAFF_NOTE}）"  # engine.py: an unknown condition waiting on a lapsed rule


def can_apply(decision: Decision) -> bool:
    """一键申报 is offered for eligible decisions and for likely ones still needing a check."""
    return decision.status is Status.ELIGIBLE or (
        decision.status is Status.NEEDS_INFO and decision.likely)


def apply_label(decision: Decision) -> str:
    return tr("确认享受") if decision.mode is Mode.AUTO else tr("一键申报")


def status_line(decision: Decision) -> str:
    """The conclusion in one short phrase (the card header and the 为什么 page)."""
    if decision.status is Status.ELIGIBLE:
        return tr(LIKELY_TEXT) if decision.likely else tr("符合条件")
    if decision.status is Status.NEEDS_INFO:
        return tr(LIKELY_TEXT) if decision.likely else tr("需要补充信息")
    return tr("根据您的回答，暂不符合") if decision.likely else tr("暂不符合")


def receipt_decision(decision: Decision) -> str:
    """The judgement printed on the 申请回执."""
    if decision.status is Status.ELIGIBLE:
        return "可能符合条件（需工作人员核实）" if decision.likely else "初步符合条件"
    return "尚需补充信息，由工作人员核实"


def amount_line(decision: Decision) -> str:
    """What the policy gives, for the screen."""
    return shown_amount(decision.amount_text)


def shown_amount(amount_text: str) -> str:
    """An amount text on screen: the pack's own words, or 以审核结果为准 translated."""
    text = amount_text or DEFAULT_AMOUNT_TEXT
    return tr(text) if text == DEFAULT_AMOUNT_TEXT else text


def receipt_amount(decision: Decision) -> str | None:
    """None prints the receipt's own 以审核结果为准."""
    text = decision.amount_text
    return None if not text or text == DEFAULT_AMOUNT_TEXT else text


def where_line(where: Mapping[str, str] | None) -> str:
    """Where to go, as printed (Chinese); screens show :func:`where_text`."""
    where = where or {}
    parts = [p for p in (where.get("office", ""), where.get("how", "")) if p]
    return "；".join(parts) or NO_OFFICE


def where_text(where: Mapping[str, str] | None) -> str:
    """Where to go, on screen: the pack's office and how, or "ask the staff" translated."""
    line = where_line(where)
    return tr(line) if line == NO_OFFICE else line


def base_facts(names: Iterable[str]) -> list[str]:
    """Reason facts as supplied facts (``age`` rests on the birth date from the card)."""
    out: list[str] = []
    for name in names:
        for base in DERIVED.get(name, (name,)):
            if base not in out:
                out.append(base)
    return out


def reason_sources(fact_names: Iterable[str], sources: Mapping[str, str]) -> list[str]:
    """Where the known facts behind one reason came from: 身份证 / 人社记录 / 您的回答."""
    labels: list[str] = []
    for fact in base_facts(fact_names):
        label = SOURCE_LABEL.get(sources.get(fact, ""))
        if label and tr(label) not in labels:
            labels.append(tr(label))
    return labels


def rests_on_answers(fact_names: Iterable[str], sources: Mapping[str, str]) -> bool:
    return any(sources.get(f) == "declared" for f in base_facts(fact_names))


def reason_depth(condition_id: str) -> int:
    """Nested conditions ("category.age_4050") are shown indented under their group."""
    return condition_id.count(".")


def reason_text(reason: Reason) -> str:
    """A condition's text beside its mark (the mark already says 待确认), on screen.

    The pack's own texts stay as written; the ones the kiosk words itself (the "not received
    before" condition, the note on a lapsed rule) are translated.
    """
    if reason.result is not None:
        return tr(reason.text)
    text = reason.text.removeprefix(UNKNOWN_PREFIX)
    if text.endswith(STAFF_SUFFIX):
        return tr("{condition}（{note}）").format(
            condition=tr(text.removesuffix(STAFF_SUFFIX)), note=tr(STAFF_NOTE))
    return tr(text)


def unknown_text(reason: Reason) -> str:
    """An unknown condition on its own, without a mark beside it (as the pack words it)."""
    if reason.text.startswith(UNKNOWN_PREFIX):
        return tr("待确认：{condition}").format(condition=reason_text(reason))
    return reason_text(reason)


def receipt_reasons(decision: Decision, sources: Mapping[str, str]) -> list[str]:
    """Each condition as printed: its text, marked where it rests on the resident's word;
    a group's deciding conditions follow it with a dash."""
    lines: list[str] = []
    for reason in decision.reasons:
        text = ("— " if reason_depth(reason.condition) else "") + reason.text
        if reason.result is not None and rests_on_answers(reason.facts, sources):
            text += "（本人申报，待核实）"
        lines.append(text)
    return lines


def answer_text(question: Question | None, value: Any) -> str:
    """A declared value as the resident chose it ("半年以内", not an ISO date), on screen."""
    if question is not None:
        if isinstance(value, list):
            if not value:
                return tr("都没有")
            chosen = set(value)
            labels = [option_label(question, o) for o in question.options
                      if isinstance(o.value, list) and o.value and set(o.value) <= chosen]
            if labels:
                return tr("、").join(labels)
        else:
            for option in question.options:
                if option.value == value:
                    return option_label(question, option)
    if value is None:
        return tr("没有")
    if isinstance(value, bool):
        return tr("是") if value else tr("否")
    if isinstance(value, list):
        return tr("、").join(str(v) for v in value) or tr("都没有")
    return str(value)


def option_label(question: Question, option: Option) -> str:
    """An answer's words on screen: the pack's labels as written, the kiosk's own (是 / 否,
    years) translated. Years are recognised by the question's kind, not by their text."""
    if question.kind == "year" and isinstance(option.value, str) and option.value[:4].isdigit():
        return tr("{year}年").format(year=option.value[:4])
    return tr(option.label)


def question_text(question: Question) -> str:
    """The question as asked (pack content), with the kiosk's "choose any" note."""
    text = question.text
    if question.multiple and "多选" not in text:  # the pack's text may say so already
        text += tr("（可多选）")
    return text


def declared_answers(pack: RulePack, declared: Mapping[str, Any], on: date
                     ) -> list[tuple[str, str]]:
    """(question, answer) for every fact the resident answered, in questionnaire order."""
    order = {fact: spec.order for fact, spec in pack.questions.items()}
    rows: list[tuple[str, str]] = []
    for fact in sorted(declared, key=lambda f: (order.get(f, 1_000), f)):
        question = question_for(pack, fact, on)
        asked = question.text if question is not None else fact
        rows.append((asked, answer_text(question, declared[fact])))
    return rows


def _same(text: str) -> str:
    return text


def condition_lines(policy: Policy, translate: Callable[[str], str] = _same
                    ) -> list[tuple[int, str]]:
    """The conditions in plain words for the guide, as (depth, text): a group's choices
    follow it one level deeper. Paper takes them as written (Chinese); the screen passes
    ``translate=tr``."""
    lines: list[tuple[int, str]] = []

    def add(cond: Condition, depth: int) -> None:
        if cond.kind == "any":
            lines.append((depth, translate(ANY_OF).format(condition=translate(cond.text))))
            for child in cond.children:
                add(child, depth + 1)
        else:  # a check, or an all/not group whose text already says it in full
            lines.append((depth, translate(cond.text)))

    for cond in policy.conditions:
        add(cond, 0)
    return lines


def printed_conditions(policy: Policy) -> list[str]:
    """Conditions as bullet lines on paper: a group's choices numbered under it."""
    out: list[str] = []
    number = 0
    for depth, text in condition_lines(policy):
        number = number + 1 if depth else 0
        out.append(f"（{number}）{text}" if depth else text)
    return out


def guide_entry(policy: Policy, amount_text: str, station: Station) -> dict[str, Any]:
    """One policy as the printed 办事指南 (kiosk.documents.PolicyGuide) wants it."""
    where = policy.where or {}
    notes = [f"办理方式：{MODE_LABEL[policy.mode]}。{where.get('how', '')}".rstrip("。") + "。"]
    if policy.deadline_text:
        notes.append(f"办理期限：{policy.deadline_text}")
    return {
        "name": policy.name,
        "summary": policy.summary,
        "amount": amount_text or DEFAULT_AMOUNT_TEXT,
        "conditions": printed_conditions(policy),
        "materials": list(policy.materials),
        "office": where.get("office") or station.address,
        "note": "".join(notes),
    }
