"""The pure helper of bench/verify.py (the benchmark itself is not run by the suite)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import verify  # noqa: E402


def test_bench_mixes_hits_wrong_names_and_unknown_numbers():
    entries = [("S0001330000002640000001", "测试00000")]
    queries = [parse_qs(urlsplit(verify.verify_request(i, entries)[1]).query) for i in range(4)]
    assert [q["name"][0] for q in queries] == ["测试00000", "测试00000", "测试00000甲", "测试00000"]
    assert queries[3]["number"][0].endswith("999999")
    assert all(verify.verify_request(i, entries)[0] == "GET" for i in range(4))


def test_bench_names_the_database_it_measured():
    assert verify.database_label("").startswith("SQLite (embedded")
    assert "persistent" in verify.database_label("sqlite:///db.sqlite3")
    assert verify.database_label("postgres://u:p@127.0.0.1/db").startswith("PostgreSQL")
