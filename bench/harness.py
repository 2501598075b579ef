"""Benchmark harness shared by bench/*.py.

``serve()`` starts the platform under gunicorn with production settings on a free
loopback port (SQLite under a data directory, or PostgreSQL through
``DATABASE_URL``); ``drive()`` sends a bounded load (N persistent connections for
T seconds) and measures requests/s and latency percentiles; ``report()`` prints a
result next to the same server's trivial view (``/healthz/``) measured in the same
run, as a ratio. Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"


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

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


def drive(
    base_url: str,
    make_request: Callable[[int], Request],
    *,
    name: str,
    connections: int = 32,
    seconds: float = 10.0,
) -> Result:
    """Bounded load: ``connections`` keep-alive clients for ``seconds``; ``make_request(i)``
    gives the i-th request of a client. Only loopback URLs are accepted."""
    host_port = base_url.removeprefix("http://")
    host, port = host_port.split(":")
    if host != LOOPBACK:
        raise ValueError("benchmarks only contact the loopback address")
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
            except OSError:
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


def trivial(base_url: str, connections: int = 32, seconds: float = 10.0) -> Result:
    return drive(
        base_url,
        lambda i: ("GET", "/healthz/", None, {}),
        name="trivial view /healthz/",
        connections=connections,
        seconds=seconds,
    )


def report(result: Result, baseline: Result, *, goal_ratio: float, goal_p99_ms: float) -> bool:
    ratio = result.rps / baseline.rps if baseline.rps else 0.0
    ok = ratio >= goal_ratio and result.percentile(99) <= goal_p99_ms and result.errors == 0
    for r in (baseline, result):
        print(
            f"  {r.name:<40} {r.rps:9.1f} req/s  p50 {r.percentile(50):7.1f} ms  "
            f"p99 {r.percentile(99):7.1f} ms  errors {r.errors}  statuses {r.statuses}"
        )
    print(
        f"  ratio {ratio:.2f} (goal ≥ {goal_ratio}), p99 {result.percentile(99):.1f} ms "
        f"(goal ≤ {goal_p99_ms}) → {'met' if ok else 'NOT met'}"
    )
    return ok


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
