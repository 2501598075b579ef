from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump -Fc), the signing keys and "
        "media into one tar file, with every table's row count and checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write (tar, gzip-compressed)")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.backup(Path(options["file"]), options["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(count for count, _ in manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {options['file']}：{manifest['vendor']} 数据库 {len(manifest['tables'])} 张表、"
            f"{rows} 行；文件：{', '.join(manifest['files']) or '无'}"
        )
