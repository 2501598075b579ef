"""Identity-number and contact validators, the one place that wraps python-stdnum.

Every form, serializer and importer reaches these through ``Model.clean()``;
each raises :class:`django.core.exceptions.ValidationError` with a Chinese
message that says what is wrong.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_2

REGION_CODE_RE = re.compile(r"^\d{12}$")
OCCUPATION_CODE_RE = re.compile(r"^\d-\d{2}(-\d{2}(-\d{2})?)?$")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,17}$")
FOREIGN_PERMANENT_OLD_RE = re.compile(r"^[A-Z]{3}\d{12}$")
SOCIAL_SECURITY_CARD_RE = re.compile(r"^[A-Z0-9]{9}$")
HMT_PREFIXES = ("810000", "820000", "830000")


@dataclass(frozen=True)
class IdentityFacts:
    """What a document number tells about its holder (None when it tells nothing)."""

    number: str
    birth_date: datetime.date | None = None
    gender: str | None = None  # "male" / "female"


def normalize_document_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def _gender_from_sequence(number: str) -> str:
    return "male" if int(number[16]) % 2 == 1 else "female"


def _birth_date_from(number: str) -> datetime.date:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("证件号码中的出生日期 %(digits)s 不是有效日期") % {"digits": number[6:14]},
            code="birth_date",
        ) from exc


def _check_birth_date_not_future(born: datetime.date, today: datetime.date | None) -> None:
    today = today or datetime.date.today()  # noqa: DTZ011  (a calendar date, not a moment)
    if born > today or born.year < 1900:
        raise ValidationError(
            _("证件号码中的出生日期 %(date)s 不可能") % {"date": born.isoformat()},
            code="birth_date",
        )


@functools.lru_cache(maxsize=8192)
def is_known_birthplace(code6: str) -> bool:
    """Whether a 6-digit address code was ever a county-level code (python-stdnum's table).

    python-stdnum's ``ric.validate`` also wants the code to have existed in the
    birth year; numbers are assigned at registration, which can be years after
    birth (a person born in 1990 in 南浔 may hold 330503, created in 2003), so
    only the code's existence at some time is required here.
    """
    results = numdb.get("cn/loc").info(code6)
    return any("county" in props for _part, props in results)


def validate_resident_id(value: str, *, today: datetime.date | None = None) -> IdentityFacts:
    """居民身份证号码 (GB 11643-1999): length, format, birth date, birthplace, MOD 11-2."""
    number = normalize_document_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("居民身份证号码应为18位（当前%(n)d位）") % {"n": len(number)}, code="length"
        )
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("居民身份证号码前17位应为数字，末位为数字或X"), code="format")
    born = _birth_date_from(number)
    _check_birth_date_not_future(born, today)
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise ValidationError(
            _("居民身份证号码校验位错误（应为%(digit)s）") % {"digit": expected}, code="checksum"
        )
    if not is_known_birthplace(number[:6]):
        raise ValidationError(
            _("居民身份证号码前6位 %(code)s 不是有效的行政区划代码") % {"code": number[:6]},
            code="birthplace",
        )
    return IdentityFacts(number, born, _gender_from_sequence(number))


def _validate_mod11_2(number: str, label: str) -> None:
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("%(label)s应为18位，前17位为数字，末位为数字或X") % {"label": label}, code="format"
        )
    if not mod_11_2.is_valid(number):
        raise ValidationError(
            _("%(label)s校验位错误（应为%(digit)s）")
            % {"label": label, "digit": mod_11_2.calc_check_digit(number[:-1])},
            code="checksum",
        )


def validate_hmt_residence_permit(
    value: str, *, today: datetime.date | None = None
) -> IdentityFacts:
    """港澳台居民居住证: 18 digits, 810000/820000/830000 prefix, birth date, MOD 11-2."""
    number = normalize_document_number(value)
    label = _("港澳台居民居住证号码")
    _validate_mod11_2(number, label)
    if not number.startswith(HMT_PREFIXES):
        raise ValidationError(
            _("港澳台居民居住证号码应以810000、820000或830000开头"), code="format"
        )
    born = _birth_date_from(number)
    _check_birth_date_not_future(born, today)
    return IdentityFacts(number, born, _gender_from_sequence(number))


def validate_foreign_permanent_residence(
    value: str, *, today: datetime.date | None = None
) -> IdentityFacts:
    """外国人永久居留身份证: the 2017 form (3 letters + 12 digits) or the 2023 form
    (18 characters starting with 9, birth date in positions 7-14, MOD 11-2)."""
    number = normalize_document_number(value)
    if FOREIGN_PERMANENT_OLD_RE.fullmatch(number):
        return IdentityFacts(number)
    if len(number) == 18 and number.startswith("9"):
        _validate_mod11_2(number, _("外国人永久居留身份证号码"))
        born = _birth_date_from(number)
        _check_birth_date_not_future(born, today)
        return IdentityFacts(number, born)
    raise ValidationError(
        _("外国人永久居留身份证号码应为3位字母加12位数字，或以9开头的18位号码"), code="format"
    )


def validate_passport(value: str) -> IdentityFacts:
    number = normalize_document_number(value)
    if not PASSPORT_RE.fullmatch(number):
        raise ValidationError(_("护照号码应为5至17位字母或数字"), code="format")
    return IdentityFacts(number)


def validate_document(
    document_type: str, value: str, *, today: datetime.date | None = None
) -> IdentityFacts:
    """Validate a document number of the given type (see ``DocumentType``)."""
    if document_type == "resident_id":
        return validate_resident_id(value, today=today)
    if document_type == "hmt_residence":
        return validate_hmt_residence_permit(value, today=today)
    if document_type == "foreign_permanent":
        return validate_foreign_permanent_residence(value, today=today)
    if document_type == "passport":
        return validate_passport(value)
    raise ValidationError(_("未知的证件类型"), code="document_type")


def normalize_credit_code(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_credit_code(value: str) -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters, MOD 31 check character.

    Position 1 is the registration authority (1-9, A, N, Y), position 2 the
    organisation type, positions 3-8 the region code. python-stdnum's own
    ``validate`` wants positions 1-8 to be digits, which refuses the codes of
    authorities A, N and Y; so the format is checked here and only the check
    character is computed by python-stdnum.
    """
    number = normalize_credit_code(value)
    if len(number) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位（当前%(n)d位）") % {"n": len(number)}, code="length"
        )
    if not re.fullmatch(r"[0-9A-HJ-NP-RTUWXY]{18}", number):
        raise ValidationError(
            _("统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）"), code="format"
        )
    if number[0] not in "123456789ANY":
        raise ValidationError(
            _("统一社会信用代码第1位（登记管理部门代码）应为1-9、A、N或Y"), code="format"
        )
    if not number[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）"), code="format"
        )
    expected = uscc.calc_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误（应为%(digit)s）") % {"digit": expected},
            code="checksum",
        )
    return number


