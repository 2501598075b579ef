"""Skilled-talent system: occupations, standards, certification routes, certificates."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reference_data(sender: Any, **kwargs: Any) -> None:
    from tongban.skills.equivalences import ensure_equivalences
    from tongban.skills.models.occupation import ensure_ladder
    from tongban.skills.models.statistics import ensure_targets

    ensure_ladder()
    ensure_equivalences()
    ensure_targets()


class SkillsConfig(AppConfig):
    name = "tongban.skills"
    label = "skills"
    verbose_name = _("技能人才")
    default_auto_field = "django.db.models.BigAutoField"
    # (url name, label, model label): shown to users who may view some object of the model
    menu: list[tuple[str, Any, str]] = [
        ("skills:occupation_list", _("职业"), "skills.occupation"),
        ("skills:evaluator_list", _("评价机构"), "skills.evaluator"),
        ("skills:evaluationplan_list", _("评价计划"), "skills.evaluationplan"),
        ("skills:certificate_list", _("证书"), "skills.certificate"),
        ("skills:limitbreakingrequest_list", _("打破限制认定"), "skills.limitbreakingrequest"),
        ("skills:appointment_list", _("特级技师、首席技师"), "skills.appointment"),
        ("skills:schoolrecord_list", _("技工院校学习记录"), "skills.schoolrecord"),
        ("skills:apprenticeship_list", _("学徒培养记录"), "skills.apprenticeship"),
        ("skills:statistics", _("技能人才统计"), "skills.skilltally"),
        ("skills:officialemployment_list", _("就业人数（统计部门）"), "skills.officialemployment"),
        ("skills:wagereport_list", _("工资填报"), "skills.wagereport"),
        # published wage prices are for every signed-in user, like the targets
        ("skills:wage_prices", _("工资价位"), "skills.skilltarget"),
    ]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tongban.core.permissions import ALL, READ, Role, register_grants
        from tongban.core.permissions import register_public_reference as public
        from tongban.skills import models as m

        public(
            "skills.skilllevel",
            "skills.occupation",
            "skills.workline",
            "skills.applicationcondition",
            "skills.assessmentpart",
            "skills.titleequivalence",
            "skills.educationequivalence",
            "skills.skilltarget",
        )
        work = frozenset({"view", "add", "change", "export"})
        register_grants(
            {
                Role.HR_OFFICER: {
                    "skills.evaluator": frozenset({"view", "export"}),
                    "skills.filedscope": ALL - {"reveal"},
                    "skills.evaluationplan": frozenset({"view", "export"}),
                    "skills.certificationapplication": frozenset({"view", "export"}),
                    "skills.objection": work,
                    "skills.score": READ,
                    "skills.certificate": frozenset({"view", "export"}),
                    "skills.appointment": frozenset({"view", "export"}),
                    "skills.limitbreakingrequest": frozenset({"view", "export"}),
                    "skills.schoolrecord": work,
                    "skills.apprenticeship": work,
                    "skills.skilltally": frozenset({"view", "export"}),
                    "skills.officialemployment": ALL - {"reveal"},
                    "skills.wagereport": frozenset({"view", "export"}),
                },
                Role.EVALUATION_STAFF: {
                    "skills.evaluator": READ,
                    "skills.filedscope": READ,
                    "skills.evaluationplan": work,
                    "skills.certificationapplication": work,
                    "skills.objection": work,
                    "skills.score": work,
                    "skills.certificate": READ,
                },
                Role.ENTERPRISE_HR: {
                    "skills.evaluator": READ,
                    "skills.filedscope": READ,
                    "skills.evaluationplan": work,
                    "skills.certificationapplication": work,
                    "skills.objection": work,
                    "skills.score": work,
                    "skills.certificate": READ,
                    "skills.appointment": work,
                    "skills.limitbreakingrequest": work,
                    "skills.apprenticeship": work,
                    "skills.wagereport": work | {"delete"},
                },
                Role.TRAINING_STAFF: {"skills.schoolrecord": work},
                Role.WORKER: {
                    "skills.certificationapplication": READ,
                    "skills.score": READ,
                    "skills.certificate": READ,
                    "skills.appointment": READ,
                    "skills.limitbreakingrequest": READ,
                    "skills.schoolrecord": READ,
                    "skills.apprenticeship": READ,
                },
            }
        )
        for model in (m.Evaluator, m.FiledScope, m.EvaluationPlan, m.SigningKey):
            auditlog.register(model)
        auditlog.register(m.CertificationApplication, mask_fields=["eligibility"])
        auditlog.register(m.Score)
        auditlog.register(m.Objection, mask_fields=["raised_by_name", "raised_by_contact"])
        auditlog.register(m.Certificate, mask_fields=["holder_name", "payload"])
        auditlog.register(m.Appointment)
        auditlog.register(m.LimitBreakingRequest)
        auditlog.register(m.SchoolRecord)
        auditlog.register(m.Apprenticeship)
        auditlog.register(m.ApplicationCondition)
        auditlog.register(m.AssessmentPart)
        auditlog.register(m.OfficialEmployment)
        auditlog.register(m.SkillTarget)
        auditlog.register(m.WageReport, mask_fields=["annual_pay"])
        from tongban.skills.tally import connect_signals

        connect_signals()
        post_migrate.connect(_reference_data, sender=self)

    def home_actions(self, user: Any) -> list[tuple[str, Any]]:
        """(url name, label) buttons on the home page for ``user``."""
        from tongban.core.permissions import has_any

        actions: list[tuple[str, Any]] = [("skills:eligibility", _("申报条件自查"))]
        from tongban.skills.route_pages import route_links

        if has_any(user, "skills.evaluationplan", "add"):
            actions.append(("skills:evaluationplan_add", _("新建评价计划")))
        actions.extend(route_links(user))
        return actions

    def load_demo(self) -> list[str]:
        """Data for ``tongban demo``: the packaged occupation catalogue, certificates,
        official employment counts and wage reports for the statistics."""
        from tongban.skills import statistics_demo
        from tongban.skills.models import Occupation
        from tongban.skills.occupations import default_source, load_occupations

        source = default_source()
        if source is None or Occupation.objects.exists():
            lines = [f"职业分类：{Occupation.objects.count()} 条"]
        else:
            lines = ["职业分类：", *load_occupations(source).lines()]
        return lines + statistics_demo.load()

    def person_sections(self, request: Any, person: Any) -> list[tuple[str, Any]]:
        """(template name, context object) sections added to a person's page."""
        from tongban.skills.equivalences import person_section

        return [("skills/_person_skills.html", person_section(request.user, person))]
