"""The facts vocabulary of contracts/resident-facts.md, as types the rule pack is checked against.

Keeping the vocabulary in code (not in the pack) means a policy officer's typo in a fact
name or an enum value is caught by ``kiosk policies lint`` instead of silently making a
condition "unknown" forever. Normalisation turns JSON values (ISO date strings) into Python
ones once per evaluation and drops ill-typed values to *unknown* rather than crashing a
resident's screen; :func:`check_facts` reports them for the CLI and the logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "CARD_FACTS",
    "DERIVED",
    "FACTS",
    "SOURCES",
    "FactType",
    "check_facts",
    "normalize_facts",
]

SOURCES = ("card", "central", "declared")


@dataclass(frozen=True)
class FactType:
    """One fact's JSON type: bool, int, str, date or list (with allowed values if an enum)."""

    kind: str
    allowed: frozenset[str] | None = None  # enum values (str) or list item values (list)
    minimum: int | None = None
    maximum: int | None = None


def _enum(*values: str) -> FactType:
    return FactType("str", frozenset(values))


EDUCATION_LEVELS = ("none", "primary", "junior_high", "senior_high", "secondary_vocational",
                    "junior_college", "bachelor", "master", "doctor")
DIFFICULTY_CATEGORIES = ("4050", "zero_employment_household", "long_term_unemployed",
                         "released_or_rehabilitated", "low_income_household",
                         "major_illness_dependant", "single_parent", "disabled",
                         "veteran_in_difficulty", "graduate_unemployed_1y", "other")

FACTS: dict[str, FactType] = {
    # identity (card)
    "id_number": FactType("str"),
    "name": FactType("str"),
    "gender": _enum("male", "female"),
    "birth_date": FactType("date"),
    "card_type": _enum("resident", "hk_macau_taiwan_permit", "foreign_permanent_resident"),
    "card_address": FactType("str"),
    # household registration and status (central)
    "hukou_region_code": FactType("str"),
    "hukou_tianjin": FactType("bool"),
    "hukou_rural": FactType("bool"),
    "owns_contracted_farmland": FactType("bool"),
    "employment_status": _enum("employed", "unemployed", "flexible", "self_employed",
                               "student", "retired"),
    "unemployment_registered_on": FactType("date"),
    "pes_contact_quarters_last_year": FactType("int", minimum=0, maximum=4),
    "ui_contribution_months": FactType("int", minimum=0),
    "flexible_employment_registered_on": FactType("date"),
    "difficulty_certified_on": FactType("date"),
    "difficulty_categories": FactType("list", frozenset(DIFFICULTY_CATEGORIES)),
    # household circumstances
    "zero_employment_household": FactType("bool"),
    "low_income_household": FactType("bool"),
    "single_parent": FactType("bool"),
    "major_illness_dependant": FactType("bool"),
    "disabled": FactType("bool"),
    "veteran": FactType("bool"),
    # education
    "education_level": _enum(*EDUCATION_LEVELS),
    "full_time_graduate": FactType("bool"),
    "graduation_date": FactType("date"),
    "school_in_tianjin": FactType("bool"),
    # entrepreneurship
    "business_registered_on": FactType("date"),
    "business_employees_insured": FactType("int", minimum=0),
    "completed_entrepreneurship_training_on": FactType("date"),
    "received": FactType("list"),  # allowed values: the pack's policy ids (checked at load)
    # declared at the kiosk
    "able_to_work": FactType("bool"),
    "willing_to_work": FactType("bool"),
    "wants_to_start_business": FactType("bool"),
}

CARD_FACTS = frozenset({"id_number", "name", "gender", "birth_date", "card_type",
                        "card_address"})

# Derived facts: computed by the engine from these base facts, never supplied.
DERIVED: dict[str, tuple[str, ...]] = {
    "age": ("birth_date",),
    "working_age": ("birth_date", "gender"),
}


def _parse(name: str, value: Any, ftype: FactType) -> Any:
    """The Python value for one JSON fact value; raises ValueError naming the problem."""
    if value is None:
        return None
    kind = ftype.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true, false or null")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number or null")
        if ftype.minimum is not None and value < ftype.minimum:
            raise ValueError(f"must be at least {ftype.minimum}")
        if ftype.maximum is not None and value > ftype.maximum:
            raise ValueError(f"must be at most {ftype.maximum}")
        return value
    if kind == "date":
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("must be a date YYYY-MM-DD or null")
    if kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings or null")
        if ftype.allowed is not None:
            bad = [v for v in value if v not in ftype.allowed]
            if bad:
                raise ValueError(f"unknown value(s) {', '.join(map(repr, bad))}")
        return frozenset(value)
    if not isinstance(value, str):
        raise ValueError("must be a string or null")
    if ftype.allowed is not None and value not in ftype.allowed:
        raise ValueError(f"must be one of {', '.join(sorted(ftype.allowed))}")
    return value


def normalize_facts(facts: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Facts with Python values (dates, frozensets), and problems for the ones dropped.

    An ill-typed value becomes *unknown* (the key is dropped), never false, so a bad record
    from the server makes the kiosk ask or refer to staff instead of deciding wrongly.
    Names outside the vocabulary are kept out too (and reported) so typos are visible.
    """
    clean: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in facts.items():
        ftype = FACTS.get(name)
        if ftype is None:
            if name in DERIVED:
                problems.append(f"{name}: is computed by the engine, not supplied")
            else:
                problems.append(f"{name}: not a fact of the vocabulary")
            continue
        try:
            clean[name] = _parse(name, value, ftype)
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    return clean, problems


def check_facts(facts: Mapping[str, Any], sources: Mapping[str, str] | None = None
                ) -> list[str]:
    """Every problem with a facts/sources pair, for callers that must refuse bad input."""
    problems = normalize_facts(facts)[1]
    for name, source in (sources or {}).items():
        if source not in SOURCES:
            problems.append(f"sources.{name}: must be one of {', '.join(SOURCES)}")
    return problems
