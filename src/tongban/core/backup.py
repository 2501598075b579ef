"""Backup and restore of the whole platform: the database, the signing keys and media.

A backup is one tar file holding

* ``manifest.json``: format version, database vendor, time, and every table's row
  count and content checksum as of the backup's snapshot;
* ``database.sqlite3`` (SQLite, copied with the online backup API while the platform
  keeps running) or ``database.dump`` (PostgreSQL, ``pg_dump -Fc`` of one snapshot);
* ``files/signing/…`` (``DATA_DIR/signing``: the certificate signing keys) and
  ``files/media/…`` (``MEDIA_ROOT``: event photos).

``restore`` puts the database and the files back and then checks every table's row
count and checksum against the manifest. PostgreSQL tools take the connection from
``DATABASE_URL`` through the ``PG*`` environment variables; the password is never on a
command line.

The file holds the signing keys and real-name data: store it as you store the database.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"


class BackupError(Exception):
    pass


def file_roots() -> dict[str, Path]:
    """Directories kept in a backup, by their name inside it."""
    return {
        "signing": Path(settings.DATA_DIR) / "signing",
        "media": Path(settings.MEDIA_ROOT),
    }


# --- fingerprints ---------------------------------------------------------------------


def _fingerprint_rows(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    digests = sorted(hashlib.sha256(repr(tuple(row)).encode()).hexdigest() for row in rows)
    return len(digests), hashlib.sha256("".join(digests).encode()).hexdigest()


def table_fingerprints(cursor: Any, tables: Iterable[str], quote: Any) -> dict[str, list[Any]]:
    """``{table: [row count, checksum]}``; the checksum ignores row order."""
    result: dict[str, list[Any]] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (names from introspection)
        count, digest = _fingerprint_rows(cursor.fetchall())
        result[table] = [count, digest]
    return result


def database_fingerprints(using: str = "default") -> dict[str, list[Any]]:
    connection = connections[using]
    if connection.vendor == "sqlite":
        # a plain connection, as for the backup file (Django's converts column types)
        return _sqlite_file_fingerprints(str(connection.settings_dict["NAME"]))
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return table_fingerprints(cursor, tables, connection.ops.quote_name)


def _sqlite_file_fingerprints(path: Path | str) -> dict[str, list[Any]]:
    db = sqlite3.connect(path, uri=str(path).startswith("file:"))
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return table_fingerprints(db.cursor(), tables, lambda n: '"' + n.replace('"', '""') + '"')
    finally:
        db.close()


# --- PostgreSQL tools -----------------------------------------------------------------


def pg_environment(using: str = "default") -> dict[str, str]:
    """The ``PG*`` variables for pg_dump / pg_restore: the password travels here only."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具")
    completed = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise BackupError(f"{command[0]} 失败：{completed.stderr.strip()}")


# --- backup ---------------------------------------------------------------------------


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(target: Path, using: str = "default") -> dict[str, Any]:
    """Write a backup of the database and the files to ``target``; return its manifest."""
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="tongban-backup-") as work:
        if connection.vendor == "sqlite":
            member = SQLITE_MEMBER
            dump = Path(work) / member
            connection.ensure_connection()
            source = connection.connection
            destination = sqlite3.connect(dump)
            try:
                source.backup(destination)
            finally:
                destination.close()
            tables = _sqlite_file_fingerprints(dump)
        elif connection.vendor == "postgresql":
            member = PG_MEMBER
            dump = Path(work) / member
            # one snapshot for the dump and the checksums
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                _run(
                    ["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(dump)],
                    pg_environment(using),
                )
                tables = table_fingerprints(
                    cursor, connection.introspection.table_names(cursor), connection.ops.quote_name
                )
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        manifest = {
            "format": FORMAT,
            "vendor": connection.vendor,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": member,
            "tables": tables,
            "files": sorted(name for name, root in file_roots().items() if root.is_dir()),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
            archive.add(dump, arcname=member)
            for name, root in file_roots().items():
                if root.is_dir():
                    archive.add(root, arcname=f"files/{name}")
        partial.replace(target)
    return manifest


# --- restore --------------------------------------------------------------------------


def _safe_members(archive: tarfile.TarFile, prefix: str) -> Iterator[tarfile.TarInfo]:
    for member in archive.getmembers():
        if member.name.startswith(prefix):
            yield member


@contextmanager
def _opened(source: Path) -> Iterator[tuple[tarfile.TarFile, dict[str, Any]]]:
    try:
        archive = tarfile.open(source, mode="r:*")  # noqa: SIM115 (closed below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"无法读取备份文件 {source}：{exc}") from exc
    with archive:
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError(f"{source} 不是通办备份文件（缺少 {MANIFEST}）") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
        yield archive, manifest


def restore(source: Path, using: str = "default") -> dict[str, Any]:
    """Replace the database and the files with the backup's; check every table after."""
    connection = connections[using]
    with _opened(source) as (archive, manifest), tempfile.TemporaryDirectory() as work:
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"备份来自 {manifest['vendor']} 数据库，当前数据库是 {connection.vendor}"
            )
        archive.extractall(work, filter="data")
        dump = Path(work) / manifest["database"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source_db = sqlite3.connect(dump)
            try:
                source_db.backup(connection.connection)
            finally:
                source_db.close()
        else:
            connection.close()
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
                + ["-d", str(connection.settings_dict["NAME"]), str(dump)],
                pg_environment(using),
            )
        for name, root in file_roots().items():
            extracted = Path(work) / "files" / name
            if name not in manifest["files"]:
                continue
            if root.exists():
                shutil.rmtree(root)
            shutil.copytree(extracted, root)
            if name == "signing":
                root.chmod(0o700)
    actual = database_fingerprints(using)
    differing = sorted(
        table
        for table in set(manifest["tables"]) | set(actual)
        if manifest["tables"].get(table) != actual.get(table)
    )
    if differing:
        raise BackupError(f"恢复后以下表与备份不一致：{', '.join(differing)}")
    return manifest
