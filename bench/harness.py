"""Benchmark harness shared by bench/*.py.

``serve()`` starts the platform under gunicorn with production settings on a free
loopback port (SQLite under a data directory, or PostgreSQL through
``DATABASE_URL``); ``drive()`` sends a bounded load (N connections for T seconds) and
measures requests/s and latency percentiles; ``report()`` prints a result next to the
same server's trivial view (``/healthz/``) measured in the same run, as a ratio. Only
loopback addresses are ever contacted.

The load comes from ``wrk`` (Debian package ``wrk``, C, event-driven) when it is
installed, replaying a list of requests through ``wrk_requests.lua``; otherwise from
Python threads, which on a small machine take a core from the server and add their own
scheduling delay to every latency (the report names the driver).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
WRK_SCRIPT = Path(__file__).resolve().with_name("wrk_requests.lua")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def tongban(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "tongban", *args], env=env, check=True)  # noqa: S603


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "TONGBAN_PRODUCTION": "1",
            "TONGBAN_SECRET_KEY": "bench-" + "x" * 48,
            "TONGBAN_DATA_DIR": str(data_dir),
            "TONGBAN_ALLOWED_HOSTS": LOOPBACK,
            "TONGBAN_FAST_PASSWORD_HASHER": "1",
            # plain HTTP on loopback: no redirect to HTTPS (production serves behind TLS)
            "TONGBAN_SSL_REDIRECT": "0",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """Run ``tongban serve --prod`` (gunicorn) until the block ends; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tongban", "serve", "--prod", "--host", LOOPBACK,
         "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
                conn.request("GET", "/healthz/")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.3)
        yield f"http://{LOOPBACK}:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    driver: str = "python"
    # set by the wrk driver, which reports totals and percentiles instead of samples
    count: int | None = None
    failed_statuses: int = 0
    quantiles_ms: dict[float, float] = field(default_factory=dict)
    # answers outside 200-299, when the wrk driver was asked to count them
    counted_non_2xx: int | None = None

    @property
    def requests(self) -> int:
        return self.count if self.count is not None else len(self.latencies)

    @property
    def successes(self) -> int:
        """Responses with a status below 400."""
        if self.count is not None:
            return self.count - self.failed_statuses
        return sum(n for status, n in self.statuses.items() if status < 400)

    @property
    def non_2xx(self) -> int:
        """Answers outside 200-299 (from wrk without counting: those from 400 up)."""
        if self.count is not None:
            return self.failed_statuses if self.counted_non_2xx is None else self.counted_non_2xx
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if p in self.quantiles_ms:
            return self.quantiles_ms[p]
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def loopback(base_url: str) -> tuple[str, int]:
    host_port = base_url.removeprefix("http://")
    host, port = host_port.split(":")
    if host != LOOPBACK:
        raise ValueError("benchmarks only contact the loopback address")
    return host, int(port)


def default_driver() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def available_drivers() -> list[str]:
    """The load generators usable here: ``wrk`` when installed, and Python threads (the
    standard library only) wherever a loopback socket can be opened."""
    try:
        free_port()
    except OSError:
        return []
    return (["wrk"] if shutil.which("wrk") else []) + ["python"]


