"""Certification: filed evaluators, evaluation plans, applications, scores, objections,
certificates, appointments, numbering counters and signing keys."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.skills.access import is_hr_over, is_staff_of

FOUR_DIGITS = RegexValidator(r"^\d{4}$", _("应为4位数字"))
SIX_DIGITS = RegexValidator(r"^\d{6}$", _("应为6位数字"))


def today() -> datetime.date:
    return timezone.localdate()


class Stateful(models.Model):
    """A workflow model: its protected ``status`` is validated by the transitions, not
    re-assigned by ``full_clean``."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})


class EvaluatorKind(models.TextChoices):
    SOCIAL = "social", _("社会培训评价组织")
    ENTERPRISE = "enterprise", _("企业自主评价")


class EvaluatorStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    SUSPENDED = "suspended", _("暂停评价")


class Evaluator(Stateful):
    """An organisation filed with HR to evaluate skill levels (遴选 / 备案), with its scope.

    No personal data.
    """

    organization = models.OneToOneField(
        "core.Organization",
        verbose_name=_("评价机构"),
        on_delete=models.PROTECT,
        related_name="evaluator",
    )
    kind = models.CharField(_("评价方式"), max_length=12, choices=EvaluatorKind.choices)
    institution_code = models.CharField(
        _("机构代码"), max_length=4, unique=True, validators=[FOUR_DIGITS]
    )
    filed_on = models.DateField(_("备案日期"), default=today)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=EvaluatorStatus.choices,
        default=EvaluatorStatus.ACTIVE,
        protected=True,
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("organization__region",),
        organizations=("organization",),
        error_field="organization",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "评价机构")
        verbose_name_plural = _("评价机构")
        ordering = ["institution_code"]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def letter(self) -> str:
        return "Y" if self.kind == EvaluatorKind.ENTERPRISE else "S"

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.organization.region_id)

    @transition(
        field=status,
        source=EvaluatorStatus.ACTIVE,
        target=EvaluatorStatus.SUSPENDED,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("暂停评价（质量监管）"), "needs_reason": True, "style": "danger"},
    )
    def suspend(self) -> None:
        pass

    @transition(
        field=status,
        source=EvaluatorStatus.SUSPENDED,
        target=EvaluatorStatus.ACTIVE,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("恢复评价"), "needs_reason": True},
    )
    def reinstate(self) -> None:
        pass

    def covers(self, occupation: Any, level: Any) -> bool:
        return self.filed_scope.filter(
            occupation=occupation, top_level__rank__gte=level.rank
        ).exists()


class FiledScope(models.Model):
    """One occupation an evaluator may evaluate, up to a top level. No personal data."""

    evaluator = models.ForeignKey(
        Evaluator, verbose_name=_("评价机构"), on_delete=models.CASCADE, related_name="filed_scope"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    top_level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("最高等级"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("evaluator__organization__region",),
        organizations=("evaluator__organization",),
        error_field="evaluator",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "备案评价范围")
        verbose_name_plural = _("备案评价范围")
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "occupation"], name="filed_scope_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} ≤ {self.top_level}"


class PlanStatus(models.TextChoices):
    OPEN = "open", _("受理与考核中")
    PUBLICITY = "publicity", _("公示中")
    FILED = "filed", _("已备案发证")
    CANCELLED = "cancelled", _("已取消")


