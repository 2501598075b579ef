"""Event intake through the API, and the dashboard over a year of events.

1. Starts the platform under gunicorn (production settings, loopback only), measures the
   trivial view /healthz/ and then ``POST /open311/v2/requests.json`` (one new event per
   request) with the same load, and prints events/s, latency percentiles and the ratio.
2. Generates ``--events`` events (default 1,000,000) spread over one year directly in the
   database, rebuilds the dashboard's tally (the bulk insert bypasses ``Event.save``) and
   times the dashboard's figures over that year.

    tongban bench intake [--seconds 10] [--connections 8] [--workers 4] [--events 1000000]

Intake waits on the database's commit (fsync on PostgreSQL) as well as the CPU, so the
server runs four sync workers on the two cores (gunicorn suggests 2 × cores + 1) and eight
clients keep them busy.

SQLite under a temporary data directory by default; ``DATABASE_URL`` selects PostgreSQL
(the database is used as it is: give it an empty one).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

API_KEY = "bench-intake-key"
GOAL_EVENTS_PER_SECOND = 200
GOAL_P99_MS = 100
GOAL_DASHBOARD_MS = 200


def intake_body(i: int, village: str, service_code: str) -> bytes:
    """The form body of the i-th Open311 request (pure, tested)."""
    rng = random.Random(i)
    return urllib.parse.urlencode(
        {
            "api_key": API_KEY,
            "service_code": service_code,
            "address_id": village,
            "address_string": f"测试路{i % 500}号",
            "lat": f"{30.85 + rng.random() * 0.05:.6f}",
            "long": f"{120.05 + rng.random() * 0.05:.6f}",
            "description": f"基准测试事件 {i}",
        }
    ).encode()


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    import django

    django.setup()


def prepare(env: dict[str, str]) -> tuple[str, str, list[str]]:
    """Migrate, load the regions and the reference data; returns (village, code, villages)."""
    harness.tongban("migrate", "--noinput", "-v0", env=env)
    setup_django(env)
    return reference_data()


def reference_data() -> tuple[str, str, list[str]]:
    """Regions, jurisdiction, category, Open311 client and routing rule for intake (Django
    set up on a migrated database); returns (village, service code, villages)."""
    from tongban.core.models import Organization, Region
    from tongban.core.regions import load_regions
    from tongban.governance.models import Category, Jurisdiction, Open311Client, RoutingRule

    if not Region.objects.filter(code__startswith="3305", level="village").exists():
        load_regions(deep_prefixes=("3305",))
    Jurisdiction.objects.get_or_create(jurisdiction_id="huzhou", region_id="330500000000")
    category, _ = Category.objects.get_or_create(
        code="04.01", defaults={"name": "消防通道堵塞", "kind": "hazard", "limit_normal": 3}
    )
    Open311Client.objects.get_or_create(api_key=API_KEY, defaults={"name": "bench"})
    unit, _ = Organization.objects.get_or_create(
        name="吴兴区应急管理局",
        defaults={"kind": "governance_department", "region_id": "330502000000"},
    )
    RoutingRule.objects.get_or_create(region_id="330500000000", category=None, unit=unit)
    villages = list(
        Region.objects.filter(code__startswith="3305", level="village").values_list(
            "code", flat=True
        )
    )
    return villages[0], category.code, villages


def generate_year(count: int, villages: list[str], year_end: datetime.datetime) -> float:
    """Insert ``count`` events spread over the year before ``year_end``; returns seconds."""
    from tongban.governance.models import Category, Channel, Event, Satisfaction, Status

    parent, _ = Category.objects.get_or_create(
        code="05", defaults={"name": "矛盾纠纷", "kind": "dispute"}
    )
    categories = [parent.pk] + list(Category.objects.values_list("pk", flat=True))
    channels = [c for c, _label in Channel.choices]
    states = [s for s, _label in Status.choices]
    ratings = ["", *[s for s, _label in Satisfaction.choices]]
    rng = random.Random(7)
    started = time.perf_counter()
    batch: list[Event] = []
    seconds_in_year = 365 * 24 * 3600
    for i in range(count):
        status = rng.choice(states)
        closed = status in ("closed", "evaluated")
        created = year_end - datetime.timedelta(seconds=rng.randrange(seconds_in_year))
        batch.append(
            Event(
                code=f"B{i:015d}",
                token=f"bench-{i}",
                channel=rng.choice(channels),
                category_id=rng.choice(categories),
                region_id=rng.choice(villages),
                address="基准测试",
                description="基准测试事件",
                anonymous=True,
                status=status,
                created_at=created,
                on_time=(rng.random() < 0.9) if closed else None,
                working_days_to_close=rng.randrange(0, 10) if closed else None,
                satisfaction=rng.choice(ratings) if status == "evaluated" else "",
            )
        )
        if len(batch) == 5000:
            Event.objects.bulk_create(batch)
            batch = []
    if batch:
        Event.objects.bulk_create(batch)
    return time.perf_counter() - started


def time_dashboard(runs: int = 5) -> list[float]:
    from django.db import connection
    from django.utils import timezone

    from tongban.governance.dashboard import build
    from tongban.governance.models import Event

    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE governance_event")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build(Event.objects.all(), start, today, [""])
        times.append((time.perf_counter() - started) * 1000)
    return times


def rebuild_tally() -> float:
    """Recount the dashboard's tally after the bulk insert (which bypasses Event.save)."""
    from tongban.governance.tally import rebuild

    started = time.perf_counter()
    rebuild()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default=harness.default_driver(),
        help="load generator: wrk when installed, else Python threads",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-dashboard", action="store_true")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="tongban-bench-intake-"))
    env = harness.server_env(data_dir, os.environ.get("DATABASE_URL"))
    village, code, villages = prepare(env)
    print(f"machine: {harness.machine()}")
    url = os.environ.get("DATABASE_URL", "")
    print(f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    print(f"gunicorn workers: {args.workers}, connections: {args.connections}")
    with harness.serve(env, workers=args.workers) as base_url:
        harness.trivial(
            base_url, connections=args.connections, seconds=2, driver=args.driver
        )  # warm-up
        baseline = harness.trivial(
            base_url, connections=args.connections, seconds=args.seconds, driver=args.driver
        )
        result = harness.drive(
            base_url,
            lambda i: ("POST", "/open311/v2/requests.json", intake_body(i, village, code), headers),
            name="POST /open311/v2/requests.json",
            connections=args.connections,
            seconds=args.seconds,
            driver=args.driver,
        )
    print("event intake through the API:")
    harness.report(
        result,
        baseline,
        goal_ratio=GOAL_EVENTS_PER_SECOND / baseline.rps if baseline.rps else 0.0,
        goal_p99_ms=GOAL_P99_MS,
    )
    created = result.successes / result.seconds
    intake_ok = created >= GOAL_EVENTS_PER_SECOND and result.percentile(99) <= GOAL_P99_MS
    print(
        f"  events created {created:.1f}/s (goal ≥ {GOAL_EVENTS_PER_SECOND}), "
        f"ratio to /healthz/ {result.rps / baseline.rps:.2f} → {'met' if intake_ok else 'NOT met'}"
    )
    if args.skip_dashboard:
        return 0 if intake_ok else 1
    from django.utils import timezone

    seconds = generate_year(args.events, villages, timezone.now())
    recount = rebuild_tally()
    print(
        f"dashboard over one year of {args.events:,} generated events (inserted in {seconds:.0f} s, "
        f"tally rebuilt in {recount:.1f} s):"
    )
    times = time_dashboard()
    middle = statistics.median(times)
    dashboard_ok = middle < GOAL_DASHBOARD_MS
    print(
        f"  build() median {middle:.0f} ms, max {max(times):.0f} ms over {len(times)} runs "
        f"(goal < {GOAL_DASHBOARD_MS} ms) → {'met' if dashboard_ok else 'NOT met'}"
    )
    return 0 if intake_ok and dashboard_ok else 1


if __name__ == "__main__":
    sys.exit(main())
