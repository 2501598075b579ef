"""Sustained load on the two busiest public endpoints, counting every error.

Starts the platform under gunicorn (production settings, loopback only) on a fresh data set
(``--certificates`` signed certificates, the regions and the intake reference data), then
holds ``--connections`` clients for ``--duration`` seconds on each of, one after another:

1. ``GET /api/public/certificates/verify/`` (hits, wrong names and unknown numbers, 2 : 1 : 1);
2. ``POST /open311/v2/requests.json`` (one new event per request);

next to the trivial view /healthz/ of the same server (at most 10 s), and prints for each
requests/s, p50 and p99 latency and the errors: socket errors and every answer outside
200-299. Goal: no error at all.

    tongban bench load [--duration 60] [--connections 32] [--workers 4] [--certificates 500]

The per-client limit of certificate verification is lifted for the one loopback client
(every request is still counted); Open311 intake carries an api_key and is not limited.
SQLite under a temporary data directory by default (removed afterwards); ``DATABASE_URL``
selects PostgreSQL (the database is used as it is: give it an empty one).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import intake  # noqa: E402
import verify  # noqa: E402

BASELINE_SECONDS = 10.0
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# every limit a public endpoint has, lifted for the one loopback client (still counted)
LIFTED_LIMITS = (
    "TONGBAN_VERIFY_PER_MINUTE",
    "TONGBAN_OPEN311_READ_LIMIT",
    "TONGBAN_STATUS_PAGE_LIMIT",
)


def errors(result: harness.Result) -> int:
    """Socket errors plus answers outside 200-299 (pure, tested)."""
    return result.errors + result.non_2xx


def line(result: harness.Result, baseline: harness.Result | None = None) -> str:
    """One printed row of figures (pure, tested)."""
    ratio = f"  ratio {result.rps / baseline.rps:.2f}" if baseline and baseline.rps else ""
    return (
        f"  {result.name:<38} {result.rps:9.1f} req/s  p50 {result.percentile(50):7.1f} ms  "
        f"p99 {result.percentile(99):7.1f} ms  requests {result.requests}  "
        f"errors {errors(result)} (socket {result.errors}, non-2xx {result.non_2xx}){ratio}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default=harness.default_driver(),
        help="load generator: wrk when installed, else Python threads",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--certificates", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tongban-bench-load-") as data_dir:
        env = harness.server_env(Path(data_dir), os.environ.get("DATABASE_URL"))
        env.update({name: str(10**9) for name in LIFTED_LIMITS})
        harness.tongban("migrate", "--noinput", "-v0", env=env)
        verify.setup_django(env)
        entries = verify.certificates(args.certificates)
        village, code, _villages = intake.reference_data()

        def body(i: int) -> bytes:
            return intake.intake_body(i, village, code)

        print(f"machine: {harness.machine()}")
        print(f"database: {verify.database_label(os.environ.get('DATABASE_URL', ''))}")
        print(
            f"load: {args.driver}, {args.connections} connections, {args.duration:g} s per "
            f"endpoint; gunicorn workers: {args.workers}; certificates: {len(entries):,}"
        )

        with harness.serve(env, workers=args.workers) as base_url:

            def run(
                name: str, make_request: Callable[[int], harness.Request], seconds: float
            ) -> harness.Result:
                return harness.drive(
                    base_url,
                    make_request,
                    name=name,
                    connections=args.connections,
                    seconds=seconds,
                    driver=args.driver,
                    count_non_2xx=True,
                )

            baseline = run(
                "trivial view /healthz/",
                lambda i: ("GET", "/healthz/", None, {}),
                min(args.duration, BASELINE_SECONDS),
            )
            results = [
                run(
                    "GET /api/public/certificates/verify/",
                    lambda i: verify.verify_request(i, entries),
                    args.duration,
                ),
                run(
                    "POST /open311/v2/requests.json",
                    lambda i: ("POST", "/open311/v2/requests.json", body(i), FORM),
                    args.duration,
                ),
            ]
    print("sustained load:")
    print(line(baseline))
    for result in results:
        print(line(result, baseline))
    total = sum(errors(r) for r in (baseline, *results))
    print(f"  errors {total} (goal: 0) → {'met' if total == 0 else 'NOT met'}")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
