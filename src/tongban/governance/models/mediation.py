"""Dispute mediation under the 人民调解法: the three levels of centres (矛调中心) with the
departments and people stationed in them, and the mediation case from registration
through consent, sessions and the written agreement (or failure with a referral) to the
court-confirmation deadline and the return visit.

One door (只进一扇门): a case is registered once, from any channel or from an existing
governance event (at most one case per event); a case referred to the centre above keeps
the link to the case it came from, so the dispute is followed to the end (矛盾管到底)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from tongban.core.permissions import RestrictedQuerySet, Role, Scope, assignments, is_platform_admin
from tongban.governance.models.event import CODE_ALPHABET, Channel


def new_case_code(today: datetime.date | None = None) -> str:
    """``一案一编码`` for disputes: ``T``, the date and seven random characters."""
    day = today or timezone.localdate()
    return f"T{day:%Y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


class CentreLevel(models.TextChoices):
    COUNTY = "county", _("县级矛调中心")
    TOWNSHIP = "township", _("乡镇（街道）矛调中心")
    VILLAGE = "village", _("村（社区）调解站")


CENTRE_REGION_LEVEL: dict[str, str] = {
    CentreLevel.COUNTY: "county",
    CentreLevel.TOWNSHIP: "township",
    CentreLevel.VILLAGE: "village",
}
PARENT_LEVEL: dict[str, CentreLevel] = {
    CentreLevel.TOWNSHIP: CentreLevel.COUNTY,
    CentreLevel.VILLAGE: CentreLevel.TOWNSHIP,
}


class MediationCentre(models.Model):
    """A 矛调中心 (county, township) or a village mediation station. No personal data."""

    name = models.CharField(_("中心名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=CentreLevel.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("对应单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("工作人员的角色授权所属单位"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("region",), organizations=("organization",), error_field="region")

    class Meta:
        verbose_name = pgettext_lazy("singular", "矛调中心")
        verbose_name_plural = _("矛调中心")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        region = self.region if self.region_id else None
        if region is not None and self.level and region.level != CENTRE_REGION_LEVEL[self.level]:
            errors["region"] = _("%(level)s应设在%(region_level)s区划") % {
                "level": self.get_level_display(),
                "region_level": {"county": _("县级"), "township": _("乡级"), "village": _("村级")}[
                    CENTRE_REGION_LEVEL[self.level]
                ],
            }
        if self.level == CentreLevel.COUNTY and self.parent_id:
            errors["parent"] = _("县级矛调中心没有上级中心")
        if self.parent_id and self.level in PARENT_LEVEL:
            parent = self.parent
            if parent is not None and parent.level != PARENT_LEVEL[self.level]:
                errors["parent"] = _("上级中心应为%(level)s") % {
                    "level": PARENT_LEVEL[self.level].label
                }
            elif (
                parent is not None
                and region is not None
                and not region.code.startswith(parent.region.prefix)
            ):
                errors["parent"] = _("上级中心的区划应包含本中心所在区划")
        if errors:
            raise ValidationError(errors)


class StationedKind(models.TextChoices):
    PUBLIC_SECURITY = "public_security", _("公安")
    ENFORCEMENT = "enforcement", _("综合行政执法")
    MARKET_REGULATION = "market_regulation", _("市场监管")
    COURT = "court", _("共享法庭")
    JUSTICE = "justice", _("司法所")
    PETITION = "petition", _("信访")
    LAWYER = "lawyer", _("律师")
    MEDIATOR = "mediator", _("人民调解员")
    OTHER = "other", _("其他")


PERSON_KINDS = {StationedKind.LAWYER, StationedKind.MEDIATOR}


class StationedMember(models.Model):
    """A department or a person stationed in a centre (入驻部门 / 人员).

    Personal data: ``name`` and ``phone`` when the member is a person (mediator, lawyer).
    """

    centre = models.ForeignKey(
        MediationCentre,
        verbose_name=_("矛调中心"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    kind = models.CharField(_("类别"), max_length=20, choices=StationedKind.choices)
    name = models.CharField(_("部门或人员名称"), max_length=100)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("派驻单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("centre__region",), organizations=("centre__organization",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "入驻部门和人员")
        verbose_name_plural = _("入驻部门和人员")
        ordering = ["centre", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS


class DisputeKind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    PROPERTY = "property", _("物业纠纷")
    LABOUR = "labour", _("劳动争议")
    LAND = "land", _("土地山林纠纷")
    CONTRACT = "contract", _("合同债务纠纷")
    DAMAGE = "damage", _("损害赔偿纠纷")
    OTHER = "other", _("其他纠纷")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记（征询调解意愿）")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("已达成协议（待回访）")
    FAILED = "failed", _("调解不成（已引导）")
    REFUSED = "refused", _("不予调解（当事人不同意）")
    CLOSED = "closed", _("已回访结案")


OPEN_CASE_STATES = (CaseStatus.REGISTERED, CaseStatus.MEDIATING)
RESOLVED_STATES = (CaseStatus.AGREED, CaseStatus.CLOSED)


class Referral(models.TextChoices):
    LITIGATION = "litigation", _("引导诉讼")
    ARBITRATION = "arbitration", _("引导仲裁")
    HIGHER_CENTRE = "higher_centre", _("移交上级矛调中心")
    ADMINISTRATIVE = "administrative", _("引导行政途径")


def is_case_staff(case: Any, user: Any) -> bool:
    """Dispatchers and handlers over the case's region; a handler tied to a unit must
    belong to the case's centre or to a department handling it jointly."""
    if getattr(user, "is_authenticated", False) and is_platform_admin(user):
        return True
    units: set[int] | None = None
    for a in assignments(user):
        if a.role not in (Role.GOVERNANCE_DISPATCHER, Role.GOVERNANCE_HANDLER):
            continue
        if a.region is None or not case.region_id.startswith(a.region.prefix):
            continue
        if a.organization_id:
            if units is None:
                units = case.unit_ids()
            if a.organization_id not in units:
                continue
        return True
    return False


