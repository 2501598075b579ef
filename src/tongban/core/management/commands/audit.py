from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tongban.core import audit_chain


class Command(BaseCommand):
    help = (
        "Tamper-evident audit: `verify` checks the hash chain of every audit table and "
        "exits non-zero at a broken link (rows committed since the last sealing are linked "
        "first); `seal` links every audit row without a link, however old; `heads` prints each chain's latest hash, to record outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "heads"])
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        using: str = options["database"]
        action: str = options["action"]
        if action == "seal":
            for table, count in audit_chain.seal(using).items():
                self.stdout.write(f"{table}: 新链入 {count} 条")
            return
        if action == "heads":
            for table, (seq, digest) in audit_chain.heads(using).items():
                self.stdout.write(f"{table} {seq} {digest}")
            return
        pending = audit_chain.seal_pending(using, wait=True)
        if pending:
            self.stdout.write(f"先链入最近提交的 {pending} 条记录")
        breaks = audit_chain.verify(using)
        for table, (seq, digest) in audit_chain.heads(using).items():
            status = "断裂" if any(b.table == table for b in breaks) else "完好"
            self.stdout.write(f"{table}: {status}，共 {seq} 环，末环 {digest}")
        if breaks:
            for problem in breaks:
                self.stderr.write(f"审计链断裂：{problem}")
            raise CommandError(f"审计链断裂：{breaks[0]}", returncode=2)
