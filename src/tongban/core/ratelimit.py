"""Per-client request limits shared by every server process on the machine.

A fixed-window counter (``limit`` requests per ``window`` seconds per client and
purpose) kept in a small SQLite file of its own under the data directory
(``limits.sqlite3``), apart from the platform's database: every gunicorn worker counts
into the same rows, one atomic ``INSERT … ON CONFLICT … RETURNING`` per request, and the
platform's database (SQLite or PostgreSQL) takes no write for it. Counts are not data
worth keeping, so the file runs without fsync (``synchronous=OFF``); if it cannot be
written the request is allowed and the failure logged (a limit must not take the
service down).

A public endpoint declares a ``Limit``: the purpose it counts under, and the settings
that give its rate (requests per window; 0 turns it off) and its window in seconds. The
client is the connection's address, or behind the reverse proxy the address the proxy
appended to ``X-Forwarded-For`` (``client_of``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_local = threading.local()
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hits ("
    " purpose TEXT NOT NULL, client TEXT NOT NULL, window INTEGER NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (purpose, client, window)) WITHOUT ROWID"
)
_COUNT = (
    "INSERT INTO hits (purpose, client, window, n) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (purpose, client, window) DO UPDATE SET n = n + 1 RETURNING n"
)
_PRUNE_EVERY = 1000  # requests between removals of finished windows (per process)


def limits_file() -> str:
    configured = getattr(settings, "TONGBAN_LIMITS_FILE", None)
    return str(configured) if configured else os.path.join(settings.DATA_DIR, "limits.sqlite3")


def _connection() -> sqlite3.Connection:
    path = limits_file()
    held = getattr(_local, "connection", None)
    if held is not None and getattr(_local, "path", None) == path:
        return held
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=5, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute(_SCHEMA)
    _local.connection, _local.path, _local.calls = connection, path, 0
    return connection


def hit(purpose: str, client: str, *, limit: int, window: int = 60) -> bool:
    """Count one request of ``client`` for ``purpose``; False once it is over ``limit``
    in the current window."""
    now = int(time.time())
    current = now - now % window
    try:
        connection = _connection()
        (count,) = connection.execute(_COUNT, (purpose, client[:200], current)).fetchone()
        _local.calls += 1
        if _local.calls % _PRUNE_EVERY == 0:
            connection.execute("DELETE FROM hits WHERE window < ?", (current - window,))
    except (sqlite3.Error, OSError):
        logger.exception("request limit not counted (%s)", limits_file())
        return True
    return bool(count <= limit)


def reset() -> None:
    """Forget every count (tests, or an operator lifting a block)."""
    connection = _connection()
    connection.execute("DELETE FROM hits")


def count(purpose: str, client: str, *, window: int = 60) -> int:
    """How many times ``client`` was counted for ``purpose`` in the current window."""
    now = int(time.time())
    try:
        row = (
            _connection()
            .execute(
                "SELECT n FROM hits WHERE purpose = ? AND client = ? AND window = ?",
                (purpose, client[:200], now - now % window),
            )
            .fetchone()
        )
    except (sqlite3.Error, OSError):
        logger.exception("request limit not read (%s)", limits_file())
        return 0
    return int(row[0]) if row else 0


def clear(purpose: str, client: str) -> None:
    """Forget ``client``'s counts for ``purpose`` (e.g. failed logins after a success)."""
    try:
        _connection().execute(
            "DELETE FROM hits WHERE purpose = ? AND client = ?", (purpose, client[:200])
        )
    except (sqlite3.Error, OSError):
        logger.exception("request limit not cleared (%s)", limits_file())


def client_of(request: HttpRequest | None) -> str:
    """The client's address: behind the reverse proxy (``TONGBAN_BEHIND_PROXY``), the
    address the proxy appended last to ``X-Forwarded-For`` (earlier ones are the
    client's own word); else the connection's."""
    if request is None:
        return ""
    if getattr(settings, "TONGBAN_BEHIND_PROXY", False):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR") or "")


@dataclass(frozen=True)
class Limit:
    """A named per-client limit on a public endpoint.

    ``purpose`` names its counts in the shared file; the setting ``rate_setting`` gives
    the requests allowed per client and window (``default_rate`` when unset; 0 turns the
    limit off), ``window_setting`` the window's length in seconds (``default_window``;
    without a setting of its own the window is fixed).
    """

    purpose: str
    rate_setting: str
    default_rate: int
    window_setting: str = ""
    default_window: int = 60

    def rate(self) -> int:
        return int(getattr(settings, self.rate_setting, self.default_rate))

    def window(self) -> int:
        if not self.window_setting:
            return self.default_window
        return max(1, int(getattr(settings, self.window_setting, self.default_window)))

    def allow(self, request: HttpRequest) -> bool:
        """Count one request of the request's client; False once it is over the rate."""
        rate = self.rate()
        if rate <= 0:
            return True
        return hit(self.purpose, client_of(request), limit=rate, window=self.window())

    def retry_after(self) -> int:
        """Seconds until the current window ends (the ``Retry-After`` of a refusal)."""
        window = self.window()
        return window - int(time.time()) % window
