"""Recount the dashboard's pre-aggregated counts from the events."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tongban.governance.tally import rebuild


class Command(BaseCommand):
    help = (
        "重建治理看板的预汇总统计（事件批量导入或直接改库之后运行）: "
        "rebuild the dashboard's event tally from the events."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(f"{rows} tally rows in {time.perf_counter() - started:.1f} s")
