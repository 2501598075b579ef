"""The English catalogue: complete, compiled, and used by the pages after a language switch."""

from __future__ import annotations

import gettext as gnu_gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tongban.core.models import Person

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"


def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    return path


def test_english_catalogue_has_no_untranslated_or_fuzzy_messages():
    result = subprocess.run(
        [msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    counts = {
        kind: int(n)
        for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr)
    }
    assert counts.get("translated", 0) > 0, result.stderr
    assert counts.get("fuzzy", 0) == 0, result.stderr
    assert counts.get("untranslated", 0) == 0, result.stderr


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt(), "-o", str(fresh), str(PO_FILE)], check=True)
    with MO_FILE.open("rb") as committed, fresh.open("rb") as compiled:
        assert (
            gnu_gettext.GNUTranslations(committed)._catalog
            == gnu_gettext.GNUTranslations(compiled)._catalog
        ), "django.mo is stale: run `tongban compilemessages`"


def test_gettext_and_lazy_labels_in_english():
    with translation.override("en"):
        assert translation.gettext("人员") == "People"
        assert str(Person._meta.verbose_name) == "Person"
        assert str(Person._meta.verbose_name_plural) == "People"
        assert str(Person._meta.get_field("social_security_card_number").verbose_name) == (
            "Social security card number"
        )
    with translation.override("zh-hans"):
        assert str(Person._meta.verbose_name) == "人员"


@pytest.fixture
def restore_language():
    """LocaleMiddleware activates the request's language for the whole thread; put it back."""
    with translation.override(translation.get_language()):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("restore_language")
def test_language_switch_renders_home_page_in_english(client, django_user_model):
    user = django_user_model.objects.create_user(username="i18n-plain", password="not-used-1")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert 'aria-label="Main navigation"' in html
    assert ">API docs</a>" in html
    assert "主导航" not in html
