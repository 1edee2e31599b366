"""`kiosk self-test`: is this machine ready to serve residents?

Each check returns a :class:`Check` with a plain cause, so a technician reads the report
instead of a log. The Qt part (window, screens, fonts as Qt sees them) is added by
ui/selftest_ui.py when Qt is available.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from kiosk.app import Services
from kiosk.paths import resource
from kiosk.store.engine import current_revision, head_revision


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _guard(name: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except Exception as exc:  # a check that crashes is a failed check, not a crashed test
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def check_database(services: Services) -> Check:
    ok, detail = services.db.integrity_ok()
    if not ok:
        return Check("database", False, f"integrity_check: {detail}")
    current, head = current_revision(services.db.engine), head_revision()
    if current != head:
        return Check("database", False, f"schema at {current}, expected {head}")
    return Check("database", True, f"{services.db.path} (schema {current})")


def check_resources() -> Check:
    needed = [("fonts", "wqy-microhei.ttc"), ("fonts", "LICENSE-wqy-microhei.txt"),
              ("theme", "kiosk.qss"), ("demo", "cards.json")]
    missing = [("/".join(p)) for p in needed if not resource(*p).is_file()]
    if missing:
        return Check("resources", False, "missing: " + ", ".join(missing))
    return Check("resources", True, str(resource()))


def check_translations() -> Check:
    """The English catalogue loads and translates (a build that lost resources/locale would
    leave English-speaking residents with Chinese screens and no error)."""
    import gettext

    from kiosk.i18n import DOMAIN

    catalogue = gettext.translation(DOMAIN, localedir=str(resource("locale")), languages=["en"])
    english = catalogue.gettext("找工作")
    if english == "找工作":
        return Check("translations", False, "the English catalogue does not translate 找工作")
    return Check("translations", True, f"English: {len(catalogue._catalog) - 1} messages")  # type: ignore[attr-defined]


def check_font_for_print() -> Check:
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("KioskCJK", str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0)
    if not font.face.charWidths:
        raise RuntimeError("font has no glyph widths")
    return Check("font", True, "WenQuanYi Micro Hei (TrueType, embeddable)")


def check_disk(services: Services) -> Check:
    free = shutil.disk_usage(services.dirs.data).free
    mb = free // (1024 * 1024)
    return Check("disk", mb >= 200, f"{mb} MB free in {services.dirs.data}")


def _sam_status(port: str, baud: int) -> tuple[bool, str]:
    from drivers.idcard import commands
    from drivers.idcard.transport import SerialTransport

    with SerialTransport.open(port, baud) as transport:
        reply = transport.transact(commands.SAM_STATUS)
    return reply.ok, reply.describe()


def check_reader(services: Services) -> Check:
    """Open the configured reader and ask its security module (SAM) whether it is well."""
    config = services.config.reader
    if config.kind == "none":
        return Check("card_reader", True, "no reader configured")
    if config.kind == "simulated":
        from drivers.idcard.simulator import SimulatedReader

        sim = SimulatedReader(baud=config.baud)
        try:
            ok, text = _sam_status(sim.start(), config.baud)
        finally:
            sim.stop()
        return Check("card_reader", ok, f"simulated reader: SAM {text}")
    ok, text = _sam_status(config.port, config.baud)
    return Check("card_reader", ok, f"{config.port}: SAM {text}")


def check_policies(services: Services) -> Check:
    from kiosk.eligibility import run_scenarios

    pack = services.policies.current
    report = run_scenarios(pack)
    ok = not report.failures
    return Check("policy_pack", ok, f"rule pack {pack.version}: {len(pack.policies)} policies, "
                 f"{report.scenarios} scenarios"
                 + ("" if ok else f", {len(report.failures)} failing"))


def check_printer(services: Services) -> Check:
    config = services.config.printer
    if config.backend == "none":
        return Check("printer", True, "no printer configured")
    status = services.printing.check()
    return Check("printer", not status.blocked, f"{config.backend} {config.width}: "
                 f"{status.summary()}")


def check_receipt(services: Services) -> Check:
    from kiosk.documents.samples import sample

    pdf = services.render_document(sample("application"))
    return Check("receipt", pdf.startswith(b"%PDF"), f"sample receipt rendered ({len(pdf)} B)")


def core_checks(services: Services) -> list[Check]:
    checks = [
        Check("config", True, "station " + services.config.station.name),
        _guard("database", lambda: check_database(services)),
        _guard("resources", check_resources),
        _guard("font", check_font_for_print),
        _guard("translations", check_translations),
        _guard("disk", lambda: check_disk(services)),
        _guard("card_reader", lambda: check_reader(services)),
        _guard("policy_pack", lambda: check_policies(services)),
        _guard("printer", lambda: check_printer(services)),
        _guard("receipt", lambda: check_receipt(services)),
    ]
    return checks
