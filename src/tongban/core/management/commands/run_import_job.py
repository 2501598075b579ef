from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tongban.core.importing.jobs import run_job_by_id


class Command(BaseCommand):
    help = "Run one queued import job (started by the upload page as a detached process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        job = run_job_by_id(options["job"])
        self.stdout.write(f"{job.pk}: {job.status} {job.message}")