class EvaluationPlan(Stateful):
    """An evaluation plan: one evaluator, occupation and level at a site on given dates.

    No personal data.
    """

    evaluator = models.ForeignKey(
        Evaluator, verbose_name=_("评价机构"), on_delete=models.PROTECT, related_name="plans"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    site_code = models.CharField(
        _("考核站点代码"), max_length=6, validators=[SIX_DIGITS], help_text=_("6位数字")
    )
    site_name = models.CharField(_("考核地点"), max_length=200)
    starts_on = models.DateField(_("考核开始日期"))
    ends_on = models.DateField(_("考核结束日期"))
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（工作日）"), default=5, validators=[MinValueValidator(1)]
    )
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=PlanStatus.choices,
        default=PlanStatus.OPEN,
        protected=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("evaluator__organization__region",),
        organizations=("evaluator__organization",),
        error_field="evaluator",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "评价计划")
        verbose_name_plural = _("评价计划")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.level} {self.starts_on:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("考核结束日期不能早于开始日期")
        if self.occupation_id and self.level_id:
            if not self.occupation.levels.filter(pk=self.level_id).exists():
                errors["level"] = _("职业“%(occupation)s”未设置%(level)s") % {
                    "occupation": self.occupation.name,
                    "level": self.level,
                }
            elif self.level.number_digit is None:
                errors["level"] = _("%(level)s不通过评价计划取得") % {"level": self.level}
            elif self.evaluator_id and self._state.adding:
                if self.evaluator.status != EvaluatorStatus.ACTIVE:
                    errors["evaluator"] = _("该评价机构已被暂停评价")
                elif not self.evaluator.covers(self.occupation, self.level):
                    errors["level"] = _("该职业等级不在评价机构的备案范围内")
        if errors:
            raise ValidationError(errors)

    def _staff(self, user: Any) -> bool:
        return is_staff_of(user, self.evaluator.organization_id)

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.evaluator.organization.region_id)

    def all_decided(self: Any) -> bool:
        apps = self.applications.all()
        return apps.exists() and not apps.filter(status=ApplicationStatus.SUBMITTED).exists()

    def publicity_over(self: Any) -> bool:
        return self.publicity_ends_on is not None and today() > self.publicity_ends_on

    def in_publicity_window(self, on: datetime.date) -> bool:
        return (
            self.status == PlanStatus.PUBLICITY
            and self.publicity_starts_on is not None
            and self.publicity_ends_on is not None
            and self.publicity_starts_on <= on <= self.publicity_ends_on
        )

    def objections_decided(self: Any) -> bool:
        from tongban.skills.models.objection import Objection, ObjectionStatus

        return not Objection.objects.filter(
            application__plan=self, status=ObjectionStatus.FILED
        ).exists()

    @transition(
        field=status,
        source=PlanStatus.OPEN,
        target=PlanStatus.PUBLICITY,
        conditions=[all_decided],
        permission=lambda self, user: self._staff(user),
        custom={"label": _("发布公示")},
    )
    def start_publicity(self) -> None:
        from tongban.core.calendar import add_working_days

        self.publicity_starts_on = today()
        self.publicity_ends_on = add_working_days(today(), self.publicity_days).date

    @transition(
        field=status,
        source=PlanStatus.PUBLICITY,
        target=PlanStatus.FILED,
        conditions=[publicity_over, objections_decided],
        permission=lambda self, user: self._hr(user),
        custom={"label": _("备案并发证")},
    )
    def file(self) -> None:
        pass

    @transition(
        field=status,
        source=PlanStatus.OPEN,
        target=PlanStatus.CANCELLED,
        permission=lambda self, user: self._staff(user),
        custom={"label": _("取消计划"), "needs_reason": True, "style": "danger"},
    )
    def cancel(self) -> None:
        pass


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已受理")
    PASSED = "passed", _("考核合格")
    FAILED = "failed", _("考核不合格")
    STOPPED = "stopped", _("异议成立，终止")
    CERTIFIED = "certified", _("已发证")


