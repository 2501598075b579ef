"""Import/export kinds of the skilled-talent system (see ``core.importing.kinds``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tongban.core.importing.kinds import (
    Column,
    ImportKind,
    Ref,
    choice,
    choice_label,
    parse_date,
    person_columns,
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


def register_skills_kinds() -> None:
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
