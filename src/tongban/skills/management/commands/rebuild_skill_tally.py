"""Recount the statistics' pre-aggregated counts from the certificates and employments."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tongban.skills.tally import rebuild


class Command(BaseCommand):
    help = (
        "重建技能人才统计的预汇总数据（批量导入或直接改库之后运行）: "
        "rebuild the skill statistics tally from certificates, employments and people."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(f"{rows} tally rows in {time.perf_counter() - started:.1f} s")
