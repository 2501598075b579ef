"""The SQLite backend queues writers on a lock file beside the database."""

from __future__ import annotations

import threading
import time

import pytest

from tongban.core.db.sqlite3.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_database_files(django_db_blocker):
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def wrapper(path, alias, timeout=20.0):
    settings = {
        "ENGINE": "tongban.core.db.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=alias)


def test_a_second_writer_waits_for_the_first_and_then_writes(tmp_path):
    path = tmp_path / "db.sqlite3"
    first = wrapper(path, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    order: list[str] = []
    try:
        with _atomic(first):
            first.cursor().execute("INSERT INTO t VALUES (1)")
            # a connection belongs to its thread: the second writer opens its own. Its SQLite
            # busy timeout (0.05 s) is shorter than the first writer's transaction (0.3 s):
            # only a writer queued on the lock file, not SQLite's polling, gets through.
            worker = threading.Thread(
                target=lambda: _write(wrapper(path, "second", timeout=0.05), 2, order)
            )
            worker.start()
            time.sleep(0.3)
            assert order == [], "the second writer must wait for the first to commit"
            order.append("first committed")
        worker.join(timeout=10)
        assert order == ["first committed", "second wrote"]
        with first.cursor() as cursor:
            cursor.execute("SELECT n FROM t ORDER BY n")
            assert [r[0] for r in cursor.fetchall()] == [1, 2]
        assert (tmp_path / "db.sqlite3.writer-lock").exists()
    finally:
        first.close()


def test_a_rolled_back_writer_releases_the_lock(tmp_path):
    path = tmp_path / "db.sqlite3"
    first, second = wrapper(path, "first"), wrapper(path, "second")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    try:
        try:
            with _atomic(first):
                first.cursor().execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        assert not first._writer_lock_held
        order: list[str] = []
        _write(second, 3, order)
        with second.cursor() as cursor:
            cursor.execute("SELECT n FROM t")
            assert [r[0] for r in cursor.fetchall()] == [3]
    finally:
        first.close()
        second.close()


class _atomic:
    """A write transaction on one wrapper, the way ``transaction.atomic`` opens it."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        self.connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.connection.commit()
        else:
            self.connection.rollback()
        self.connection.set_autocommit(True)
        return False


def _write(connection, n, order):
    with _atomic(connection):
        connection.cursor().execute("INSERT INTO t VALUES (%s)", [n])
        order.append("second wrote")
    connection.close()
