"""Run the risk-warning rules once (schedule it, e.g. every hour); idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.core.audit import acting_as
from tongban.governance.risk_warnings import evaluate, install_default_rules


class Command(BaseCommand):
    help = "风险预警: evaluate every active warning rule; one open warning per rule and subject."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to evaluate as (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="count, write nothing")
        parser.add_argument(
            "--install-defaults",
            action="store_true",
            help="first create the default rules that are missing (edited rules are kept)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: not a date: {options['date']}") from exc
        with acting_as(None):
            if options["install_defaults"]:
                self.stdout.write(f"default rules created: {install_default_rules()}")
            result = evaluate(today, dry_run=options["dry_run"])
        for code, n in result.by_rule.items():
            self.stdout.write(f"{code}: {n} subject(s)")
        prefix = "(dry run) " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}raised {result.raised}, updated {result.updated}, "
            f"kept closed {result.kept_closed}"
        )
