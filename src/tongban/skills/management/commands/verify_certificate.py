from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.skills import signing
from tongban.skills.pdf import payload_from_pdf


class Command(BaseCommand):
    help = (
        "Verify a certificate offline: a QR payload or a PDF file. Says valid / tampered / "
        "revoked as of the local register (the last sync)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("payload_or_file")
        parser.add_argument(
            "--keys", help="the published keys.json to use instead of the local key table"
        )
        parser.add_argument(
            "--signature-only", action="store_true", help="do not consult the local register"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        given: str = options["payload_or_file"]
        path = Path(given)
        if not given.startswith(signing.SCHEME + ".") and path.exists():
            payload = payload_from_pdf(path.read_bytes()) or path.read_text(errors="ignore")
        else:
            payload = given
        keys = None
        if options["keys"]:
            published = json.loads(Path(options["keys"]).read_text())
            keys = {k["key_id"]: k["public_key"] for k in published["keys"]}
        verdict = signing.verify(payload, keys, check_register=not options["signature_only"])
        self.stdout.write(f"{verdict.status}: {verdict.message}")
        if verdict.content:
            for key, value in verdict.content.items():
                self.stdout.write(f"  {key}: {value}")
        if verdict.checked_at:
            self.stdout.write(f"  登记库核对时间: {verdict.checked_at:%Y-%m-%d %H:%M}")
        if verdict.status not in ("valid",):
            raise CommandError(verdict.message, returncode=1)
