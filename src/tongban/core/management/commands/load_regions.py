from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import Progress

from tongban.core.regions import DEFAULT_DEEP_PROVINCES, level_counts, load_regions


class Command(BaseCommand):
    help = (
        "Load statistical division codes (NBS 2023): the whole country to county level "
        "and the named provinces to village level; --full loads every village in the country."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="load all five levels for the whole country"
        )
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="2-digit province code (or longer prefix) to load to village level; repeatable "
            f"(default: {', '.join(DEFAULT_DEEP_PROVINCES)})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prefixes = tuple(options["provinces"] or DEFAULT_DEEP_PROVINCES)
        with Progress(disable=not self.stdout.isatty()) as bar:
            task = bar.add_task("regions", total=None)
            selected = load_regions(
                full=options["full"],
                deep_prefixes=prefixes,
                progress=lambda n: bar.advance(task, n),
            )
        self.stdout.write(f"selected from file: {sum(selected.values())} rows {dict(selected)}")
        in_db = level_counts()
        self.stdout.write("regions in database: " + ", ".join(f"{k} {v}" for k, v in in_db.items()))
