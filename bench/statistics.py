"""Statistics against the targets: the full rebuild of the tally on PostgreSQL against
DuckDB doing the same computation over the same rows, the dashboard pages over it, and
the incremental update of one person.

1. Fills the database (``DATABASE_URL``, PostgreSQL; give it an empty one) with
   ``--people`` people (default 10,000,000, the issue's scale) across every county of the
   country and the villages of 湖州市, about 0.8 employment and ``--certificates``
   certificates per person (default 1.5), issued over 30 years, with set-based SQL
   (foreign-key triggers off and the plain indexes built once afterwards; about 12 minutes
   for the default size on two cores).
2. Times ``rebuild_skill_tally`` (``skills.tally.rebuild``) on PostgreSQL, then copies the
   same rows into an in-memory DuckDB and times the same statement there
   (``skills.tally.rebuild_sql``), and checks both give the same rows.
3. Times the dashboard page (``/skills/statistics/``, rendered in process) for the
   country, a province, a city, a county and a township, and the incremental update of
   one person's counts (what a certificate issue or revocation adds to its transaction).

    tongban bench statistics [--people 10000000] [--certificates 1.5] [--runs 5] [--keep]

Needs the ``bench`` extra (``pip install duckdb``). Goals: dashboard pages < 100 ms;
rebuild on PostgreSQL within 10× DuckDB's time.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _standard_statistics() -> Any:
    """The standard library's ``statistics``: this file has its name and bench/ is on the
    path, so ``import statistics`` (here, in ``harness``, anywhere after) would find this
    file instead. Load the real one and leave it in ``sys.modules`` (when this file is
    being imported as ``statistics``, the import then returns the standard module)."""
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.modules.pop("statistics", None)
    try:
        return importlib.import_module("statistics")
    finally:
        sys.path[:] = saved


stats = _standard_statistics()
sys.path.insert(0, str(HERE))

import harness  # noqa: E402

GOAL_PAGE_MS = 100
GOAL_RATIO = 10
FIRST_YEAR = 1996


def setup(env: dict[str, str]) -> None:
    harness.tongban("migrate", "--noinput", "-v0", env=env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    import django

    django.setup()
    from tongban.core.models import Region
    from tongban.core.regions import load_regions
    from tongban.skills.models import Occupation
    from tongban.skills.occupations import default_source, load_occupations

    if not Region.objects.filter(code__startswith="3305", level="village").exists():
        load_regions(deep_prefixes=("3305",))
    if not Occupation.objects.exists():
        source = default_source()
        if source is None:
            raise SystemExit("the occupation catalogue is not packaged")
        load_occupations(source)


def generate(people: int, certificates: float) -> float:
    """Insert the rows with set-based SQL (PostgreSQL); returns seconds."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        # Bulk-loading the bench's own rows: foreign-key triggers off (the rows are consistent
        # by construction) and the plain indexes built once afterwards instead of row by row.
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        indexes = _plain_indexes(cur, ("core_person", "core_employment", "skills_certificate"))
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        _insert(people, certificates)
        step = time.perf_counter()
        for _, definition in indexes:
            cur.execute(definition)
        print(f"  indexes rebuilt in {time.perf_counter() - step:.0f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def _plain_indexes(cur: Any, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """Indexes of ``tables`` that back no constraint (primary and unique keys stay)."""
    cur.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                             WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
        [list(tables)],
    )
    return [(name, definition) for name, definition in cur.fetchall()]


def _insert(people: int, certificates: float) -> None:
    from django.db import connection

    from tongban.core.models import Organization
    from tongban.skills.models import Evaluator

    _last[0] = time.perf_counter()
    org, _ = Organization.objects.get_or_create(
        name="基准测试评价中心",
        defaults={"kind": "evaluation_organization", "region_id": "330502000000"},
    )
    evaluator, _ = Evaluator.objects.get_or_create(
        organization=org, defaults={"kind": "social", "institution_code": "9999"}
    )
    employer, _ = Organization.objects.get_or_create(
        name="基准测试用人单位", defaults={"kind": "enterprise", "region_id": "330502000000"}
    )
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        cur.execute(
            """CREATE TEMP TABLE bench_places AS
               SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM core_region
               WHERE level = 'county' OR (level = 'village' AND code LIKE '3305%')"""
        )
        cur.execute(
            """CREATE TEMP TABLE bench_occupations AS
               SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, code FROM skills_occupation
               WHERE is_occupation"""
        )
        cur.execute(
            "SELECT (SELECT COUNT(*) FROM bench_places), (SELECT COUNT(*) FROM bench_occupations)"
        )
        places, occupations = cur.fetchone()
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM core_person")
        base = cur.fetchone()[0]
        cur.execute(
            """INSERT INTO core_person (name, name_pinyin, document_type, document_number,
                 gender, birth_date, social_security_card_number, mobile, residence_region_id,
                 education, created_at, updated_at)
               SELECT '测试' || g, 'ceshi' || g, 'passport', 'B' || (%s + g), 'male',
                 DATE '1960-01-01' + (g %% 15000), '', '', p.code, '', now(), now()
               FROM generate_series(1, %s) g
               JOIN bench_places p ON p.i = (g::bigint * 7919) %% %s""",
            [base, people, places],
        )
        _step("people")
        cur.execute("SELECT MIN(id), MAX(id) FROM core_person WHERE id > %s", [base])
        first, last = cur.fetchone()
        if last - first + 1 != people:
            raise SystemExit("the new people's ids are not contiguous: give an empty database")
        cur.execute(
            """INSERT INTO core_employment (person_id, organization_id, post, occupation_code,
                 start_date, end_date, frontline, created_at, updated_at)
               SELECT p.id, %s, '', o.code,
                 DATE '1996-01-01' + (random() * 10950)::int,
                 NULL, false, now(), now()
               FROM core_person p
               JOIN bench_occupations o ON o.i = (p.id::bigint * 31) %% %s
               WHERE p.id > %s AND random() < 0.8""",
            [employer.pk, occupations, base],
        )
        # about a fifth of the employments have ended
        cur.execute(
            """UPDATE core_employment SET end_date = start_date + (random() * 4000)::int
               WHERE organization_id = %s AND random() < 0.2""",
            [employer.pk],
        )
        _step("employments")
        cur.execute("SELECT id FROM skills_skilllevel WHERE rank BETWEEN 1 AND 5 ORDER BY rank")
        levels = [r[0] for r in cur.fetchall()]
        cur.execute(
            """INSERT INTO skills_certificate (number, person_id, holder_name, occupation_id,
                 level_id, issuer_id, issued_on, route, evidence, payload, status,
                 revoked_reason, created_at)
               SELECT 'B' || lpad(g::text, 21, '0'), %s + (g::bigint * 104729) %% %s, '测试',
                 o.id, (ARRAY[%s, %s, %s, %s, %s])[1 + floor(power(random(), 1.6) * 5)::int],
                 %s, DATE '1996-01-01' + (random() * 10950)::int, 'social_evaluation', '', '',
                 CASE WHEN random() < 0.02 THEN 'revoked' ELSE 'valid' END, '', now()
               FROM generate_series(1, %s) g
               JOIN bench_occupations o ON o.i = (g::bigint * 13) %% %s""",
            [first, people, *levels, evaluator.pk, int(people * certificates), occupations],
        )
        _step("certificates")


_last = [time.perf_counter()]


def _step(name: str) -> None:
    now = time.perf_counter()
    print(f"  {name} inserted in {now - _last[0]:.0f} s", flush=True)
    _last[0] = now


def counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cur:
        found = {}
        for table in ("core_person", "core_employment", "skills_certificate"):
            cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            found[table] = cur.fetchone()[0]
    return found


def rebuild_postgres() -> tuple[float, int]:
    from tongban.skills.tally import rebuild

    started = time.perf_counter()
    rows = rebuild()
    return time.perf_counter() - started, rows


COPIES = {
    "core_person": "SELECT id, residence_region_id FROM core_person",
    "core_employment": "SELECT id, person_id, start_date, end_date, occupation_code "
    "FROM core_employment",
    "skills_certificate": "SELECT id, person_id, occupation_id, level_id, issued_on, status "
    "FROM skills_certificate",
    "skills_skilllevel": "SELECT id, rank, high_skill FROM skills_skilllevel",
    "skills_occupation": "SELECT id, code FROM skills_occupation",
}
DUCK_TYPES = {
    "core_person": "id BIGINT, residence_region_id VARCHAR",
    "core_employment": "id BIGINT, person_id BIGINT, start_date DATE, end_date DATE, "
    "occupation_code VARCHAR",
    "skills_certificate": "id BIGINT, person_id BIGINT, occupation_id BIGINT, level_id BIGINT, "
    "issued_on DATE, status VARCHAR",
    "skills_skilllevel": "id BIGINT, rank INTEGER, high_skill BOOLEAN",
    "skills_occupation": "id BIGINT, code VARCHAR",
}


def load_duckdb(directory: Path) -> tuple[Any, float]:
    """Copy the same rows into an in-memory DuckDB (through CSV files); returns seconds."""
    import duckdb  # the `bench` extra; imported only here
    from django.db import connection

    started = time.perf_counter()
    duck = duckdb.connect(":memory:")
    connection.ensure_connection()
    raw = connection.connection
    for table, query in COPIES.items():
        path = directory / f"{table}.csv"
        sql = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)"
        with open(path, "wb") as out, raw.cursor() as cur, cur.copy(sql) as copy:
            for chunk in copy:
                out.write(bytes(chunk))
        duck.execute(f"CREATE TABLE {table} ({DUCK_TYPES[table]})")
        duck.execute(f"COPY {table} FROM '{path}' (HEADER true)")
        path.unlink()
    return duck, time.perf_counter() - started


def rebuild_duckdb(duck: Any) -> tuple[float, int]:
    from tongban.skills.tally import rebuild_sql

    started = time.perf_counter()
    duck.execute(f"CREATE OR REPLACE TABLE tally AS {rebuild_sql('duckdb')}")  # noqa: S608
    seconds = time.perf_counter() - started
    return seconds, duck.execute("SELECT COUNT(*) FROM tally").fetchone()[0]


def same_rows(duck: Any) -> bool:
    """Whether DuckDB computed exactly the rows PostgreSQL stored."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT year, region, depth, category, measure, n FROM skills_skilltally "
            "ORDER BY region, measure, category, year"
        )
        ours = sorted(tuple(r) for r in cur.fetchall())
    theirs = duck.execute("SELECT y, region, depth, cat, measure, n FROM tally").fetchall()
    return ours == sorted(tuple(int(v) if isinstance(v, int) else v for v in r) for r in theirs)


