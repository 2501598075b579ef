from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.skills import archive_export


class Command(BaseCommand):
    help = (
        "Verify an exported lifelong training archive offline (its signed JSON, or the PDF "
        "carrying it): valid / tampered."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--keys", help="the published keys.json to use instead of the local key table"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        document = archive_export.document_from_bytes(path.read_bytes())
        keys = None
        if options["keys"]:
            published = json.loads(Path(options["keys"]).read_text())
            keys = {k["key_id"]: k["public_key"] for k in published["keys"]}
        verdict = archive_export.verify_document(document, keys)
        self.stdout.write(f"{verdict.status}: {verdict.message}")
        if verdict.content and verdict.status == "valid":
            person = verdict.content.get("person", {})
            self.stdout.write(f"  姓名: {person.get('name', '')}")
            self.stdout.write(f"  证件号码: {person.get('document_number', '')}")
            self.stdout.write(f"  生成时间: {verdict.content.get('generated_at', '')}")
            self.stdout.write(f"  记录条数: {len(verdict.content.get('entries', []))}")
        if verdict.status != "valid":
            raise CommandError(verdict.message, returncode=1)