def _parse_phone(value: str) -> tuple[str, phonenumbers.PhoneNumber]:
    """The number in stored form and parsed (parsed once: bulk imports call this per row)."""
    raw = (value or "").strip()
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s”不是电话号码") % {"value": raw}, code="phone") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("“%(value)s”不是有效的电话号码") % {"value": raw}, code="phone")
    if parsed.country_code == 86:
        return str(parsed.national_number), parsed
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), parsed


def normalize_phone(value: str) -> str:
    """Mainland numbers as 11 digits; others in E.164 form."""
    return _parse_phone(value)[0]


# The types phonenumbers tests before MOBILE when it names a number's type.
_TYPES_BEFORE_MOBILE = (
    "premium_rate", "toll_free", "shared_cost", "voip",
    "personal_number", "pager", "uan", "voicemail",
)  # fmt: skip


@functools.cache
def _mainland_descs() -> tuple[
    tuple[tuple[int, ...], re.Pattern[str]] | None, ...
]:  # general, mobile, then the types tested before mobile
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None  # noqa: S101 - shipped with phonenumbers

    def compiled(name: str) -> tuple[tuple[int, ...], re.Pattern[str]] | None:
        desc = getattr(metadata, name)
        if desc is None or desc.national_number_pattern is None:
            return None
        return tuple(desc.possible_length or ()), re.compile(desc.national_number_pattern)

    return tuple(compiled(n) for n in ("general_desc", "mobile", *_TYPES_BEFORE_MOBILE))


def _plain_mainland_mobile(raw: str) -> bool:
    """Whether ``raw``, written as 11 plain digits, is a mainland mobile number by the very
    patterns phonenumbers reads from its metadata (general, then no other type ahead of
    mobile, then mobile): the common case of a bulk import, without building a parsed
    number. Anything else goes the whole way through phonenumbers."""
    if len(raw) != 11 or raw[0] != "1" or not raw.isascii() or not raw.isdigit():
        return False

    def matches(desc: tuple[tuple[int, ...], re.Pattern[str]] | None) -> bool:
        if desc is None:
            return False
        lengths, pattern = desc
        return (not lengths or len(raw) in lengths) and pattern.fullmatch(raw) is not None

    general, mobile, *before = _mainland_descs()
    if not matches(general) or any(matches(d) for d in before):
        return False
    return matches(mobile)


def validate_mobile(value: str) -> str:
    raw = (value or "").strip()
    if _plain_mainland_mobile(raw):
        return raw
    number, parsed = _parse_phone(value)
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("“%(value)s”不是手机号码") % {"value": value}, code="mobile")
    return number


def validate_social_security_card(value: str) -> str:
    """社会保障卡号: the 9-character card number, or the 18-character 社会保障号码
    (which is the holder's citizen ID number)."""
    number = normalize_document_number(value)
    if SOCIAL_SECURITY_CARD_RE.fullmatch(number):
        return number
    if len(number) == 18:
        try:
            validate_resident_id(number)
        except ValidationError as exc:
            raise ValidationError(
                _("社会保障号码应为有效的居民身份证号码：%(reason)s")
                % {"reason": "；".join(exc.messages)},
                code="social_security",
            ) from exc
        return number
    raise ValidationError(
        _("社会保障卡号应为9位字母或数字，或18位社会保障号码"), code="social_security"
    )


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.fullmatch(value or ""):
        raise ValidationError(_("行政区划代码应为12位数字"), code="region_code")


def validate_occupation_code(value: str) -> None:
    if value and not OCCUPATION_CODE_RE.fullmatch(value):
        raise ValidationError(
            _("职业代码格式应为“大类-中类-小类-细类”，如6-18-01-01"), code="occupation_code"
        )
