from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve the platform: Django's development server, or gunicorn with --prod."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--prod", action="store_true", help="run gunicorn (production)")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        address = f"{options['host']}:{options['port']}"
        if not options["prod"]:
            call_command("runserver", address, use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        beside_python = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        gunicorn = beside_python if os.path.exists(beside_python) else shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("gunicorn is not installed")
        os.execv(  # noqa: S606
            gunicorn,
            [gunicorn, "tongban.wsgi", "--bind", address, "--workers", str(options["workers"])],
        )
