from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "tongban.governance"
    label = "governance"
    verbose_name = _("基层治理")
    default_auto_field = "django.db.models.BigAutoField"
    # (url name, label, model label): shown to users who may view some object of the model
    menu: list[tuple[str, Any, str]] = []

    def home_actions(self, user: Any) -> list[tuple[str, Any]]:
        """(url name, label) buttons on the home page for ``user``."""
        return []

    def person_sections(self, request: Any, person: Any) -> list[tuple[str, Any]]:
        """(template name, context object) sections added to a person's page."""
        return []