class CertificationApplication(Stateful):
    """A person's application in an evaluation plan.

    Personal data: links a named person to an occupation, level and results.
    """

    plan = models.ForeignKey(
        EvaluationPlan,
        verbose_name=_("评价计划"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+"
    )
    eligibility = models.JSONField(_("申报条件核验"), default=dict, blank=True)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        protected=True,
    )
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("plan__evaluator__organization__region",),
        organizations=("plan__evaluator__organization",),
        own="person__user",
        error_field="plan",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "评价申报")
        verbose_name_plural = _("评价申报")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.plan}"

    def _staff(self, user: Any) -> bool:
        return is_staff_of(user, self.plan.evaluator.organization_id)

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.plan.evaluator.organization.region_id)

    def outcome(self) -> bool | None:
        """True / False when every assessment part is scored, None before."""
        from tongban.skills.standards import assessment_parts

        parts = assessment_parts(self.plan.occupation, self.plan.level)
        scores = {s.part: s.score for s in self.scores.all()}
        if any(p.kind not in scores for p in parts):
            return None
        return all(scores[p.kind] >= p.pass_mark for p in parts)

    def scored_pass(self: Any) -> bool:
        return self.outcome() is True

    def scored_fail(self: Any) -> bool:
        return self.outcome() is False

    def in_publicity(self: Any) -> bool:
        return self.plan.status == PlanStatus.PUBLICITY

    def plan_filed(self: Any) -> bool:
        return self.plan.status == PlanStatus.FILED

    def objection_upheld(self: Any) -> bool:
        """Only an upheld ``Objection`` stops a result (see ``services.decide_objection``)."""
        return self.in_publicity() and self.objections.filter(status="upheld").exists()

    @transition(
        field=status,
        source=ApplicationStatus.SUBMITTED,
        target=ApplicationStatus.PASSED,
        conditions=[scored_pass],
        permission=lambda self, user: self._staff(user),
        custom={"label": _("评定合格")},
    )
    def pass_assessment(self) -> None:
        pass

    @transition(
        field=status,
        source=ApplicationStatus.SUBMITTED,
        target=ApplicationStatus.FAILED,
        conditions=[scored_fail],
        permission=lambda self, user: self._staff(user),
        custom={"label": _("评定不合格")},
    )
    def fail_assessment(self) -> None:
        pass

    @transition(
        field=status,
        source=ApplicationStatus.PASSED,
        target=ApplicationStatus.STOPPED,
        conditions=[objection_upheld],
        permission=lambda self, user: self._staff(user) or self._hr(user),
        custom={"label": _("异议成立，终止"), "needs_reason": True, "style": "danger"},
    )
    def uphold_objection(self) -> None:
        pass

    @transition(
        field=status,
        source=ApplicationStatus.PASSED,
        target=ApplicationStatus.CERTIFIED,
        conditions=[plan_filed],
        permission=lambda self, user: self._hr(user),
        custom={"label": _("发证")},
    )
    def certify(self) -> None:
        pass


