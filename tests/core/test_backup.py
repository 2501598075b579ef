"""Backup and restore round trip: every table's row count and content checksum, and the files.

The platforms run in processes of their own (as an operator would run the commands), on
SQLite files and, when the suite runs on PostgreSQL, on scratch databases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from tongban.core import backup

IS_PG = os.environ.get("DATABASE_URL", "").startswith("postgres")


def tongban(data_dir: Path, *args: str, database_url: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TONGBAN_DATA_DIR"] = str(data_dir)
    env["TONGBAN_FAST_PASSWORD_HASHER"] = "1"
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tongban", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def plant_files(data_dir: Path) -> None:
    (data_dir / "signing").mkdir(parents=True, exist_ok=True)
    (data_dir / "signing" / "k1.key").write_bytes(b"private key bytes")
    (data_dir / "media" / "events" / "2026").mkdir(parents=True, exist_ok=True)
    (data_dir / "media" / "events" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8 jpeg")


def assert_files_restored(data_dir: Path) -> None:
    assert (data_dir / "signing" / "k1.key").read_bytes() == b"private key bytes"
    assert (data_dir / "media" / "events" / "2026" / "photo.jpg").read_bytes() == b"\xff\xd8 jpeg"


def manifest_tables(archive: Path) -> dict:
    with backup._opened(archive) as (_tar, manifest):
        return manifest["tables"]


def test_sqlite_backup_and_restore_keep_every_table_and_file(tmp_path):
    source, target, archive = tmp_path / "a", tmp_path / "b", tmp_path / "backup.tar.gz"
    tongban(source, "demo", "--no-serve")
    plant_files(source)
    before = backup._sqlite_file_fingerprints(source / "tongban.sqlite3")
    assert sum(count for count, _ in before.values()) > 1000

    tongban(source, "backup", str(archive))
    assert manifest_tables(archive) == before
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.sqlite3", "files/signing/k1.key"} <= set(names)

    tongban(target, "restore", str(archive))
    assert backup._sqlite_file_fingerprints(target / "tongban.sqlite3") == before
    assert_files_restored(target)
    tongban(target, "audit", "verify")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(backup.BackupError, match="无法读取备份文件"), backup._opened(bogus):
        pass


@pytest.mark.skipif(not IS_PG, reason="needs the PostgreSQL server the suite runs on")
def test_postgresql_backup_and_restore_keep_every_table_and_file(tmp_path):
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg.connect(
        host=base["HOST"] or "localhost",
        port=base["PORT"] or 5432,
        user=base["USER"],
        password=base["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    suffix = uuid.uuid4().hex[:8]
    names = [f"tongban_bk_src_{suffix}", f"tongban_bk_dst_{suffix}"]
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        src_url, dst_url = (
            f"postgres://{base['USER']}:{base['PASSWORD']}@{base['HOST'] or 'localhost'}"
            f":{base['PORT'] or 5432}/{name}"
            for name in names
        )
        source, target, archive = tmp_path / "a", tmp_path / "b", tmp_path / "backup.tar.gz"
        tongban(source, "demo", "--no-serve", database_url=src_url)
        plant_files(source)
        tongban(source, "backup", str(archive), database_url=src_url)
        tables = manifest_tables(archive)
        assert sum(count for count, _ in tables.values()) > 1000
        with tarfile.open(archive) as tar:
            assert "database.dump" in tar.getnames()

        tongban(target, "restore", str(archive), database_url=dst_url)  # checks every table
        assert_files_restored(target)
        tongban(target, "audit", "verify", database_url=dst_url)
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
