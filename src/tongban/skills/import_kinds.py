"""Import/export kinds of the skilled-talent system (see ``core.importing.kinds``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tongban.core.importing.kinds import (
    Column,
    ImportKind,
    Ref,
    choice,
    choice_label,
    parse_date,
    person_columns,
    person_name_column,
    person_name_refusals,
    person_ref,
    register,
)


def _level_name(value: str) -> str:
    """``四级``, ``中级工`` or ``四级/中级工`` → the level's name (``中级工``)."""
    from tongban.skills.models.occupation import LADDER

    for _key, _rank, name, grade, _digit, _high in LADDER:
        if value in (name, grade, f"{grade}/{name}") and value:
            return name
    return value


def _hours(value: str) -> Decimal:
    if not value:
        return Decimal("0")
    try:
        hours = Decimal(value)
    except InvalidOperation:
        raise ValidationError(gettext("应为数字，如40或7.5"), code="number") from None
    if not hours.is_finite() or hours != hours.quantize(Decimal("0.01")):
        raise ValidationError(gettext("应为数字，最多两位小数"), code="number")
    return hours


def _rank(value: str) -> int | None:
    if not value:
        return None
    text = value.removesuffix(".0")  # a number cell of Excel
    if not text.isdigit() or int(text) < 1:
        raise ValidationError(gettext("名次应为正整数，如1"), code="rank")
    return int(text)


def _upper_no_spaces(value: str) -> str:
    return value.replace(" ", "").upper()


def _training_kind() -> ImportKind:
    """Training records: a person's enrolment in a class and, once the class has closed,
    the hours and result; completed training earns its credits as closing the class does."""
    from tongban.skills.credits import settle_training
    from tongban.skills.models import Enrolment, EnrolmentResult, TrainingClass

    return ImportKind(
        name="training",
        model=Enrolment,
        label=_("培训记录"),
        columns=[
            Column(
                _("培训机构信用代码"),
                "provider_credit_code",
                _("必填；举办培训的机构（培训机构或职业院校）的统一社会信用代码"),
                "12330500MB1234567X",
                required=True,
                parse=_upper_no_spaces,
                virtual=True,
                export=lambda e: e.training_class.programme.provider.credit_code,
            ),
            Column(
                _("班次名称"),
                "class_name",
                _("必填；已在平台开设的培训班名称，与开班日期一起确定培训班"),
                "2024年第1期",
                required=True,
                virtual=True,
                export=lambda e: e.training_class.name,
            ),
            Column(
                _("开班日期"),
                "class_starts_on",
                _("必填，年-月-日，培训班的开班日期"),
                "2024-03-04",
                required=True,
                parse=parse_date,
                virtual=True,
                export=lambda e: e.training_class.starts_on,
            ),
            *person_columns(),
            person_name_column(),
            Column(
                _("报名日期"),
                "enrolled_on",
                _("必填，年-月-日；同一培训班、同一人员再次导入时更新该记录"),
                "2024-03-01",
                required=True,
                parse=parse_date,
            ),
            Column(
                _("培训结果"),
                "result",
                _(
                    "在训、结业或未结业；空白为在训。未结班的培训班只能为在训，"
                    "已结班的只能为结业或未结业；结业的按学分规则计入学分银行（同一记录只计一次）"
                ),
                "结业",
                parse=choice(EnrolmentResult, default=EnrolmentResult.ENROLLED),
                export=lambda e: choice_label(EnrolmentResult)(e.result),
            ),
            Column(
                _("核定学时"),
                "hours_completed",
                _("数字，最多两位小数；空白为0；在训为0，结业须大于0"),
                "40",
                parse=_hours,
            ),
        ],
        natural_key=("training_class_id", "person_id"),
        refs=[
            Ref(
                "training_class_id",
                TrainingClass,
                ("programme__provider__credit_code", "name", "starts_on"),
                ("provider_credit_code", "class_name", "class_starts_on"),
                _(
                    "未找到该培训班（培训机构信用代码、班次名称、开班日期须与平台一致），或您无权管理该培训班"
                ),
                blame="class_name",
                action="change",
            ),
            person_ref(),
        ],
        filterset="tongban.skills.filtersets.EnrolmentFilterSet",
        check=lambda rows, user: person_name_refusals(rows),
        after_write=settle_training,
        export_related=("person", "training_class__programme__provider"),
    )


def _result_refusals(rows: list[Any], user: Any) -> Iterable[tuple[Any, ValidationError]]:
    from tongban.skills.competitions import imported_result_refusals

    refused = set()
    for row, exc in person_name_refusals(rows):
        refused.add(row.row)
        yield row, exc
    rest = [r for r in rows if r.row not in refused]
    for row, refusal in zip(rest, imported_result_refusals(_results(rest)), strict=True):
        if refusal is not None:
            yield row, refusal


def _results(rows: list[Any]) -> list[Any]:
    from tongban.skills.competitions import ImportedResult

    return [
        ImportedResult(
            competition_id=row.instance.competition_id,
            entry_id=row.instance.entry_id,
            rank=row.values.get("rank"),
            team_name=row.values.get("team_name") or "",
            line=row.row,
        )
        for row in rows
    ]


def _write_results(rows: list[Any], user: Any) -> None:
    from tongban.skills.competitions import write_imported_results

    write_imported_results(_results(rows))


