"""Public verification of certificates (the national query service's pattern).

Lookup by 证书编号 + 姓名 or by 证件号码 + 姓名. The answer shows name, occupation,
level, issuer, date and status, nothing else. "Not found" and "the name does not
match" give the same answer, in the same shape, doing the same work; requests are
limited per client across every server process (``core.ratelimit``).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.db import connections
from django.http import HttpRequest

from tongban.core import ratelimit
from tongban.core.validators import normalize_document_number
from tongban.skills.models import Certificate, CertificateStatus

NOT_FOUND = "未查询到与所填信息一致的证书"
LIMITED = "查询过于频繁，请稍后再试"
WINDOW_SECONDS = 60
_DUMMY = "\u3000" * 4


# per client address and minute, counted across every server process
LIMIT = ratelimit.Limit("verify", "TONGBAN_VERIFY_PER_MINUTE", 30, default_window=WINDOW_SECONDS)


def allow(request: HttpRequest) -> bool:
    """Count one request of the request's client in the current minute; False once over."""
    return LIMIT.allow(request)


FIELDS = (
    "number",
    "holder_name",
    "occupation__code",
    "occupation__name",
    "level__name",
    "level__grade_name",
    "issuer__organization__name",
    "issued_on",
    "status",
)


def public_view(row: tuple[Any, ...]) -> dict[str, Any]:
    number, holder, code, occupation, name, grade, issuer, issued_on, status = row
    return {
        "number": number,
        "name": holder,
        "occupation": f"{code} {occupation}",
        "level": f"{grade}/{name}" if grade else name,
        "issuer": issuer,
        "issued_on": str(issued_on)[:10],
        "status": status,
        "status_label": str(CertificateStatus(status).label),
    }


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.strip().encode(), b.strip().encode())


_SQL: dict[tuple[str, str], str] = {}


def _rows(by: str, value: str) -> list[tuple[Any, ...]]:
    """Run the lookup query. The SQL is compiled once per database by the ORM (so it is
    the backend's own SQL) and reused: this is the busiest endpoint."""
    connection = connections[Certificate.objects.db]
    key = (connection.vendor, by)
    sql = _SQL.get(key)
    if sql is None:
        base = Certificate.objects.order_by()
        if by == "number":
            qs = base.filter(number="?").values_list(*FIELDS)[:1]
        else:
            qs = (
                base.filter(person__document_number="?")
                .order_by("-issued_on", "-pk")
                .values_list(*FIELDS)[:50]
            )
        sql, params = qs.query.sql_with_params()
        if list(params) != ["?"]:
            raise RuntimeError("the lookup query should have exactly one parameter")
        _SQL[key] = sql
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        # a server-side prepared statement: PostgreSQL plans the lookup once per connection
        import psycopg

        with psycopg.Cursor(connection.connection) as raw:
            raw.execute(sql, [value], prepare=True)
            return list(raw.fetchall())
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return list(cursor.fetchall())


def lookup(*, name: str, number: str = "", document_number: str = "") -> list[dict[str, Any]]:
    """The matching certificates' public view, or [] for every kind of miss.

    One indexed query either way, then a constant-time name comparison (against a
    dummy when nothing was found), so a miss and a wrong name cost the same.
    """
    if number:
        candidates = _rows("number", number.strip().upper())
    elif document_number:
        candidates = _rows("document_number", normalize_document_number(document_number))
    else:
        candidates = []
    matched = [c for c in candidates if _same(c[1], name)]
    if not candidates:
        _same(_DUMMY, name)  # the same comparison work as a mismatch
    return [public_view(c) for c in matched]


def answer(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "found": bool(results),
        "certificates": results,
        "message": "" if results else NOT_FOUND,
    }