def time_pages(runs: int) -> list[tuple[str, list[float]]]:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    admin, _ = User.objects.get_or_create(
        username="bench-statistics", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    from tongban.core.models import Region

    township = (
        Region.objects.filter(level="township", code__startswith="330502").order_by("code").first()
    )
    pages = [
        ("全国", ""),
        ("浙江省", "330000000000"),
        ("湖州市", "330500000000"),
        ("吴兴区", "330502000000"),
        (township.name if township else "乡镇", township.code if township else "330502001000"),
    ]
    results = []
    client.get("/healthz/")
    trivial = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get("/healthz/")
        trivial.append((time.perf_counter() - started) * 1000)
    results.append(("/healthz/ (trivial view, for scale)", trivial))
    for name, code in pages:
        url = f"/skills/statistics/?region={code}" if code else "/skills/statistics/"
        client.get(url)  # warm
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        results.append((name, times))
    return results


def time_incremental(samples: int = 50) -> list[float]:
    """One person's counts moved (before and after, as a certificate write does)."""
    from django.db import connection, transaction

    from tongban.skills import tally

    with connection.cursor() as cur:
        cur.execute(
            "SELECT person_id FROM skills_certificate ORDER BY md5(id::text) LIMIT %s", [samples]
        )
        ids = [r[0] for r in cur.fetchall()]
    times = []
    for pk in ids:
        started = time.perf_counter()
        with transaction.atomic():
            tally.settle(tally.snapshot([pk]))
        times.append((time.perf_counter() - started) * 1000)
    return times


def report_pages(runs: int) -> int:
    pages_ok = True
    print(f"dashboard pages (in process, median of {runs} after one warm-up):")
    for name, times in time_pages(runs):
        middle = stats.median(times)
        if not name.startswith("/healthz/"):
            pages_ok = pages_ok and middle < GOAL_PAGE_MS
        print(f"  {name}: median {middle:.0f} ms, max {max(times):.0f} ms")
    print(f"  goal < {GOAL_PAGE_MS} ms → {'met' if pages_ok else 'NOT met'}")
    return 0 if pages_ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000_000)
    parser.add_argument("--certificates", type=float, default=1.5, help="per person")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse the rows already there")
    parser.add_argument(
        "--pages-only", action="store_true", help="with --keep: time the pages only"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to an empty PostgreSQL database")
    try:
        import duckdb  # noqa: F401
    except ImportError as exc:
        raise SystemExit("install the bench extra: pip install duckdb") from exc
    data_dir = Path(tempfile.mkdtemp(prefix="tongban-bench-statistics-"))
    env = harness.server_env(data_dir, url)
    setup(env)
    print(f"machine: {harness.machine()}")
    if not args.keep and not args.pages_only:
        seconds = generate(args.people, args.certificates)
        print(f"generated in {seconds:.0f} s")
    sizes = counts()
    print("rows: " + ", ".join(f"{table} {n:,}" for table, n in sizes.items()))
    if args.pages_only:
        return report_pages(args.runs)
    pg_seconds, pg_rows = rebuild_postgres()
    print(f"rebuild on PostgreSQL: {pg_seconds:.1f} s, {pg_rows:,} tally rows")
    duck, load_seconds = load_duckdb(data_dir)
    duck_seconds, duck_rows = rebuild_duckdb(duck)
    identical = same_rows(duck)
    ratio = pg_seconds / duck_seconds if duck_seconds else float("inf")
    print(
        f"same computation in DuckDB: {duck_seconds:.1f} s, {duck_rows:,} rows "
        f"(rows copied in {load_seconds:.0f} s, not counted); identical: {identical}"
    )
    rebuild_ok = identical and ratio <= GOAL_RATIO
    print(
        f"  PostgreSQL / DuckDB = {ratio:.1f}× (goal ≤ {GOAL_RATIO}×) → "
        f"{'met' if rebuild_ok else 'NOT met'}"
    )
    pages_ok = report_pages(args.runs) == 0
    increments = time_incremental()
    print(
        f"incremental update of one person: median {stats.median(increments):.1f} ms, "
        f"max {max(increments):.1f} ms over {len(increments)} people"
    )
    return 0 if rebuild_ok and pages_ok else 1


if __name__ == "__main__":
    sys.exit(main())
