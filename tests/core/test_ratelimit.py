"""Per-client limits are counted once for every server process on the machine."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tongban.core import ratelimit


def test_a_client_is_limited_within_its_window_and_others_are_not(settings):
    assert [ratelimit.hit("verify", "10.0.0.1", limit=2) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("verify", "10.0.0.2", limit=2)
    assert ratelimit.hit("login", "10.0.0.1", limit=2), "each purpose counts on its own"


def test_requests_counted_by_another_process_count_here(settings, tmp_path):
    settings.TONGBAN_LIMITS_FILE = str(tmp_path / "shared.sqlite3")
    script = textwrap.dedent(
        f"""
        import django
        from django.conf import settings
        settings.configure(TONGBAN_LIMITS_FILE={str(tmp_path / "shared.sqlite3")!r})
        from tongban.core import ratelimit
        print([ratelimit.hit("verify", "10.0.0.9", limit=3) for _ in range(2)])
        """
    )
    other = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == "[True, True]"
    assert ratelimit.hit("verify", "10.0.0.9", limit=3)
    assert not ratelimit.hit("verify", "10.0.0.9", limit=3)


def test_a_new_window_starts_a_new_count(settings, monkeypatch):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert ratelimit.hit("verify", "10.0.0.3", limit=1)
    assert not ratelimit.hit("verify", "10.0.0.3", limit=1)
    clock[0] += 60
    assert ratelimit.hit("verify", "10.0.0.3", limit=1)


def test_an_unwritable_limits_file_lets_requests_through(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.TONGBAN_LIMITS_FILE = str(blocker / "limits.sqlite3")
    assert all(ratelimit.hit("verify", "10.0.0.4", limit=1) for _ in range(3))


def test_a_named_limit_takes_its_rate_and_window_from_its_settings(settings, rf, monkeypatch):
    limit = ratelimit.Limit("named", "TONGBAN_TEST_RATE", 5, "TONGBAN_TEST_WINDOW", 60)
    settings.TONGBAN_TEST_RATE = 2
    settings.TONGBAN_TEST_WINDOW = 600
    clock = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    request = rf.get("/", REMOTE_ADDR="10.0.0.5")
    assert [limit.allow(request) for _ in range(3)] == [True, True, False]
    clock[0] += 100
    assert not limit.allow(request), "the window is ten minutes, not one"
    assert limit.retry_after() == 500
    settings.TONGBAN_TEST_RATE = 0
    assert all(limit.allow(request) for _ in range(5)), "a rate of 0 turns the limit off"
