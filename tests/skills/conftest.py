from __future__ import annotations

import datetime

import pytest

from tests.skills import builders


@pytest.fixture
def catalogue(regions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    builders.load_sample()


@pytest.fixture
def on_day(monkeypatch):
    """Fix "today" of the certification workflows (公示 periods, issue dates)."""

    def set_day(day: datetime.date) -> None:
        monkeypatch.setattr("tongban.skills.models.certification.today", lambda: day)

    set_day(datetime.date(2026, 11, 30))
    return set_day
