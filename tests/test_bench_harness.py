"""The benchmark harness's pure parts: the request list wrk replays and the totals it prints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import harness  # noqa: E402


def test_replayed_requests_are_one_line_each_with_method_path_type_and_body(tmp_path):
    listing = tmp_path / "requests.tsv"
    count = harness.write_requests(
        listing,
        [
            ("GET", "/api/public/certificates/verify/?number=S1&name=%E5%BC%A0", None, {}),
            (
                "POST",
                "/open311/v2/requests.json",
                b"api_key=k&service_code=04.01",
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
        ],
    )
    assert count == 2
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == [
        "GET",
        "/api/public/certificates/verify/?number=S1&name=%E5%BC%A0",
        "",
        "",
    ]
    assert lines[1].split("\t") == [
        "POST",
        "/open311/v2/requests.json",
        "application/x-www-form-urlencoded",
        "api_key=k&service_code=04.01",
    ]


def test_a_request_with_a_newline_cannot_be_replayed(tmp_path):
    with pytest.raises(ValueError, match="tabs or newlines"):
        harness.write_requests(tmp_path / "r.tsv", [("POST", "/x", b"a\nb", {})])


def test_wrk_totals_become_rate_percentiles_and_failures():
    output = (
        "Running 10s test @ http://127.0.0.1:8000/\n"
        '{"requests": 15000, "duration_us": 10000000, "p50_us": 12000, "p90_us": 20000, '
        '"p99_us": 31500, "max_us": 60000, "socket_errors": 2, "status_errors": 10}\n'
    )
    result = harness.parse_wrk(output, name="verify", seconds=10)
    assert result.rps == 1500
    assert result.percentile(99) == 31.5
    assert result.percentile(50) == 12
    assert (result.errors, result.successes, result.driver) == (2, 14990, "wrk")


def test_only_the_loopback_address_is_driven():
    with pytest.raises(ValueError, match="loopback"):
        harness.loopback("http://10.0.0.1:8000")
    assert harness.loopback("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