def _results_kind() -> ImportKind:
    """Competition results: the rank of the entry each entered person competed in.
    Written onto the entries (``write``); nothing is published."""
    from tongban.skills.models import Competition, CompetitionEntrant, CompetitionEntry

    return ImportKind(
        name="competition-results",
        model=CompetitionEntrant,
        label=_("竞赛成绩"),
        columns=[
            Column(
                _("竞赛名称"),
                "competition_name",
                _("必填；已在平台登记的竞赛名称，与开始日期一起确定竞赛"),
                "2024年湖州市车工职业技能竞赛",
                required=True,
                virtual=True,
                export=lambda e: e.competition.name,
            ),
            Column(
                _("竞赛开始日期"),
                "competition_starts_on",
                _("必填，年-月-日"),
                "2024-10-10",
                required=True,
                parse=parse_date,
                virtual=True,
                export=lambda e: e.competition.starts_on,
            ),
            *person_columns(),
            person_name_column(),
            Column(
                _("参赛队名称"),
                "team_name",
                _("团体赛的参赛队名称，个人赛可空；同一参赛队的每名选手填写相同的名称和名次"),
                "",
                virtual=True,
                export=lambda e: e.entry.name,
            ),
            Column(
                _("名次"),
                "rank",
                _(
                    "正整数，不超过参赛队（选手）数，同一名次只能有一个参赛队；空白为未录名次。"
                    "选手须已报名本竞赛。导入只录入成绩，不公布成绩，也不授予奖牌、晋升等级或表彰；"
                    "公布请在竞赛页面点“公布成绩并晋升表彰”。成绩公布后不能再导入"
                ),
                "1",
                parse=_rank,
                virtual=True,
                export=lambda e: e.entry.rank,
            ),
        ],
        natural_key=("competition_id", "person_id"),
        refs=[
            Ref(
                "competition_id",
                Competition,
                ("name", "starts_on"),
                ("competition_name", "competition_starts_on"),
                _("未找到该竞赛（竞赛名称、开始日期须与平台一致），或您无权管理该竞赛"),
                blame="competition_name",
                action="change",
            ),
            person_ref(),
            Ref(
                "entry_id",
                CompetitionEntry,
                (
                    "competition__name",
                    "competition__starts_on",
                    "entrants__person__document_number",
                    "entrants__person__document_type",
                ),
                (
                    "competition_name",
                    "competition_starts_on",
                    "person_document_number",
                    "person_document_type",
                ),
                _("该人员未报名参加本竞赛，不能录入成绩"),
                blame="person_document_number",
                action="change",
            ),
        ],
        filterset="tongban.skills.filtersets.CompetitionEntrantFilterSet",
        check=_result_refusals,
        write=_write_results,
        in_order=True,  # a rank another row of the file already holds
        export_related=("competition", "entry", "person"),
    )


def register_skills_kinds() -> None:
    from tongban.skills.credits import settle_certificates
    from tongban.skills.models import Certificate, Evaluator, Occupation, SkillLevel
    from tongban.skills.models.certification import Route

    register(
        ImportKind(
            name="certificates",
            model=Certificate,
            label=_("职业技能等级证书"),
            columns=[
                Column(
                    _("证书编号"),
                    "number",
                    _("必填；同一编号再次导入时更新该证书"),
                    "S000033050001245000123",
                    required=True,
                ),
                *person_columns(),
                Column(_("姓名"), "holder_name", _("必填，证书上的姓名"), "张三", required=True),
                Column(
                    _("职业代码"),
                    "occupation_code",
                    _("《职业分类大典》细类代码，如6-18-01-01"),
                    "6-18-01-01",
                    required=True,
                    virtual=True,
                    export=lambda c: c.occupation.code,
                ),
                Column(
                    _("技能等级"),
                    "level_name",
                    _(
                        "五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师（写其一即可）"
                    ),
                    "四级/中级工",
                    required=True,
                    parse=_level_name,
                    virtual=True,
                    export=lambda c: str(c.level),
                ),
                Column(
                    _("评价机构代码"),
                    "issuer_code",
                    _("评价机构的4位机构代码；评价机构须已备案"),
                    "0001",
                    required=True,
                    virtual=True,
                    export=lambda c: c.issuer.institution_code,
                ),
                Column(
                    _("发证日期"),
                    "issued_on",
                    _("必填，年-月-日"),
                    "2023-06-30",
                    required=True,
                    parse=parse_date,
                ),
                Column(
                    _("取得途径"),
                    "route",
                    _("社会培训评价组织评价、企业自主评价、直接认定等"),
                    "企业自主评价",
                    required=True,
                    parse=choice(Route),
                    export=lambda c: choice_label(Route)(c.route),
                ),
            ],
            after_write=settle_certificates,
            natural_key=("number",),
            refs=[
                person_ref(),
                Ref(
                    "occupation_id",
                    Occupation,
                    ("code",),
                    ("occupation_code",),
                    _("未找到该职业代码"),
                ),
                Ref("level_id", SkillLevel, ("name",), ("level_name",), _("未知的技能等级")),
                Ref(
                    "issuer_id",
                    Evaluator,
                    ("institution_code",),
                    ("issuer_code",),
                    _("未找到该评价机构代码，请先备案评价机构"),
                ),
            ],
            filterset="tongban.skills.filtersets.CertificateFilterSet",
            keep_on_update=("status", "payload", "revoked_reason", "application"),
            export_related=("person", "occupation", "level", "issuer"),
        )
    )
    register(_training_kind())
    register(_results_kind())