class Score(models.Model):
    """One assessment part's score of an application.

    Personal data: a named person's result.
    """

    application = models.ForeignKey(
        CertificationApplication,
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    part = models.CharField(_("考核项目"), max_length=10)
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("application__plan__evaluator__organization__region",),
        organizations=("application__plan__evaluator__organization",),
        own="application__person__user",
        error_field="score",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "成绩")
        verbose_name_plural = _("成绩")
        constraints = [models.UniqueConstraint(fields=["application", "part"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.part} {self.score}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")


class Route(models.TextChoices):
    SOCIAL_EVALUATION = "social_evaluation", _("社会培训评价组织评价")
    ENTERPRISE_EVALUATION = "enterprise_evaluation", _("企业自主评价")
    DIRECT = "direct", _("直接认定")
    BREAKING_LIMITS = "breaking_limits", _("打破学历、资历、年龄、比例限制")
    EXCEPTIONAL = "exceptional", _("破格晋升")
    COMPETITION = "competition", _("职业技能竞赛成绩")


class Certificate(Stateful):
    """A 职业技能等级证书, signed; revoked certificates stay as revoked.

    Personal data: ``person`` (and through it the name printed and signed).
    """

    number = models.CharField(_("证书编号"), max_length=22, unique=True)
    person = models.ForeignKey(
        "core.Person", verbose_name=_("持证人"), on_delete=models.PROTECT, related_name="+"
    )
    holder_name = models.CharField(_("姓名"), max_length=60)
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.ForeignKey(
        Evaluator, verbose_name=_("发证机构"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("发证日期"))
    route = models.CharField(_("取得途径"), max_length=24, choices=Route.choices)
    application = models.OneToOneField(
        CertificationApplication,
        verbose_name=_("评价申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    evidence = models.TextField(_("依据与证明材料"), blank=True)
    payload = models.TextField(_("签名内容"), blank=True)
    status = FSMField(
        _("状态"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        protected=True,
    )
    revoked_reason = models.TextField(_("撤销理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("issuer__organization__region", "person__residence_region"),
        organizations=("issuer__organization",),
        own="person__user",
        error_field="issuer",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["person", "occupation", "level"])]

    def __str__(self) -> str:
        return self.number

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.issuer.organization.region_id)

    @transition(
        field=status,
        source=CertificateStatus.VALID,
        target=CertificateStatus.REVOKED,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("撤销证书"), "needs_reason": True, "style": "danger"},
    )
    def revoke(self, reason_text: str = "") -> None:
        self.revoked_reason = reason_text


class AppointmentStatus(models.TextChoices):
    APPOINTED = "appointed", _("已聘任，待人社部门登记")
    REGISTERED = "registered", _("已登记")


class Appointment(Stateful):
    """特级技师 / 首席技师: a post the employer appoints, registered with HR.

    Personal data: links a named person to an employer, occupation and post.
    """

    person = models.ForeignKey(
        "core.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        "core.Organization", verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("岗位等级"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField(_("聘任日期"))
    registered_on = models.DateField(_("人社部门登记日期"), null=True, blank=True)
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.APPOINTED,
        protected=True,
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("employer__region", "person__residence_region"),
        organizations=("employer",),
        own="person__user",
        error_field="employer",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "特级技师、首席技师聘任")
        verbose_name_plural = _("特级技师、首席技师聘任")
        ordering = ["-appointed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.level}"

    @transition(
        field=status,
        source=AppointmentStatus.APPOINTED,
        target=AppointmentStatus.REGISTERED,
        permission=lambda self, user: is_hr_over(user, self.employer.region_id),
        custom={"label": _("登记")},
    )
    def register(self) -> None:
        self.registered_on = today()


class CertificateCounter(models.Model):
    """The last serial issued per (issuer, site, year, level): numbering without gaps.

    No personal data.
    """

    prefix = models.CharField(_("编号前缀"), max_length=16, unique=True)
    last = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("singular", "证书编号计数器")
        verbose_name_plural = _("证书编号计数器")

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"


class SigningKey(models.Model):
    """An Ed25519 key pair signing certificates; retired keys still verify. No personal data.

    The private half is kept in the data directory (``signing/<key_id>.key``), not here.
    """

    key_id = models.CharField(_("密钥编号"), max_length=20, unique=True)
    public_key = models.CharField(_("公钥（Base64）"), max_length=64)
    active = models.BooleanField(_("当前签名密钥"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "签名密钥")
        verbose_name_plural = _("签名密钥")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.key_id


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待人社部门审批")
    APPROVED = "approved", _("已批准并发证")
    REFUSED = "refused", _("不予批准")


class LimitBreakingRequest(Stateful):
    """An enterprise asks HR to certify an outstanding frontline worker 高级工 or above,
    regardless of education, seniority, age and quota.

    Personal data: links a named person to an employer, occupation, level and evidence.
    """

    evaluator = models.ForeignKey(
        Evaluator, verbose_name=_("申报企业"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "core.Person", verbose_name=_("职工"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", verbose_name=_("职业"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "skills.SkillLevel", verbose_name=_("技能等级"), on_delete=models.PROTECT, related_name="+"
    )
    site_code = models.CharField(_("考核站点代码"), max_length=6, validators=[SIX_DIGITS])
    evidence = models.TextField(_("业绩证明材料"))
    certificate = models.OneToOneField(
        Certificate,
        verbose_name=_("证书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(
        _("状态"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        protected=True,
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("evaluator__organization__region",),
        organizations=("evaluator__organization",),
        own="person__user",
        error_field="evaluator",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "打破限制认定申请")
        verbose_name_plural = _("打破限制认定申请")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.level}"

    def _hr(self, user: Any) -> bool:
        return is_hr_over(user, self.evaluator.organization.region_id)

    @transition(
        field=status,
        source=RequestStatus.SUBMITTED,
        target=RequestStatus.APPROVED,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("批准并发证")},
    )
    def approve(self) -> None:
        pass

    @transition(
        field=status,
        source=RequestStatus.SUBMITTED,
        target=RequestStatus.REFUSED,
        permission=lambda self, user: self._hr(user),
        custom={"label": _("不予批准"), "needs_reason": True, "style": "danger"},
    )
    def refuse(self) -> None:
        pass
