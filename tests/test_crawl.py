"""With the demo data loaded, every page reachable by links from the home page renders
for every demo account (a broken template or a missing URL anywhere fails this)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from tongban.core.demo import load_demo_data

LINK = re.compile(r'<a href="(/[^"?#]*)"')
SKIP = ("/admin", "/api/docs", "/static", "/media", "/accounts/logout")


@pytest.fixture
def demo(regions):
    logins = load_demo_data()
    for config in apps.get_app_configs():
        hook = getattr(config, "load_demo", None)
        if hook is not None:
            hook()
    return [login.username for login in logins]


@pytest.mark.django_db
def test_every_linked_page_renders_for_every_demo_account(demo, client):
    assert "dispatcher" in demo and "worker" in demo
    for username in demo:
        client.force_login(User.objects.get(username=username))
        seen: set[str] = set()
        queue = ["/"]
        broken = []
        while queue and len(seen) < 40:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200:
                broken.append((url, response.status_code))
                continue
            if "html" in response.get("Content-Type", ""):
                for link in LINK.findall(response.content.decode()):
                    if not link.startswith(SKIP) and link not in seen:
                        queue.append(link)
        assert not broken, (username, broken)
        assert len(seen) > 3, username
