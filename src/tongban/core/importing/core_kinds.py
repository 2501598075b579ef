"""The core kinds: people, organisations, employment (declared once, registered at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tongban.core.importing.kinds import (
    Column,
    ImportKind,
    Ref,
    choice,
    choice_label,
    parse_bool,
    parse_date,
    person_columns,
    person_ref,
    register,
)
from tongban.core.models import (
    DocumentType,
    Education,
    Employment,
    Gender,
    Organization,
    OrganizationKind,
    Person,
    Region,
)


def _upper_no_spaces(value: str) -> str:
    return value.replace(" ", "").upper()


def _acting_organization(user: Any) -> int | None:
    from tongban.core.services import _acting_organization_id

    return _acting_organization_id(user)


def _region_ref(attr: str, column: str) -> Ref:
    return Ref(attr, Region, ("code",), (column,), _("未找到该行政区划代码"))


def _org_ref(attr: str, column: str, missing: Any) -> Ref:
    return Ref(attr, Organization, ("credit_code",), (column,), missing)


def _region_code_column(header: Any, attr: str, sample: str) -> Column:
    return Column(
        header,
        attr,
        _("12位统计用区划代码，如330502000000（区县）或到村、社区"),
        sample,
        required=True,
        virtual=True,
        export=lambda obj: getattr(obj, attr.removesuffix("_code")).code,
    )


PEOPLE = ImportKind(
    name="people",
    model=Person,
    label=_("人员"),
    columns=[
        Column(_("姓名"), "name", _("必填"), "张三", required=True),
        Column(
            _("证件类型"),
            "document_type",
            _("居民身份证、港澳台居民居住证、外国人永久居留身份证或护照；空白为居民身份证"),
            "居民身份证",
            parse=choice(DocumentType, default=DocumentType.RESIDENT_ID),
            export=lambda p: choice_label(DocumentType)(p.document_type),
        ),
        Column(
            _("证件号码"),
            "document_number",
            _("必填；居民身份证号码18位，校验位须正确；请将此列设置为文本格式"),
            "330502199003070011",
            required=True,
            parse=_upper_no_spaces,
            mask="document_number",
        ),
        Column(
            _("性别"),
            "gender",
            _("男或女；可空，居民身份证号码中已含性别"),
            "男",
            parse=choice(Gender),
            export=lambda p: choice_label(Gender)(p.gender),
        ),
        Column(
            _("出生日期"),
            "birth_date",
            _("年-月-日；可空，居民身份证号码中已含出生日期"),
            "1990-03-07",
            parse=parse_date,
        ),
        Column(
            _("社会保障卡号"),
            "social_security_card_number",
            _("9位卡号或18位社会保障号码；可空"),
            "",
            parse=_upper_no_spaces,
            mask="social_security_card_number",
        ),
        Column(_("手机号码"), "mobile", _("11位手机号码；可空"), "13812345678", mask="mobile"),
        _region_code_column(_("常住地区代码"), "residence_region_code", "330502001001"),
        Column(
            _("最高学历"),
            "education",
            _(
                "小学及以下、初中、普通高中、中职（中专、技工学校）、大专（高职）、本科、硕士研究生、博士研究生；可空"
            ),
            "普通高中",
            parse=choice(Education),
            export=lambda p: choice_label(Education)(p.education),
        ),
    ],
    natural_key=("document_type", "document_number"),
    refs=[_region_ref("residence_region_id", "residence_region_code")],
    filterset="tongban.core.filtersets.PersonFilterSet",
    insert_only={"registered_by_id": _acting_organization},
    derived=("name_pinyin", "gender", "birth_date"),
    prepare=lambda person: person.fill_name_pinyin(),
    export_related=("residence_region",),
)

ORGANIZATIONS = ImportKind(
    name="organizations",
    model=Organization,
    label=_("单位"),
    columns=[
        Column(_("单位名称"), "name", _("必填"), "湖州示例机械有限公司", required=True),
        Column(
            _("统一社会信用代码"),
            "credit_code",
            _("必填，18位，校验位须正确；同一代码再次导入时更新该单位"),
            "91330502MA2B3C4D5X",
            required=True,
            parse=_upper_no_spaces,
        ),
        Column(
            _("单位类型"),
            "kind",
            _(
                "企业、职业院校（含技工院校）、职业培训机构、社会培训评价组织、事业单位、社会组织、其他等"
            ),
            "企业",
            required=True,
            parse=choice(OrganizationKind),
            export=lambda o: choice_label(OrganizationKind)(o.kind),
        ),
        _region_code_column(_("所在地区代码"), "region_code", "330502000000"),
        Column(
            _("上级单位信用代码"),
            "parent_credit_code",
            _("可空；上级单位须已登记"),
            "",
            parse=_upper_no_spaces,
            virtual=True,
            export=lambda o: o.parent.credit_code if o.parent_id else "",
        ),
    ],
    natural_key=("credit_code",),
    refs=[
        _region_ref("region_id", "region_code"),
        _org_ref("parent_id", "parent_credit_code", _("未找到该上级单位，请先导入上级单位")),
    ],
    filterset="tongban.core.filtersets.OrganizationFilterSet",
    export_related=("region", "parent"),
)

EMPLOYMENT = ImportKind(
    name="employment",
    model=Employment,
    label=_("从业经历"),
    columns=[
        *person_columns(),
        Column(
            _("用人单位信用代码"),
            "organization_credit_code",
            _("必填；用人单位须已登记"),
            "91330502MA2B3C4D5X",
            required=True,
            parse=_upper_no_spaces,
            virtual=True,
            export=lambda e: e.organization.credit_code or "",
        ),
        Column(_("岗位"), "post", _("可空"), "数控车工"),
        Column(
            _("职业代码"),
            "occupation_code",
            _("《职业分类大典》代码，如6-18-01-01；可空"),
            "6-18-01-01",
        ),
        Column(
            _("入职日期"),
            "start_date",
            _("必填，年-月-日；同一人员、单位、入职日期再次导入时更新该记录"),
            "2015-07-01",
            required=True,
            parse=parse_date,
        ),
        Column(_("离职日期"), "end_date", _("年-月-日；在职空白"), "", parse=parse_date),
        Column(_("一线岗位"), "frontline", _("是或否"), "是", parse=parse_bool),
    ],
    natural_key=("person_id", "organization_id", "start_date"),
    refs=[
        person_ref(),
        _org_ref(
            "organization_id", "organization_credit_code", _("未找到该用人单位，请先导入单位")
        ),
    ],
    filterset="tongban.core.filtersets.EmploymentFilterSet",
    export_related=("person", "organization"),
)


def register_core_kinds() -> None:
    for kind in (PEOPLE, ORGANIZATIONS, EMPLOYMENT):
        register(kind)
