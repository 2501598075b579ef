from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `tongban backup`: replaces the database, the signing "
        "keys and media, then checks every table's row count and checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a backup file written by `tongban backup`")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.restore(Path(options["file"]), options["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已从 {options['file']} 恢复（备份时间 {manifest['created']}），"
            f"{len(manifest['tables'])} 张表逐表核对一致"
        )