class MediationCase(models.Model):
    """One dispute in mediation (一案一编码), from registration to the return visit.

    Personal data lives in the parties (``MediationParty``); ``description`` is the
    registrar's summary and may name them.
    """

    code = models.CharField(_("案件编码"), max_length=20, unique=True, default=new_case_code)
    centre = models.ForeignKey(
        MediationCentre, verbose_name=_("受理中心"), on_delete=models.PROTECT, related_name="cases"
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("纠纷发生地（村、社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        error_messages={"invalid": _("未知的行政区划代码：%(value)s")},
    )
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    event = models.OneToOneField(
        "governance.Event",
        verbose_name=_("来源事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_case",
    )
    referred_from = models.OneToOneField(
        "self",
        verbose_name=_("由下级移交"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_to",
    )
    kind = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeKind.choices)
    title = models.CharField(_("纠纷简述"), max_length=100)
    description = models.TextField(_("纠纷情况"), max_length=4000)
    status = FSMField(
        _("状态"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        protected=True,
    )
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    due_on = models.DateField(_("调解期限"), null=True, blank=True)
    mediators = models.ManyToManyField(
        StationedMember, verbose_name=_("调解员"), blank=True, related_name="mediated_cases"
    )
    departments = models.ManyToManyField(
        StationedMember, verbose_name=_("联合调处部门"), blank=True, related_name="joint_cases"
    )
    referral = models.CharField(_("引导去向"), max_length=20, choices=Referral.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    ended_on = models.DateField(_("调解终结日期"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("region",),
        organizations=("centre__organization", "departments__organization"),
        error_field="region",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="gov_case_status_due")]

    def __str__(self) -> str:
        return self.code

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude={*(exclude or ()), "status"})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        region = self.region if self.region_id else None
        centre = self.centre if self.centre_id else None
        if region is not None and region.level != "village":
            errors["region"] = _("请选择村（社区）级区划")
        elif (
            region is not None
            and centre is not None
            and not region.code.startswith(centre.region.prefix)
        ):
            errors["region"] = _("纠纷发生地不在“%(centre)s”的辖区内") % {"centre": centre.name}
        if centre is not None and not centre.active:
            errors["centre"] = _("该矛调中心已停用")
        if errors:
            raise ValidationError(errors)

    def unit_ids(self) -> set[int]:
        ids = {self.centre.organization_id} if self.centre.organization_id else set()
        if self.pk:
            ids |= set(
                self.departments.exclude(organization=None).values_list(
                    "organization_id", flat=True
                )
            )
        return {i for i in ids if i is not None}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATES

    # --- the case's course -------------------------------------------------------------------

    @transition(
        field=status,
        source=CaseStatus.REGISTERED,
        target=CaseStatus.MEDIATING,
        permission=is_case_staff,
        custom={"label": _("开始调解")},
    )
    def start(self) -> None:
        """Mediation starts only with every party's consent (人民调解法 art. 17)."""
        from tongban.governance.mediation import start_refusals

        problems = start_refusals(self)
        if problems:
            raise ValidationError(problems)

    @transition(
        field=status,
        source=CaseStatus.REGISTERED,
        target=CaseStatus.REFUSED,
        permission=is_case_staff,
        custom={"label": _("当事人不同意调解"), "needs_reason": True, "style": "danger"},
    )
    def refuse(self) -> None:
        self.ended_on = timezone.localdate()

    @transition(
        field=status,
        source=CaseStatus.MEDIATING,
        target=CaseStatus.AGREED,
        permission=is_case_staff,
        custom={"label": _("达成调解协议")},
    )
    def agree(self) -> None:
        from tongban.governance.mediation import agreement_refusals

        problems = agreement_refusals(self)
        if problems:
            raise ValidationError(problems)
        self.ended_on = self.agreement.signed_on

    @transition(
        field=status,
        source=CaseStatus.MEDIATING,
        target=CaseStatus.FAILED,
        permission=is_case_staff,
        custom={"label": _("调解不成"), "needs_reason": True, "style": "danger"},
    )
    def fail(self, referral: str = "") -> None:
        if referral not in Referral.values:
            raise ValidationError({"referral": _("请选择调解不成后的引导去向")})
        if referral == Referral.HIGHER_CENTRE and self.centre.parent_id is None:
            raise ValidationError({"referral": _("本中心没有上级矛调中心，不能移交")})
        self.referral = referral
        self.ended_on = timezone.localdate()

    @transition(
        field=status,
        source=CaseStatus.AGREED,
        target=CaseStatus.CLOSED,
        permission=is_case_staff,
        custom={"label": _("回访结案")},
    )
    def close(self) -> None:
        if not self.return_visits.exists():
            raise ValidationError({"return_visit": _("请先登记回访情况")})


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD = "third", _("第三人")


class Consent(models.TextChoices):
    PENDING = "pending", _("待征询")
    CONSENTED = "consented", _("同意调解")
    REFUSED = "refused", _("不同意调解")


class MediationParty(models.Model):
    """A party to a dispute.

    Personal data: ``name``, ``id_number``, ``phone``, ``address`` (shown masked).
    """

    case = models.ForeignKey(
        MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("当事人类别"), max_length=12, choices=PartyRole.choices)
    name = models.CharField(_("姓名或名称"), max_length=60)
    id_number = models.CharField(_("证件号码"), max_length=20, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    consent = models.CharField(
        _("调解意愿"), max_length=12, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("意愿登记时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("不同意理由"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("协议签名时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("case__region",),
        organizations=("case__centre__organization", "case__departments__organization"),
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "当事人")
        verbose_name_plural = _("当事人")
        ordering = ["case", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    def clean(self) -> None:
        if self.id_number:
            from tongban.core.validators import normalize_document_number, validate_document

            self.id_number = normalize_document_number(self.id_number)
            try:
                validate_document("resident_id", self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
        if self.consent == Consent.REFUSED and not self.refusal_reason.strip():
            raise ValidationError({"refusal_reason": _("当事人不同意调解时须记录其理由")})


class MediationSession(models.Model):
    """One mediation session (调解记录, art. 27). ``summary`` may contain personal data."""

    case = models.ForeignKey(
        MediationCase, verbose_name=_("调解案件"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("调解日期"), default=timezone.localdate)
    place = models.CharField(_("调解地点"), max_length=100, blank=True)
    mediator = models.ForeignKey(
        StationedMember,
        verbose_name=_("主持调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("调解经过"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("case__region",), organizations=("case__centre__organization",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.held_on:%Y-%m-%d}"

    def clean(self) -> None:
        if not (self.summary or "").strip():
            raise ValidationError({"summary": _("请填写调解经过")})


class ConfirmationResult(models.TextChoices):
    PENDING = "", _("未申请或待裁定")
    CONFIRMED = "confirmed", _("裁定有效")
    REJECTED = "rejected", _("裁定驳回")


class MediationAgreement(models.Model):
    """The written agreement (调解协议书, art. 28–29): its terms, the parties' and the
    mediator's signatures (dates), and the joint application for court confirmation
    (司法确认, art. 33) within the deadline. ``terms`` may contain personal data."""

    case = models.OneToOneField(
        MediationCase,
        verbose_name=_("调解案件"),
        on_delete=models.CASCADE,
        related_name="agreement",
    )
    terms = models.TextField(_("协议内容"), max_length=8000)
    perform_by = models.DateField(_("履行期限"), null=True, blank=True)
    mediator_name = models.CharField(_("调解员签名"), max_length=60)
    signed_on = models.DateField(_("签订日期"), default=timezone.localdate)
    confirmation_due = models.DateField(_("司法确认申请截止日"))
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_court = models.CharField(_("受理法院"), max_length=100, blank=True)
    confirmation_result = models.CharField(
        _("司法确认结果"),
        max_length=12,
        choices=ConfirmationResult.choices,
        blank=True,
        default=ConfirmationResult.PENDING,
    )
    return_visit_due = models.DateField(_("回访期限"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("case__region",), organizations=("case__centre__organization",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解协议")
        verbose_name_plural = _("调解协议")
        ordering = ["-signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {_('调解协议')}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not (self.terms or "").strip():
            errors["terms"] = _("调解协议须载明协议内容（各方的权利义务）")
        if not (self.mediator_name or "").strip():
            errors["mediator_name"] = _("调解协议须有调解员签名")
        if self.perform_by and self.signed_on and self.perform_by < self.signed_on:
            errors["perform_by"] = _("履行期限不能早于签订日期")
        if errors:
            raise ValidationError(errors)


class Performance(models.TextChoices):
    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class ReturnVisit(models.Model):
    """A follow-up visit (回访) on whether the agreement was performed.
    ``note`` may contain personal data."""

    case = models.ForeignKey(
        MediationCase,
        verbose_name=_("调解案件"),
        on_delete=models.CASCADE,
        related_name="return_visits",
    )
    visited_on = models.DateField(_("回访日期"), default=timezone.localdate)
    performance = models.CharField(_("履行情况"), max_length=16, choices=Performance.choices)
    note = models.TextField(_("回访记录"), max_length=2000, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("case__region",), organizations=("case__centre__organization",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["case", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_performance_display()}"


class MediationPolicy(models.Model):
    """The time limits an operator sets (data, not code). The row with the longest region
    prefix covering a case applies; without any row the defaults apply. No personal data."""

    region = models.OneToOneField(
        "core.Region",
        verbose_name=_("适用区划（含下级）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("调解期限（自然日）"), default=30, validators=[MinValueValidator(1)]
    )
    confirmation_days = models.PositiveSmallIntegerField(
        _("司法确认申请期限（自然日）"), default=30, validators=[MinValueValidator(1)]
    )
    return_visit_working_days = models.PositiveSmallIntegerField(
        _("回访期限（工作日）"), default=10, validators=[MinValueValidator(1)]
    )

    objects = RestrictedQuerySet.as_manager()
    scope = Scope()

    class Meta:
        verbose_name = pgettext_lazy("singular", "调解时限设置")
        verbose_name_plural = _("调解时限设置")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return str(self.region_id)


class PartyContactAccess(models.Model):
    """One unmasked read of a party's ID number and phone (``mediation.reveal_party``).

    Personal data: which party of which dispute a user looked up (not the numbers)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    party = models.ForeignKey(
        MediationParty,
        verbose_name=_("当事人"),
        on_delete=models.CASCADE,
        related_name="contact_accesses",
    )
    fields = models.CharField(_("查看字段"), max_length=200)
    purpose = models.CharField(_("查看事由"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=10)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(regions=("party__case__region",))

    class Meta:
        verbose_name = pgettext_lazy("singular", "当事人信息查看记录")
        verbose_name_plural = _("当事人信息查看记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} → {self.party_id} ({self.fields})"
