from __future__ import annotations

import sys
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from tongban.core.demo import DEMO_PASSWORD, load_demo_data
from tongban.core.models import Region
from tongban.core.regions import level_counts


class Command(BaseCommand):
    help = (
        "Prepare the embedded platform (migrate, reference data, demo data), print the "
        "logins and serve it on 127.0.0.1. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare, print and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=sys.stdout, highlight=False, width=120)
        database = settings.DATABASES["default"]
        console.print(
            f"[bold]通办 tongban[/] 数据库：{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"
        )
        call_command("migrate", interactive=False, verbosity=0)
        console.print("数据库结构已就绪")
        if not Region.objects.filter(code__startswith="33", level="village").exists():
            console.print("正在加载行政区划（全国至县级、浙江省至村级）…")
            call_command("load_regions", stdout=self.stdout)
        else:
            console.print("行政区划：" + "，".join(f"{k} {v}" for k, v in level_counts().items()))
        logins = load_demo_data()
        for config in apps.get_app_configs():
            hook = getattr(config, "load_demo", None)
            if hook is not None:
                for line in hook():
                    console.print(line)
        url = f"http://127.0.0.1:{options['port']}/"
        table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
        for column in ("用户名", "角色", "范围", ""):
            table.add_column(column)
        for login in logins:
            table.add_row(
                login.username, login.role, login.scope, "" if login.created else "已存在，未改动"
            )
        console.print(table)
        console.print(f"访问地址：[bold]{url}[/]    接口文档：{url}api/docs/")
        if options["no_serve"]:
            return
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
