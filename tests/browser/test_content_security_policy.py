"""The Content-Security-Policy holds in a real Chromium: an administrator walks the main
pages of the demo platform (and the public ones) and the console reports no violation."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tongban.core.demo import DEMO_PASSWORD, load_demo_data
from tongban.core.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIOLATION_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo(regions):
    load_demo_data()
    for config in apps.get_app_configs():
        hook = getattr(config, "load_demo", None)
        if hook is not None:
            list(hook())


def detail_urls() -> list[str]:
    urls = [f"/people/{Person.objects.order_by('pk').first().pk}/"]
    for label, prefix in (
        ("governance.Event", "/events/"),
        ("skills.EvaluationPlan", "/skills/plans/"),
        ("skills.Certificate", "/skills/certificates/"),
    ):
        first = apps.get_model(label).objects.order_by("pk").first()
        if first is not None:
            urls.append(f"{prefix}{first.pk}/")
    return urls


def test_main_pages_raise_no_content_security_policy_violation(page, demo):
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(VIOLATION_LISTENER)
    violations: list[str] = []

    def visit(url: str) -> None:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        violations.extend(f"{url}: {v}" for v in page.evaluate("window.__csp"))

    for url in ("/verify/", "/e/", "/accounts/login/"):
        visit(url)
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("您好")

    pages = [
        "/",
        "/people/",
        "/organizations/",
        "/events/",
        "/events/queue/",
        "/events/hotline/",
        "/governance/dashboard/",
        "/skills/occupations/",
        "/skills/eligibility/",
        "/skills/plans/",
        "/skills/certificates/",
        "/api/docs/",
        "/admin/",
        *detail_urls(),
    ]
    for url in pages:
        visit(url)
        assert page.url.endswith(url), f"{url} went to {page.url}"
    # the language switch works without inline script
    page.goto("/people/")
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^en"))
    assert violations == [] and console == [], violations + console
