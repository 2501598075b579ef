from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def bench_dir() -> Path:
    """``bench/`` of the source checkout (beside ``src/``), or of the current directory."""
    beside_source = Path(__file__).resolve().parents[5] / "bench"
    for candidate in (Path.cwd() / "bench", beside_source):
        if candidate.is_dir():
            return candidate
    raise CommandError("bench/ not found: run from the source checkout")


class Command(BaseCommand):
    help = "Run a benchmark from bench/ (e.g. `tongban bench verify`); it prints ratios."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="benchmark name: bench/NAME.py")
        parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="everything after NAME goes to the benchmark"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = bench_dir()
        script = directory / f"{options['name']}.py"
        if not script.is_file():
            names = sorted(p.stem for p in directory.glob("[a-z]*.py") if p.stem != "harness")
            raise CommandError(f"no benchmark {options['name']!r}; available: {', '.join(names)}")
        # a process of its own: the benchmark configures Django for its own data directory
        # and database, which this process (already set up for the default one) cannot
        completed = subprocess.run([sys.executable, str(script), *args], check=False)  # noqa: S603
        if completed.returncode:
            raise SystemExit(completed.returncode)
