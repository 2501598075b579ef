"""Public certificate verification, the busiest endpoint.

Starts the platform under gunicorn (production settings, loopback only), issues
``--certificates`` signed certificates, measures the trivial view /healthz/ and then
``GET /api/public/certificates/verify/`` with the same load (a mix of hits, wrong
names and unknown numbers), and prints requests/s, latency percentiles and the ratio.

    tongban bench verify [--seconds 10] [--connections 32] [--certificates 2000]

SQLite under a temporary data directory by default; ``DATABASE_URL`` selects PostgreSQL
or SQLite with persistent connections (``sqlite:////path/to/file``); the database is
used as it is and may be shared.
Goal: ≥ 0.5 × the trivial view's requests/s with p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

GOAL_RATIO = 0.5
GOAL_P99_MS = 50
OCCUPATION = "6-18-01-01"


def verify_request(i: int, entries: list[tuple[str, str]]) -> harness.Request:
    """The i-th query (pure, tested): 2 of 4 hit, 1 has a wrong name, 1 an unknown number."""
    number, name = entries[i % len(entries)]
    kind = i % 4
    if kind == 2:
        name = name + "甲"
    elif kind == 3:
        number = number[:-6] + "999999"
    query = urllib.parse.urlencode({"number": number, "name": name})
    return ("GET", f"/api/public/certificates/verify/?{query}", None, {})


def database_label(url: str) -> str:
    """What the run measured (pure, tested)."""
    if not url:
        return "SQLite (embedded default: persistent connections, CONN_MAX_AGE)"
    if url.startswith("sqlite"):
        return "SQLite via DATABASE_URL (persistent connections)"
    return "PostgreSQL (persistent connections)"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    import django

    django.setup()


def prepare(env: dict[str, str], count: int) -> list[tuple[str, str]]:
    """Migrate, make one occupation, evaluator and ``count`` signed certificates."""
    harness.tongban("migrate", "--noinput", "-v0", env=env)
    setup_django(env)
    return certificates(count)


def certificates(count: int) -> list[tuple[str, str]]:
    """(number, holder name) of ``count`` signed certificates, issued as needed (Django set
    up on a migrated database)."""
    from tongban.core.models import Organization, Person, Region
    from tongban.skills import services
    from tongban.skills.models import Certificate, Evaluator, Occupation, Route
    from tongban.skills.models.occupation import ensure_ladder, level

    ensure_ladder()
    Region.objects.get_or_create(
        code="330000000000", defaults={"name": "浙江省", "level": "province"}
    )
    occupation, created = Occupation.objects.get_or_create(
        code=OCCUPATION, defaults={"name": "车工", "kind": "unit", "is_occupation": True}
    )
    if created:
        occupation.levels.set([level(k) for k in ("level5", "level4", "level3")])
    organization, _ = Organization.objects.get_or_create(
        name="基准测试评价中心",
        defaults={"kind": "evaluation_organization", "region_id": "330000000000"},
    )
    evaluator, _ = Evaluator.objects.get_or_create(
        organization=organization, defaults={"kind": "social", "institution_code": "9990"}
    )
    existing = Certificate.objects.filter(issuer=evaluator).count()
    for i in range(existing, count):
        person, _ = Person.objects.get_or_create(
            document_type="passport",
            document_number=f"E{i:08d}",
            defaults={"name": f"测试{i:05d}", "residence_region_id": "330000000000"},
        )
        services.issue_certificate(
            person=person,
            occupation=occupation,
            level=level("level4"),
            evaluator=evaluator,
            site_code="330000",
            route=Route.SOCIAL_EVALUATION,
            issued_on=datetime.date(2026, 11, 30),
        )
    return list(
        Certificate.objects.filter(issuer=evaluator)
        .order_by("pk")
        .values_list("number", "holder_name")[:count]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default=harness.default_driver(),
        help="load generator: wrk when installed, else Python threads",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--certificates", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="tongban-bench-verify-"))
    env = harness.server_env(data_dir, os.environ.get("DATABASE_URL"))
    # one loopback client drives all the load: lift its per-client limit (still counted)
    env["TONGBAN_VERIFY_PER_MINUTE"] = str(10**9)
    entries = prepare(env, args.certificates)
    print(f"machine: {harness.machine()}")
    print(f"database: {database_label(os.environ.get('DATABASE_URL', ''))}")
    print(f"certificates: {len(entries):,}; gunicorn workers: {args.workers}")
    with harness.serve(env, workers=args.workers) as base_url:
        harness.trivial(
            base_url, connections=args.connections, seconds=2, driver=args.driver
        )  # warm-up
        baseline = harness.trivial(
            base_url, connections=args.connections, seconds=args.seconds, driver=args.driver
        )
        result = harness.drive(
            base_url,
            lambda i: verify_request(i, entries),
            name="GET /api/public/certificates/verify/",
            connections=args.connections,
            seconds=args.seconds,
            driver=args.driver,
        )
    print("public verification:")
    ok = harness.report(result, baseline, goal_ratio=GOAL_RATIO, goal_p99_ms=GOAL_P99_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
