"""The two-command promise: ``tongban demo`` prepares a working platform, twice safely."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest


def run_tongban(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tongban", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_demo_prepares_and_is_safe_to_run_again(tmp_path):
    data_dir = tmp_path / "data"
    env = {"TONGBAN_FAST_PASSWORD_HASHER": "1"}
    first = run_tongban("demo", "--no-serve", "--data-dir", str(data_dir), env=env)
    assert first.returncode == 0, first.stderr
    for word in ("hr_wuxing", "enterprise_hr", "grid", "worker", "http://127.0.0.1:8000/"):
        assert word in first.stdout
    assert "村级 25547" in first.stdout or "村级" in first.stdout

    db = data_dir / "tongban.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE core_person SET name = '已改名' WHERE id = 1")
    counts_sql = "SELECT (SELECT count(*) FROM core_person), (SELECT count(*) FROM auth_user), (SELECT count(*) FROM core_organization)"
    with sqlite3.connect(db) as conn:
        before = conn.execute(counts_sql).fetchone()

    second = run_tongban("demo", "--no-serve", "--data-dir", str(data_dir), env=env)
    assert second.returncode == 0, second.stderr
    assert "已存在，未改动" in second.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute(counts_sql).fetchone() == before
        assert conn.execute("SELECT name FROM core_person WHERE id = 1").fetchone()[0] == "已改名"
        villages = conn.execute(
            "SELECT count(*) FROM core_region WHERE level = 'village' AND code LIKE '33%'"
        ).fetchone()[0]
    assert villages > 25000

    # the same data directory served by gunicorn, as `tongban serve --prod` does in production
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env_serve = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tongban", "serve", "--prod", "--port", str(port),
         "--workers", "1", "--data-dir", str(data_dir)],
        env=env_serve,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        page = css = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                base = f"http://127.0.0.1:{port}"
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as r:  # noqa: S310
                    page = r.read().decode()
                with urllib.request.urlopen(f"{base}/static/tongban/app.css", timeout=5) as r:  # noqa: S310
                    css = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "登录" in page
        assert "--brand" in css
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_production_refuses_the_default_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "TONGBAN_SECRET_KEY"}
    env["TONGBAN_PRODUCTION"] = "1"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import tongban.settings"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "TONGBAN_SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    env = dict(os.environ, TONGBAN_PRODUCTION="1", TONGBAN_SECRET_KEY="x" * 50)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import tongban.settings as s; print(s.DEBUG)"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == "False"


def test_django_commands_work_through_tongban(tmp_path):
    result = run_tongban("check", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
