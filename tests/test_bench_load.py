"""``tongban bench load``: what counts as an error, and a short run against a real server
(gunicorn on a fresh SQLite data set) that must finish without one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import harness  # noqa: E402
import load  # noqa: E402

ROW = re.compile(
    r"^  (?P<name>(?:GET|POST) \S+)\s+(?P<rps>[\d.]+) req/s  p50\s+(?P<p50>[\d.]+) ms  "
    r"p99\s+(?P<p99>[\d.]+) ms  requests (?P<requests>\d+)  errors (?P<errors>\d+) ",
    re.MULTILINE,
)


def test_errors_are_socket_errors_plus_every_answer_outside_2xx():
    result = harness.Result(
        name="GET /x",
        seconds=1.0,
        latencies=[0.010, 0.020, 0.030, 0.040, 0.050],
        errors=1,
        statuses={200: 2, 204: 1, 302: 1, 500: 1},
    )
    assert load.errors(result) == 3
    baseline = harness.Result(name="trivial", seconds=1.0, latencies=[0.001] * 10)
    row = load.line(result, baseline)
    assert "errors 3 (socket 1, non-2xx 2)" in row
    assert "requests 5" in row and "ratio 0.50" in row


def test_the_benchmark_lifts_every_public_limit_it_could_meet():
    from django.conf import settings

    for name in load.LIFTED_LIMITS:
        assert hasattr(settings, name), name


@pytest.mark.skipif(
    not harness.available_drivers(), reason="neither wrk nor Python threads can drive a load here"
)
def test_a_short_load_on_verification_and_intake_answers_every_request(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TMPDIR"] = str(tmp_path)
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tongban", "bench", "load",
         "--duration", "3", "--connections", "4", "--certificates", "20"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    rows = {m["name"]: m for m in ROW.finditer(completed.stdout)}
    assert set(rows) == {"GET /api/public/certificates/verify/", "POST /open311/v2/requests.json"}
    for row in rows.values():
        assert int(row["requests"]) > 0 and float(row["rps"]) > 0, output
        assert 0 < float(row["p50"]) <= float(row["p99"]), output
        assert row["errors"] == "0", output
    assert "errors 0 (goal: 0) → met" in completed.stdout
    assert not any(tmp_path.iterdir()), "the data set is removed afterwards"
