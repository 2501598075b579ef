from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tongban.core"
    label = "core"
    verbose_name = _("基础信息")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tongban.core import audit, audit_chain, lockout  # noqa: F401 (signal receivers)

        audit.register_models()
        from tongban.core.importing.core_kinds import register_core_kinds

        register_core_kinds()
        audit_chain.register_core()
