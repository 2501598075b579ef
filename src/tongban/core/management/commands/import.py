from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from tongban.core.importing.commands import acting_user
from tongban.core.importing.export import write_template
from tongban.core.importing.jobs import create_job, may_import, run_job
from tongban.core.importing.kinds import REGISTRY, get_kind
from tongban.core.importing.loader import Counts
from tongban.core.importing.report import save_report
from tongban.core.models import ImportStatus


class Command(BaseCommand):
    help = (
        "Import a .xlsx or .csv file of KIND (people, organizations, employment, certificates, …): "
        "`tongban import KIND FILE [--mode strict|partial] [--errors REPORT]`, or write the "
        "template with `tongban import KIND --template FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="kind of records")
        parser.add_argument("file", nargs="?", help=".xlsx or .csv file to import")
        parser.add_argument("--mode", choices=["strict", "partial"], default="strict")
        parser.add_argument("--errors", help="write the error report here (.xlsx or .csv)")
        parser.add_argument("--template", help="write the import template (.xlsx) here and exit")
        parser.add_argument("--as", dest="as_user", help="act with this user's scope")
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kind = get_kind(options["kind"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if options["template"]:
            write_template(kind, options["template"])
            self.stdout.write(f"template: {options['template']}")
            return
        if not options["file"]:
            raise CommandError(f"FILE is required (kinds: {', '.join(sorted(REGISTRY))})")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = acting_user(options["as_user"])
        if not may_import(user, kind.name):
            raise CommandError(f"{options['as_user']} may not import {kind.name}")
        job = create_job(
            kind.name, path.resolve(), user=user, mode=options["mode"], filename=path.name,
            channel="command",
        )  # fmt: skip
        console = Console(file=sys.stderr)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,.0f} rows"),
            TextColumn("{task.fields[rate]:,.0f} rows/s"),
            TextColumn(
                "+{task.fields[created]:,} ~{task.fields[updated]:,} !{task.fields[errors]:,}"
            ),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
        ) as bar:
            task = bar.add_task(kind.name, total=None, rate=0, created=0, updated=0, errors=0)

            def progress(phase: str, counts: Counts) -> None:
                bar.update(
                    task,
                    description=f"{kind.name} {phase}",
                    completed=counts.rows,
                    rate=counts.rate,
                    created=counts.created,
                    updated=counts.updated,
                    errors=counts.error_rows,
                )

            job = run_job(job, user=user, progress=progress, chunk_size=options["chunk_size"])
        self.stdout.write(
            f"{job.get_status_display()}: rows {job.rows_read}, created {job.created_count}, "
            f"updated {job.updated_count}, rows with errors {job.error_count}"
        )
        if job.message:
            self.stdout.write(job.message)
        if job.error_report:
            target = Path(options["errors"]) if options["errors"] else Path(job.error_report)
            save_report(Path(job.error_report), target)
            self.stdout.write(f"error report: {target}")
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message or "import failed")
