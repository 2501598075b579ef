"""Bulk import speed and memory, with the ratios the issue asks for.

    tongban bench import [--rows 100000] [--subset 50000] [--chunk-size 2000]

Generates N people (``datagen.py``) into a CSV, then, each phase in its own process
against the same database:

1. ``tongban``: the platform's importer (partial mode, validation on, as the operator)
   into an empty table; rows/s and peak RSS (``resource.getrusage``);
2. ``raw``: the very rows the importer wrote, dumped and loaded back without any
   validation by raw ``COPY`` (PostgreSQL) or raw ``executemany`` (SQLite), in the
   same chunked transactions; rows/s;
3. ``die`` on the first ``--subset`` rows: the platform's importer, then
   django-import-export (``pip install tongban[bench]``) with model validation on
   (``clean_model_instances``); rows/s of each.

SQLite under a temporary data directory by default. With ``DATABASE_URL`` the named
database is migrated and its people table EMPTIED: point it at a scratch database.
Goals: ≥ 0.5 × raw; ≥ 20 × django-import-export; peak RSS < 500 MB at 10 million rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datagen  # noqa: E402
import harness  # noqa: E402

PERSON_COLUMNS = [
    "name", "name_pinyin", "document_type", "document_number", "gender", "birth_date",
    "social_security_card_number", "mobile", "residence_region_id", "education",
    "registered_by_id", "user_id", "created_at", "updated_at",
]  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mb() -> float:
    """The largest peak among the processes this one waited for (the validation workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def empty_people() -> None:
    """Empty the scratch tables with plain SQL (an ORM delete would audit every row)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("core_importbatch", "core_importjob", "core_employment", "core_person"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def phase_tongban(source: Path, chunk_size: int) -> dict[str, float]:
    from tongban.core.importing.commands import acting_user
    from tongban.core.importing.jobs import create_job, run_job

    empty_people()
    operator = acting_user(None)
    job = create_job(
        "people", source, user=operator, mode="partial", filename=source.name, channel="command"
    )
    started = time.perf_counter()
    job = run_job(job, user=operator, chunk_size=chunk_size)
    seconds = time.perf_counter() - started
    return {
        "rows": job.created_count + job.updated_count,
        "errors": job.error_count,
        "seconds": seconds,
        "rss_mb": peak_rss_mb(),
        "rss_worker_mb": peak_rss_children_mb(),
    }


def phase_raw(chunk_size: int) -> dict[str, float]:
    """Dump the rows the importer wrote, empty the table, load them back raw (timed)."""
    from django.db import connection, transaction

    dump = Path(tempfile.mkstemp(suffix=".csv")[1])
    columns = ", ".join(PERSON_COLUMNS)
    with connection.cursor() as cursor, dump.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        cursor.execute(f"SELECT {columns} FROM core_person")  # noqa: S608
        while batch := cursor.fetchmany(5000):
            writer.writerows(["\\N" if v is None else v for v in row] for row in batch)
    empty_people()
    started = time.perf_counter()
    rows = 0
    with dump.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        while True:
            chunk = [next(reader, None) for _ in range(chunk_size)]
            chunk = [[None if v == "\\N" else v for v in r] for r in chunk if r is not None]
            if not chunk:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY core_person ({columns}) FROM STDIN") as copy:
                        for record in chunk:
                            copy.write_row(record)
                else:
                    marks = ", ".join(["%s"] * len(PERSON_COLUMNS))
                    cursor.executemany(
                        f"INSERT INTO core_person ({columns}) VALUES ({marks})",  # noqa: S608
                        chunk,
                    )
            rows += len(chunk)
    seconds = time.perf_counter() - started
    dump.unlink()
    return {"rows": rows, "seconds": seconds, "rss_mb": peak_rss_mb()}


def phase_die(source: Path) -> dict[str, float]:
    """django-import-export on the same file, model validation on."""
    try:
        import tablib
        from import_export import fields, resources, widgets
    except ImportError:
        return {"skipped": 1}
    from tongban.core.models import Person, Region

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="name")
        document_type = fields.Field(attribute="document_type", column_name="document_type")
        document_number = fields.Field(attribute="document_number", column_name="document_number")
        gender = fields.Field(attribute="gender", column_name="gender")
        birth_date = fields.Field(
            attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget("%Y-%m-%d")
        )
        social_security_card_number = fields.Field(
            attribute="social_security_card_number", column_name="social_security_card_number"
        )
        mobile = fields.Field(attribute="mobile", column_name="mobile")
        residence_region = fields.Field(
            attribute="residence_region",
            column_name="residence_region",
            widget=widgets.ForeignKeyWidget(Region, "code"),
        )
        education = fields.Field(attribute="education", column_name="education")

        class Meta:
            model = Person
            import_id_fields = ("document_type", "document_number")
            fields = (
                "name", "document_type", "document_number", "gender", "birth_date",
                "social_security_card_number", "mobile", "residence_region", "education",
            )  # fmt: skip
            clean_model_instances = True
            use_transactions = True

    genders = {"男": "male", "女": "female"}
    educations = {str(label): value for value, label in _education_choices()}
    headers = list(PersonResource.Meta.fields)
    data = tablib.Dataset(headers=headers)
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            name, _type, number, gender, born, card, mobile, region, education = row
            data.append(
                [name, "resident_id", number, genders.get(gender, ""), born, card, mobile,
                 region, educations.get(education, "")]
            )  # fmt: skip
    empty_people()
    started = time.perf_counter()
    result = PersonResource().import_data(data, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - started
    return {
        "rows": result.totals.get("new", 0) + result.totals.get("update", 0),
        "errors": len(result.row_errors()) + len(result.invalid_rows),
        "seconds": seconds,
    }


def _education_choices() -> list[tuple[str, str]]:
    from tongban.core.models import Education

    return list(Education.choices)


def child(phase: str, source: Path, chunk_size: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    django.setup()
    if phase == "tongban":
        result = phase_tongban(source, chunk_size)
    elif phase == "raw":
        result = phase_raw(chunk_size)
    else:
        result = phase_die(source)
    print("RESULT " + json.dumps(result))


def run_child(env: dict[str, str], phase: str, source: Path, chunk_size: int) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tongban", "bench", "import", "--phase", phase,
         "--chunk-size", str(chunk_size), str(source)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line.removeprefix("RESULT ")))
    raise RuntimeError(f"{phase} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


def rate(result: dict[str, float]) -> float:
    return result["rows"] / result["seconds"] if result.get("seconds") else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description="bulk import benchmark")
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=50_000)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--phase", choices=["tongban", "raw", "die"])
    parser.add_argument("--skip-die", action="store_true")
    parser.add_argument(
        "--workers", type=int, help="validation workers (TONGBAN_IMPORT_WORKERS; 0: none)"
    )
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.file, args.chunk_size)
        return

    work = Path(tempfile.mkdtemp(prefix="tongban-bench-import-"))
    database_url = os.environ.get("DATABASE_URL", "")
    env = harness.server_env(work / "data", database_url or None)
    env.pop("TONGBAN_PRODUCTION", None)
    if args.workers is not None:
        env["TONGBAN_IMPORT_WORKERS"] = str(args.workers)
    print(f"machine: {harness.machine()}")
    print(f"database: {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'}")
    for step in (["migrate", "-v0"], ["load_regions"]):
        subprocess.run([sys.executable, "-m", "tongban", *step], env=env, check=True,  # noqa: S603
                       capture_output=True)  # fmt: skip
    import django

    django.setup()
    codes = datagen.counties()
    source = work / "people.csv"
    started = time.perf_counter()
    datagen.write(source, datagen.PEOPLE_HEADER, datagen.people(args.rows, codes))
    size = source.stat().st_size / 1e6
    print(
        f"generated {args.rows:,} people ({size:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )

    ours = run_child(env, "tongban", source, args.chunk_size)
    raw = run_child(env, "raw", source, args.chunk_size)
    print(f"tongban import: {ours['rows']:,} rows in {ours['seconds']:.1f} s = "
          f"{rate(ours):,.0f} rows/s (errors {ours['errors']}), peak RSS {ours['rss_mb']:.0f} MB"
          f" (largest worker {ours['rss_worker_mb']:.0f} MB)")  # fmt: skip
    print(
        f"raw load:       {raw['rows']:,} rows in {raw['seconds']:.1f} s = {rate(raw):,.0f} rows/s"
    )
    print(f"ratio to raw: {rate(ours) / rate(raw):.2f}x (goal >= 0.5x)")
    if args.skip_die:
        return
    subset = work / "subset.csv"
    with source.open(encoding="utf-8", newline="") as src, subset.open("w", encoding="utf-8", newline="") as dst:  # fmt: skip
        for i, line in enumerate(src):
            if i > args.subset:
                break
            dst.write(line)
    ours_subset = run_child(env, "tongban", subset, args.chunk_size)
    die = run_child(env, "die", subset, args.chunk_size)
    if die.get("skipped"):
        print("django-import-export not installed: pip install 'tongban[bench]'")
        return
    print(f"subset {args.subset:,}: tongban {rate(ours_subset):,.0f} rows/s; "
          f"django-import-export {die['rows']:,} rows in {die['seconds']:.1f} s = {rate(die):,.0f} rows/s "
          f"(errors {die['errors']})")  # fmt: skip
    print(f"ratio to django-import-export: {rate(ours_subset) / rate(die):.1f}x (goal >= 20x)")


if __name__ == "__main__":
    main()
