from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongban.governance.reference import CATEGORY_FILE, load_categories


class Command(BaseCommand):
    help = "Load the default event category tree (missing categories only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(CATEGORY_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        created, kept = load_categories(Path(options["file"]))
        self.stdout.write(f"categories: {created} created, {kept} already present")
