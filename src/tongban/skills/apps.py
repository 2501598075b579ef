"""Skilled-talent system: occupations, standards, certification routes, certificates."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reference_data(sender: Any, **kwargs: Any) -> None:
    from tongban.skills.equivalences import ensure_equivalences
    from tongban.skills.models.award import ensure_award_types
    from tongban.skills.models.competition import ensure_competition_rules
    from tongban.skills.models.occupation import ensure_ladder
    from tongban.skills.models.statistics import ensure_targets

    ensure_ladder()
    ensure_equivalences()
    ensure_award_types()
    ensure_competition_rules()
    ensure_targets()
    from tongban.skills.credits import ensure_credit_rules

    ensure_credit_rules()


def training_grants() -> dict[str, dict[str, frozenset[str]]]:
    """Who may do what with training, the archive's records, credits, 1+X and the fund."""
    from tongban.core.permissions import ALL, READ, Role

    work = frozenset({"view", "add", "change", "export"})
    seen = frozenset({"view", "export"})
    training = ("trainingprogramme", "trainingclass", "trainingsession", "enrolment", "attendance")
    records = ("educationrecord", "xcertificate")
    return {
        Role.HR_OFFICER: {
            **{f"skills.{m}": seen for m in training},
            **{f"skills.{m}": work for m in records},
            "skills.creditentry": work,
            "skills.educationfundreport": seen,
        },
        Role.TRAINING_STAFF: {
            **{f"skills.{m}": work for m in training},
            **{f"skills.{m}": work for m in records},
            "skills.creditentry": work,
        },
        Role.EVALUATION_STAFF: {"skills.xcertificate": work},
        Role.ENTERPRISE_HR: {
            "skills.educationfundreport": ALL - {"reveal", "delete"},
            "skills.enrolment": READ,
        },
    }


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
        ("skills:competition_list", _("职业技能竞赛"), "skills.competition"),
        ("skills:awardconferral_list", _("表彰奖励"), "skills.awardconferral"),
        ("skills:mentorshippair_list", _("师带徒"), "skills.mentorshippair"),
        ("skills:allowancescheme_list", _("津贴制度"), "skills.allowancescheme"),
        ("skills:talent_pool", _("高技能人才库"), "skills.talentpool"),
        ("skills:shortagelist_list", _("紧缺职业目录"), "skills.shortagelist"),
        ("skills:trainingclass_list", _("职业培训"), "skills.trainingclass"),
        ("skills:archive_search", _("终身培训档案"), "skills.enrolment"),
        ("skills:creditentry_list", _("学分银行"), "skills.creditentry"),
        ("skills:xcertificate_list", _("1+X证书"), "skills.xcertificate"),
        ("skills:educationfundreport_list", _("职工教育经费"), "skills.educationfundreport"),
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
            "skills.awardtype",
            "skills.competitionrule",
            "skills.creditrule",
            "skills.qualificationlevel",
            "skills.trainingpolicy",
            "skills.fundpolicy",
            "skills.skilltarget",
        )
        work = frozenset({"view", "add", "change", "export"})
        # whoever decides an objection may need to call the objector (each call logged)
        objections = work | {"reveal"}
        register_grants(
            {
                Role.HR_OFFICER: {
                    "skills.evaluator": frozenset({"view", "export"}),
                    "skills.filedscope": ALL - {"reveal"},
                    "skills.evaluationplan": frozenset({"view", "export"}),
                    "skills.certificationapplication": frozenset({"view", "export"}),
                    "skills.objection": objections,
                    "skills.score": READ,
                    "skills.certificate": frozenset({"view", "export"}),
                    "skills.appointment": frozenset({"view", "export"}),
                    "skills.limitbreakingrequest": frozenset({"view", "export"}),
                    "skills.schoolrecord": work,
                    "skills.apprenticeship": work,
                    "skills.competition": work,
                    "skills.competitionentry": work,
                    "skills.competitionentrant": work,
                    "skills.awardconferral": work,
                    "skills.mentorshippair": work,
                    "skills.allowancescheme": frozenset({"view", "export"}),
                    "skills.allowancerate": READ,
                    "skills.shortagelist": work,
                    "skills.shortageoccupation": work,
                    # the talent pool is a search over people: its export is audited
                    "skills.talentpool": frozenset({"view", "export"}),
                    "skills.skilltally": frozenset({"view", "export"}),
                    "skills.officialemployment": ALL - {"reveal"},
                    "skills.wagereport": frozenset({"view", "export"}),
                },
                Role.EVALUATION_STAFF: {
                    "skills.evaluator": READ,
                    "skills.filedscope": READ,
                    "skills.evaluationplan": work,
                    "skills.certificationapplication": work,
                    "skills.objection": objections,
                    "skills.score": work,
                    "skills.certificate": READ,
                },
                Role.ENTERPRISE_HR: {
                    "skills.evaluator": READ,
                    "skills.filedscope": READ,
                    "skills.evaluationplan": work,
                    "skills.certificationapplication": work,
                    "skills.objection": objections,
                    "skills.score": work,
                    "skills.certificate": READ,
                    "skills.appointment": work,
                    "skills.limitbreakingrequest": work,
                    "skills.apprenticeship": work,
                    "skills.competition": work,
                    "skills.competitionentry": work,
                    "skills.competitionentrant": work,
                    "skills.mentorshippair": work,
                    "skills.allowancescheme": work,
                    "skills.allowancerate": work,
                    "skills.wagereport": work | {"delete"},
                },
                Role.TRAINING_STAFF: {"skills.schoolrecord": work},
                Role.WORKER: {
                    "skills.enrolment": READ,
                    "skills.attendance": READ,
                    "skills.creditentry": READ,
                    "skills.educationrecord": READ,
                    "skills.xcertificate": READ,
                    "skills.certificationapplication": READ,
                    "skills.score": READ,
                    "skills.certificate": READ,
                    "skills.appointment": READ,
                    "skills.limitbreakingrequest": READ,
                    "skills.schoolrecord": READ,
                    "skills.apprenticeship": READ,
                    "skills.competitionentrant": READ,
                    "skills.awardconferral": READ,
                    "skills.mentorshippair": READ,
                },
            }
        )
        register_grants(training_grants())
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
        for honour_model in (
            m.AwardType,
            m.AwardConferral,
            m.CompetitionRule,
            m.Competition,
            m.CompetitionEntry,
            m.CompetitionEntrant,
            m.AllowanceScheme,
            m.AllowanceRate,
            m.MentorshipPair,
            m.ShortageList,
            m.ShortageOccupation,
        ):
            auditlog.register(honour_model)
        for tracked in (
            m.TrainingPolicy,
            m.TrainingProgramme,
            m.TrainingClass,
            m.TrainingSession,
            m.Enrolment,
            m.Attendance,
            m.CreditRule,
            m.CreditEntry,
            m.QualificationLevel,
            m.EducationRecord,
            m.XCertificate,
            m.FundPolicy,
            m.EducationFundReport,
        ):
            auditlog.register(tracked)
        from tongban.skills.archive import register_own_sources

        register_own_sources()
        from tongban.skills.credits import connect_accrual

        connect_accrual()
        auditlog.register(m.OfficialEmployment)
        auditlog.register(m.SkillTarget)
        auditlog.register(m.WageReport, mask_fields=["annual_pay"])
        from tongban.skills.tally import connect_signals

        connect_signals()
        post_migrate.connect(_reference_data, sender=self)
        from tongban.skills.import_kinds import register_skills_kinds

        register_skills_kinds()

    def home_actions(self, user: Any) -> list[tuple[str, Any]]:
        """(url name, label) buttons on the home page for ``user``."""
        from tongban.core.models import Person
        from tongban.core.permissions import has_any

        actions: list[tuple[str, Any]] = [("skills:eligibility", _("申报条件自查"))]
        from tongban.skills.route_pages import route_links

        if has_any(user, "skills.evaluationplan", "add"):
            actions.append(("skills:evaluationplan_add", _("新建评价计划")))
        if has_any(user, "skills.competition", "add"):
            actions.append(("skills:competition_add", _("新建竞赛")))
        actions.extend(route_links(user))
        if user.is_authenticated and Person.objects.filter(user_id=user.pk).exists():
            actions.append(("skills:my_archive", _("我的档案")))
        if has_any(user, "skills.trainingprogramme", "add"):
            actions.append(("skills:trainingprogramme_list", _("培训项目")))
            actions.append(("skills:trainingclass_add", _("新建培训班")))
        if has_any(user, "skills.educationrecord", "add"):
            actions.append(("skills:educationrecord_list", _("学历记录")))
        if has_any(user, "skills.educationfundreport", "view"):
            actions.append(("skills:fund_flags", _("一线职工教育经费不足60%的企业")))
        return actions

    def load_demo(self) -> list[str]:
        """Demo data for ``tongban demo``: the packaged occupation catalogue, then a published
        contest, honours, incentives and a shortage list, then training, archive, credit, 1+X
        and education-fund examples, then official employment counts and wage reports for the
        statistics."""
        from tongban.skills import statistics_demo
        from tongban.skills.demo import load_competition_demo
        from tongban.skills.models import Occupation
        from tongban.skills.occupations import default_source, load_occupations
        from tongban.skills.training_demo import load_training_demo

        source = default_source()
        if source is None or Occupation.objects.exists():
            lines = [f"职业分类：{Occupation.objects.count()} 条"]
        else:
            lines = ["职业分类：", *load_occupations(source).lines()]
        return [
            *lines,
            *load_competition_demo(),
            *load_training_demo(),
            *statistics_demo.load(),
        ]

    def person_sections(self, request: Any, person: Any) -> list[tuple[str, Any]]:
        """(template name, context object) sections added to a person's page."""
        from tongban.skills import awards, talent_pool
        from tongban.skills.archive import may_read_archives
        from tongban.skills.equivalences import person_section

        sections: list[tuple[str, Any]] = [
            ("skills/_person_skills.html", person_section(request.user, person)),
            ("skills/_person_honours.html", awards.person_section(request.user, person)),
            ("skills/_person_shortage.html", talent_pool.shortage_flags(person)),
        ]
        if may_read_archives(request.user):
            sections.append(("skills/_person_archive.html", person))
        return sections
