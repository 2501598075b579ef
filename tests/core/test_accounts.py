"""Accounts: lockout per account and per client, password rules, session expiry, CSRF on
every form, security headers and a Content-Security-Policy the templates can keep."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import WUXING, make_user
from tongban.core.permissions import Role

pytestmark = pytest.mark.django_db
PASSWORD = "right-password-2026"
TEMPLATE_ROOT = Path(__file__).resolve().parents[2] / "src" / "tongban"


@pytest.fixture
def officer(regions):
    return make_user("hr_lock", Role.HR_OFFICER, region=WUXING, password=PASSWORD)


def login(client: Client, username: str, password: str, addr: str = "10.1.1.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_account_locked_after_five_failures_even_with_the_right_password(officer, client):
    for _ in range(5):
        assert login(client, "hr_lock", "wrong-password").status_code == 200
    response = login(client, "hr_lock", PASSWORD, addr="10.9.9.9")  # from another client too
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert not signed_in(client)


def test_failures_below_the_limit_then_success_clear_the_account_count(officer, client):
    for _ in range(4):
        login(client, "hr_lock", "wrong-password")
    assert login(client, "hr_lock", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "hr_lock", "wrong-password")
    assert login(client, "hr_lock", PASSWORD).status_code == 302


def test_unknown_account_names_lock_the_same_way_telling_nothing(officer, client):
    answers = set()
    for name in ("hr_lock", "nobody_here"):
        for _ in range(5):
            login(client, name, "wrong-password", addr=f"10.2.{len(name)}.1")
        page = login(client, name, "x", addr=f"10.3.{len(name)}.1").content.decode()
        answers.add(re.search(r'<p class="error">(.*?)</p>', page).group(1))
    assert len(answers) == 1 and "登录失败次数过多" in answers.pop()


def test_client_locked_after_failures_across_accounts(officer, client, settings):
    settings.TONGBAN_LOGIN_MAX_FAILURES_PER_CLIENT = 8
    for n in range(8):
        login(client, f"guess{n}", "wrong-password", addr="10.5.5.5")
    assert (
        "登录失败次数过多" in login(client, "hr_lock", PASSWORD, addr="10.5.5.5").content.decode()
    )
    assert not signed_in(client)
    assert login(client, "hr_lock", PASSWORD, addr="10.6.6.6").status_code == 302


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(officer, settings):
    settings.TONGBAN_BEHIND_PROXY = True
    settings.TONGBAN_LOGIN_MAX_FAILURES_PER_CLIENT = 3
    for n in range(3):
        Client().post(
            "/accounts/login/",
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7",  # a forged first entry
        )
    other = Client()
    ok = login(other, "hr_lock", PASSWORD, addr="127.0.0.1")  # same proxy, another client
    assert ok.status_code == 302
    locked = Client().post(
        "/accounts/login/",
        {"username": "hr_lock", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert "登录失败次数过多" in locked.content.decode()


def test_api_token_and_admin_login_refused_while_locked(officer, client):
    officer.is_staff = True
    officer.save()
    for _ in range(5):
        login(client, "hr_lock", "wrong-password")
    token = client.post("/api/auth/token/", {"username": "hr_lock", "password": PASSWORD})
    assert token.status_code == 400 and "token" not in token.json()
    admin = client.post("/admin/login/", {"username": "hr_lock", "password": PASSWORD})
    assert admin.status_code == 200 and not signed_in(client)


@pytest.mark.parametrize("password", ["short-pw1", "1234567890123", "password123"])
def test_weak_passwords_refused(password, officer):
    with pytest.raises(ValidationError):
        validate_password(password, officer)


def test_a_long_uncommon_password_accepted(officer):
    validate_password("灯塔-Huzhou-2026-qx", officer)


def test_session_lasts_eight_hours_by_default_and_ends_with_the_browser(officer, client):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    response = login(client, "hr_lock", PASSWORD)
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 8 * 3600 - 60 < left <= 8 * 3600
    assert client.get("/people/").status_code == 200
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now())
    assert client.get("/people/").status_code == 302


def _settings_with(env: dict[str, str]) -> dict:
    code = (
        "import json, tongban.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_PROXY_SSL_HEADER','DEBUG']}))"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith("TONGBAN_")} | env
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_production_sets_secure_cookies_hsts_and_https_redirect():
    production = _settings_with(
        {
            "TONGBAN_PRODUCTION": "1",
            "TONGBAN_SECRET_KEY": "a-real-secret-for-this-test-only",
            "TONGBAN_BEHIND_PROXY": "1",
        }
    )
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_SSL_REDIRECT"] and production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["DEBUG"] is False
    embedded = _settings_with({})
    assert not embedded["SECURE_SSL_REDIRECT"] and embedded["SECURE_HSTS_SECONDS"] == 0


def test_pages_send_security_headers_and_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATE_ROOT.rglob("templates/**/*.html"))


def test_every_post_form_in_every_template_carries_the_csrf_token():
    checked = 0
    for path in _templates():
        text = path.read_text()
        for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, re.S | re.I):
            if re.search(r"method\s*=\s*[\"']?post", form.group(0), re.I):
                checked += 1
                assert "{% csrf_token %}" in form.group(1), f"{path.name}: POST form without token"
    assert checked >= 10


def test_csrf_middleware_refuses_a_post_without_the_token(officer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert strict.post("/accounts/logout/").status_code == 403
    assert strict.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403


def test_no_view_is_exempt_from_csrf_except_token_authenticated_apis():
    exempt = [
        p
        for p in (TEMPLATE_ROOT).rglob("*.py")
        if "csrf_exempt" in p.read_text() and "migrations" not in p.parts
    ]
    assert all("api" in p.parts or p.name == "open311.py" for p in exempt), exempt


def test_templates_have_no_inline_script_style_or_event_handler():
    for path in _templates():
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{path}: inline <script>"
        assert not re.search(r"\sstyle\s*=", text), f"{path}: style= attribute"
        assert not re.search(r"<style\b", text), f"{path}: <style> element"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path}: on…= handler"


def test_password_change_page_applies_the_rules(officer, client):
    client.force_login(officer)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    form = {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"}
    refused = client.post("/accounts/password/", form)
    assert refused.status_code == 200 and 'data-field="new_password2"' in refused.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    good = "南浔-elevator-2026"
    form = {"old_password": PASSWORD, "new_password1": good, "new_password2": good}
    assert client.post("/accounts/password/", form).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(good)
