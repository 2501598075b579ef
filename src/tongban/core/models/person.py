from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from tongban.core.permissions import RestrictedQuerySet, Scope
from tongban.core.validators import (
    normalize_document_number,
    validate_document,
    validate_mobile,
    validate_social_security_card,
)


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HMT_RESIDENCE = "hmt_residence", _("港澳台居民居住证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    PASSPORT = "passport", _("护照")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("普通高中")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中职（中专、技工学校）")
    JUNIOR_COLLEGE = "junior_college", _("大专（高职）")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


@functools.lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """The search key of a name (names repeat: cached for bulk imports).

    pypinyin reads a text word by word, and a word its phrase table does not hold
    character by character; a name of Chinese characters none of whose pairs, triples…
    is in that table is therefore read character by character, and each character's
    reading is cached (the common case of a bulk import, without the segmenter)."""
    if all(ord(c) in PINYIN_DICT for c in name) and not _holds_phrase(name):
        return "".join(_character_pinyin(c) for c in name)
    return "".join(lazy_pinyin(name)).lower()


@functools.lru_cache(maxsize=32768)
def _character_pinyin(character: str) -> str:
    return "".join(lazy_pinyin(character)).lower()


def _holds_phrase(text: str) -> bool:
    return any(
        text[start:end] in PHRASES_DICT
        for start in range(len(text) - 1)
        for end in range(start + 2, len(text) + 1)
    )


PERSONAL_FIELDS = ("document_number", "mobile", "social_security_card_number")


class Person(models.Model):
    """A real-name person.

    Personal data: ``name``, ``document_number``, ``birth_date``, ``gender``,
    ``social_security_card_number``, ``mobile``, ``residence_region``. The three
    fields in ``PERSONAL_FIELDS`` are shown masked; revealing them goes through
    ``services.reveal_personal_data`` which writes a ``PersonalDataAccess`` row.
    """

    name = models.CharField(_("姓名"), max_length=60, db_index=True)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=200, blank=True, editable=False)
    document_type = models.CharField(
        _("证件类型"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    document_number = models.CharField(_("证件号码"), max_length=20)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    social_security_card_number = models.CharField(_("社会保障卡号"), max_length=18, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    residence_region = models.ForeignKey(
        "core.Region", verbose_name=_("常住地区"), on_delete=models.PROTECT, related_name="+"
    )
    education = models.CharField(
        _("最高学历"), max_length=30, choices=Education.choices, blank=True
    )
    registered_by = models.ForeignKey(
        "core.Organization",
        verbose_name=_("登记单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("个人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(
        regions=("residence_region", "employments__organization__region"),
        organizations=("registered_by", "employments__organization"),
        own="user",
        error_field="residence_region",
    )

    class Meta:
        verbose_name = pgettext_lazy("singular", "人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                name="person_one_per_document",
                violation_error_message=_("该证件号码已登记"),
            ),
            models.UniqueConstraint(
                fields=["social_security_card_number"],
                condition=~Q(social_security_card_number=""),
                name="person_one_per_social_security_card",
                violation_error_message=_("该社会保障卡号已登记"),
            ),
        ]
        indexes = [models.Index(fields=["name_pinyin"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_name_pinyin()
        super().save(*args, **kwargs)

    def fill_name_pinyin(self) -> None:
        """The derived search key; also called by the bulk importer, which does not save()."""
        self.name_pinyin = name_pinyin(self.name) if self.name else ""

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        self.name = (self.name or "").strip()
        self.document_number = normalize_document_number(self.document_number)
        try:
            facts = validate_document(self.document_type, self.document_number)
        except ValidationError as exc:
            errors.setdefault("document_number", []).append(exc)
        else:
            self.document_number = facts.number
            if facts.birth_date:
                if self.birth_date and self.birth_date != facts.birth_date:
                    errors.setdefault("birth_date", []).append(
                        ValidationError(
                            _("出生日期与证件号码不符（证件号码中为%(date)s）")
                            % {"date": facts.birth_date.isoformat()},
                            code="contradicts_document",
                        )
                    )
                else:
                    self.birth_date = facts.birth_date
            if facts.gender:
                if self.gender and self.gender != facts.gender:
                    errors.setdefault("gender", []).append(
                        ValidationError(
                            _("性别与证件号码不符（证件号码中为%(gender)s）")
                            % {"gender": Gender(facts.gender).label},
                            code="contradicts_document",
                        )
                    )
                else:
                    self.gender = facts.gender
        if self.mobile:
            try:
                self.mobile = validate_mobile(self.mobile)
            except ValidationError as exc:
                errors.setdefault("mobile", []).append(exc)
        if self.social_security_card_number:
            try:
                self.social_security_card_number = validate_social_security_card(
                    self.social_security_card_number
                )
            except ValidationError as exc:
                errors.setdefault("social_security_card_number", []).append(exc)
        if errors:
            raise ValidationError(errors)

    @property
    def age(self) -> int | None:
        import datetime

        if not self.birth_date:
            return None
        today = datetime.date.today()  # noqa: DTZ011
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
