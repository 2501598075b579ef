"""The ``tongban`` console script: one door for operators.

``tongban demo``, ``tongban serve`` and ``tongban load_regions`` are the
platform's own commands; every other Django command works through it too
(``tongban migrate``, ``tongban createsuperuser`` ...). ``--data-dir DIR`` (or
``TONGBAN_DATA_DIR``) says where the embedded database and files live, unless
``DATABASE_URL`` names another database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _pop_data_dir(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--data-dir" and i + 1 < len(argv):
            value = argv[i + 1]
            del argv[i : i + 2]
            return value
        if arg.startswith("--data-dir="):
            del argv[i]
            return arg.split("=", 1)[1]
    return None


# Operator-facing names that are not valid Python module names.
ALIASES = {
    "verify-certificate": "verify_certificate",
    "verify-archive": "verify_archive",
    "supervise-events": "supervise_events",
    "evaluate-warnings": "evaluate_warnings",
    "load-occupations": "load_occupations",
    "rotate-signing-key": "rotate_signing_key",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args[0] = ALIASES[args[0]]
    data_dir = _pop_data_dir(args)
    if data_dir:
        os.environ["TONGBAN_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    if not os.environ.get("DATABASE_URL"):
        Path(os.environ.get("TONGBAN_DATA_DIR", "var")).mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tongban", *args])


if __name__ == "__main__":
    main()
