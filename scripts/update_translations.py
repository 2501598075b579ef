"""Refresh the English catalogue from the sources and fill it from translation tables.

    python scripts/update_translations.py [TABLE.json ...]

Runs ``makemessages -l en --no-obsolete`` in ``src/tongban``, fills every empty or
fuzzy entry whose Chinese msgid appears in one of the JSON tables (``{"中文": "English"}``;
tables under ``src/tongban/locale/pending/`` are read by default), compiles the catalogue
and lists what is still untranslated. Exits with 1 when something is left.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "tongban"
PO_FILE = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
PENDING = PACKAGE / "locale" / "pending"


def load_tables(paths: list[Path]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        table.update(json.loads(path.read_text(encoding="utf-8")))
    return table


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(PENDING.glob("*.json"))
    table = load_tables(paths)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=PACKAGE,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tongban.settings"},
    )
    catalogue = polib.pofile(str(PO_FILE))
    filled = 0
    for entry in catalogue:
        if entry.msgstr and "fuzzy" not in entry.flags:
            continue
        english = table.get(entry.msgid)
        if english is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: english, 1: table.get(entry.msgid_plural, english)}
        else:
            entry.msgstr = english
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        entry.previous_msgid_plural = None
        filled += 1
    catalogue.save(str(PO_FILE))
    subprocess.run(
        [sys.executable, "-m", "django", "compilemessages", "-l", "en"],
        cwd=PACKAGE,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tongban.settings"},
    )
    left = [
        e.msgid
        for e in polib.pofile(str(PO_FILE))
        if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete
    ]
    print(f"filled {filled}; untranslated {len(left)}")
    for msgid in left:
        print(f"  {msgid}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
