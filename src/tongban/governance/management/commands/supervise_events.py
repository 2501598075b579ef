"""Run the supervision of overdue events once (schedule it, e.g. every morning)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.governance.services import supervise


class Command(BaseCommand):
    help = "催办 / 通报 / 提级: supervise the events past their working-day deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to supervise as (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date: {options['date']}") from exc
        result = supervise(today)
        self.stdout.write(
            f"urged {result.urged}, reported {result.reported}, escalated {result.escalated}"
        )
