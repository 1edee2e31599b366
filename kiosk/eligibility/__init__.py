"""Rules-as-code eligibility: the rule pack, the three-valued engine and the questionnaire.

Qt-free and pure: the kiosk, the CLI (``kiosk policies ...``) and tests call the same
functions. The application service (:mod:`kiosk.eligibility.apply`) is imported on its own
because it needs the database.
"""

from kiosk.eligibility.engine import Decision, Reason, Status, evaluate
from kiosk.eligibility.errors import PackError, Problem
from kiosk.eligibility.facts import check_facts
from kiosk.eligibility.pack import Mode, Policy, RulePack, load_pack, load_pack_files
from kiosk.eligibility.questions import Option, Question, next_question
from kiosk.eligibility.scenarios import ScenarioReport, run_scenarios
from kiosk.eligibility.store import PackStore, validate_pack

__all__ = [
    "Decision",
    "Mode",
    "Option",
    "PackError",
    "PackStore",
    "Policy",
    "Problem",
    "Question",
    "Reason",
    "RulePack",
    "ScenarioReport",
    "Status",
    "check_facts",
    "evaluate",
    "load_pack",
    "load_pack_files",
    "next_question",
    "run_scenarios",
    "validate_pack",
]