def write_requests(path: Path, requests: Iterable[Request]) -> int:
    """The request list ``wrk_requests.lua`` replays, one per line (pure, tested)."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for method, target, body, headers in requests:
            text = body.decode() if body else ""
            fields = [method, target, headers.get("Content-Type", ""), text]
            if any(("\t" in f or "\n" in f) for f in fields):
                raise ValueError("a replayed request may not contain tabs or newlines")
            out.write("\t".join(fields) + "\n")
            count += 1
    return count


def parse_wrk(output: str, *, name: str, seconds: float) -> Result:
    """The JSON line ``wrk_requests.lua`` prints at the end (pure, tested)."""
    line = [row for row in output.splitlines() if row.startswith("{")][-1]
    totals = json.loads(line)
    return Result(
        name=name,
        seconds=totals["duration_us"] / 1e6 or seconds,
        errors=totals["socket_errors"],
        driver="wrk",
        count=totals["requests"],
        failed_statuses=totals["status_errors"],
        quantiles_ms={
            50: totals["p50_us"] / 1000,
            90: totals["p90_us"] / 1000,
            99: totals["p99_us"] / 1000,
            100: totals["max_us"] / 1000,
        },
        counted_non_2xx=totals.get("non_2xx"),
    )


def drive_wrk(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    name: str,
    connections: int,
    seconds: float,
    distinct: int = 20_000,
    count_non_2xx: bool = False,
) -> Result:
    """``wrk`` replays ``distinct`` requests (``make_request(0)`` …) round-robin. wrk counts
    only statuses ≥ 400 as failures, so the first request is sent once beforehand and must
    answer 2xx (a redirect would make the run measure something else); ``count_non_2xx``
    has the script count every answer outside 200-299 as well."""
    host, port = loopback(base_url)
    method, target, body, headers = make_request(0)
    probe = http.client.HTTPConnection(host, port, timeout=30)
    probe.request(method, target, body=body, headers=headers)
    answer = probe.getresponse()
    answer.read()
    probe.close()
    if not 200 <= answer.status < 300:
        raise RuntimeError(f"{method} {target} answered {answer.status}, not 2xx")
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt install wrk)")
    with tempfile.TemporaryDirectory(prefix="tongban-wrk-") as tmp:
        listing = Path(tmp) / "requests.tsv"
        write_requests(listing, (make_request(i) for i in range(distinct)))
        completed = subprocess.run(  # noqa: S603
            [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s",
             "--timeout", "30s", "-s", str(WRK_SCRIPT), base_url + "/"],
            env={
                **os.environ,
                "WRK_REQUESTS": str(listing),
                "WRK_COUNT_NON_2XX": "1" if count_non_2xx else "0",
            },
            capture_output=True,
            text=True,
            check=True,
        )  # fmt: skip
    return parse_wrk(completed.stdout, name=name, seconds=seconds)


def drive(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    name: str,
    connections: int = 32,
    seconds: float = 10.0,
    driver: str | None = None,
    count_non_2xx: bool = False,
) -> Result:
    """Bounded load: ``connections`` keep-alive clients for ``seconds``; ``make_request(i)``
    gives the i-th request. Only loopback URLs are accepted. The Python driver always
    counts every status; ``count_non_2xx`` asks wrk to (see ``drive_wrk``)."""
    if (driver or default_driver()) == "wrk":
        return drive_wrk(
            base_url,
            make_request,
            name=name,
            connections=connections,
            seconds=seconds,
            count_non_2xx=count_non_2xx,
        )
    host, port = loopback(base_url)
    result = Result(name=name, seconds=seconds)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        i = number * 1_000_000
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        while time.monotonic() < stop_at:
            method, path, body, headers = make_request(i)
            i += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                statuses[response.status] = statuses.get(response.status, 0) + 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def trivial(
    base_url: str, connections: int = 32, seconds: float = 10.0, driver: str | None = None
) -> Result:
    return drive(
        base_url,
        lambda i: ("GET", "/healthz/", None, {}),
        name="trivial view /healthz/",
        connections=connections,
        seconds=seconds,
        driver=driver,
    )


def report(result: Result, baseline: Result, *, goal_ratio: float, goal_p99_ms: float) -> bool:
    ratio = result.rps / baseline.rps if baseline.rps else 0.0
    ok = (
        ratio >= goal_ratio
        and result.percentile(99) <= goal_p99_ms
        and result.errors == 0
        and result.successes == result.requests
    )
    print(f"  load: {result.driver}")
    for r in (baseline, result):
        print(
            f"  {r.name:<40} {r.rps:9.1f} req/s  p50 {r.percentile(50):7.1f} ms  "
            f"p99 {r.percentile(99):7.1f} ms  errors {r.errors}  "
            f"{'statuses ' + str(r.statuses) if r.count is None else f'status ≥ 400: {r.failed_statuses}'}"
        )
    print(
        f"  ratio {ratio:.2f} (goal ≥ {goal_ratio}), p99 {result.percentile(99):.1f} ms "
        f"(goal ≤ {goal_p99_ms}) → {'met' if ok else 'NOT met'}"
    )
    return ok


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
