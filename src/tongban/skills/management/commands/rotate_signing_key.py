from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tongban.skills.signing import rotate_key


class Command(BaseCommand):
    help = "Make a new certificate signing key; earlier keys stay published and keep verifying."

    def handle(self, *args: Any, **options: Any) -> None:
        key = rotate_key()
        self.stdout.write(f"新签名密钥: {key.key_id}")
