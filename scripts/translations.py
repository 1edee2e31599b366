"""The English catalogue: extract resident texts, update the .po, compile the .mo, check.

    .venv/bin/python scripts/translations.py update   # extract + merge into en/kiosk.po
    .venv/bin/python scripts/translations.py compile  # kiosk.po -> kiosk.mo
    .venv/bin/python scripts/translations.py check    # what tests/test_i18n.py runs
    .venv/bin/python scripts/translations.py fill FILE.json  # {chinese: english} into the .po

Messages are the Chinese strings passed to ``kiosk.i18n.tr`` / ``N_`` in kiosk/ and ui/.
Babel (dev extra) does the extraction and the .po/.mo formats; the kiosk itself reads the .mo
with the standard library's gettext.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "kiosk.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"tr": None, "N_": None}
SOURCES = ("kiosk", "ui")
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^}]*)?\}")


def template() -> Catalog:
    """Every message in the code, with where it is used."""
    catalog = Catalog(project="lexy-kiosk", locale=None)
    for package in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("i18n:",), strip_comment_tags=True):
            if isinstance(message, str) and message:
                catalog.add(message, locations=[(f"{package}/{filename}", lineno)],
                            auto_comments=comments, context=context)
    return catalog


def load() -> Catalog:
    if not PO.is_file():
        return Catalog(locale="en", project="lexy-kiosk")
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def save(catalog: Catalog) -> None:
    catalog.fuzzy = False  # the header: a fuzzy header is left out of the .mo (no charset)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=False, omit_header=False)


def update() -> Catalog:
    catalog = load()
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()  # removed from the code: not worth keeping
    save(catalog)
    return catalog


def fill(path: Path) -> int:
    """Set translations from a JSON object {chinese: english}; returns how many were set."""
    import json

    pairs = json.loads(path.read_text(encoding="utf-8"))
    catalog = load()
    done = 0
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.id in pairs:
            message.string = pairs[message.id]
            message.flags.discard("fuzzy")
            done += 1
    save(catalog)
    return done


def compiled(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def problems() -> list[str]:
    """What is wrong with the catalogue, one line each (empty: all good)."""
    out: list[str] = []
    catalog = load()
    known = {m.id: m for m in catalog if m.id}
    for message in template():
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        entry = known.get(message.id)
        if entry is None or not entry.string:
            out.append(f"untranslated ({where}): {message.id!r}")
            continue
        if entry.fuzzy:
            out.append(f"fuzzy ({where}): {message.id!r}")
        text = entry.string if isinstance(entry.string, str) else entry.string[0]
        if sorted(PLACEHOLDER.findall(str(message.id))) != sorted(PLACEHOLDER.findall(text)):
            out.append(f"placeholders differ ({where}): {message.id!r} -> {text!r}")
        if re.search(r"[\u4e00-\u9fff]", text):
            out.append(f"Chinese left in the English text ({where}): {text!r}")
    if not MO.is_file() or MO.read_bytes() != compiled(catalog):
        out.append(f"{MO.relative_to(ROOT)} is not compiled from {PO.name}: run "
                   "`.venv/bin/python scripts/translations.py compile`")
    return out


def main(argv: list[str]) -> int:
    action = argv[1] if len(argv) > 1 else "check"
    if action == "update":
        catalog = update()
        missing = sum(1 for m in catalog if m.id and not m.string)
        print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages, {missing} untranslated")
        return 0
    if action == "fill" and len(argv) > 2:
        for name in argv[2:]:
            print(f"{name}: {fill(Path(name))} translations set")
        return 0
    if action == "compile":
        MO.write_bytes(compiled(load()))
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    if action == "check":
        found = problems()
        for line in found:
            print(line)
        print("catalogue complete" if not found else f"{len(found)} problems")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
