"""The benchmark harness's pure parts: the request list wrk replays and the totals it prints."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    assert result.non_2xx == 10, "without its own count, wrk's failures are those from 400 up"


def test_wrk_totals_carry_the_count_of_answers_outside_2xx_when_asked():
    output = (
        '{"requests": 100, "duration_us": 1000000, "p50_us": 1000, "p90_us": 2000, '
        '"p99_us": 3000, "max_us": 4000, "socket_errors": 0, "status_errors": 1, '
        '"non_2xx": 7}\n'
    )
    assert harness.parse_wrk(output, name="x", seconds=1).non_2xx == 7


def test_only_the_loopback_address_is_driven():
    with pytest.raises(ValueError, match="loopback"):
        harness.loopback("http://10.0.0.1:8000")
    assert harness.loopback("http://127.0.0.1:8000") == ("127.0.0.1", 8000)


class _Answers(BaseHTTPRequestHandler):
    """Keep-alive answers by path: 200, a redirect or a 404."""

    protocol_version = "HTTP/1.1"
    STATUS = {"/ok": 200, "/moved": 302, "/missing": 404}

    def do_GET(self) -> None:
        self.send_response(self.STATUS[self.path])
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def answering_server():
    server = ThreadingHTTPServer((harness.LOOPBACK, 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{harness.LOOPBACK}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("driver", harness.available_drivers())
def test_every_answer_outside_2xx_counts_against_the_load(answering_server, driver):
    paths = ["/ok", "/moved", "/ok", "/missing"]  # half the answers are not 2xx
    result = harness.drive(
        answering_server,
        lambda i: ("GET", paths[i % len(paths)], None, {}),
        name="mixed answers",
        connections=2,
        seconds=1,
        driver=driver,
        count_non_2xx=True,
    )
    assert result.driver == driver
    assert result.requests >= 20 and result.errors == 0
    assert 0.4 <= result.non_2xx / result.requests <= 0.6
