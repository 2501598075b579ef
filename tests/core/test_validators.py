"""Identity and contact validators, checked against python-stdnum as an independent oracle."""

from __future__ import annotations

import datetime
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_2

from tongban.core import validators as v

KNOWN_COUNTIES = ["110101", "310104", "330102", "330502", "330503", "440106", "510107"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_body(county: str, born: datetime.date, seq: int) -> str:
    return f"{county}{born:%Y%m%d}{seq:03d}"


dates = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2020, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KNOWN_COUNTIES), dates, st.integers(0, 999), st.sampled_from("0123456789X"))
def test_resident_id_accepted_exactly_when_stdnum_accepts(county, born, seq, last):
    # Codes in KNOWN_COUNTIES all existed in 2004-2020, so stdnum's birth-year rule agrees.
    number = id_body(county, born, seq) + last
    try:
        v.validate_resident_id(number)
        ours = True
    except ValidationError:
        ours = False
    assert ours == ric.is_valid(number)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_resident_id_never_accepts_what_fails_the_checksum(number):
    try:
        v.validate_resident_id(number)
    except ValidationError:
        return
    assert number[17] == ric.calc_check_digit(number)
    assert mod_11_2.is_valid(number)


def test_resident_id_checksum_error_names_the_expected_digit():
    body = id_body("330502", datetime.date(1990, 3, 7), 123)
    good = body + ric.calc_check_digit(body + "0")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        v.validate_resident_id(bad)
    assert err.value.code == "checksum"
    assert f"应为{good[-1]}" in err.value.messages[0]


def test_resident_id_gives_birth_date_and_gender():
    body = id_body("330502", datetime.date(1988, 12, 31), 124)  # even sequence: female
    facts = v.validate_resident_id(body + ric.calc_check_digit(body + "0"))
    assert facts.birth_date == datetime.date(1988, 12, 31)
    assert facts.gender == "female"


def test_resident_id_lowercase_x_is_normalised():
    for seq in range(1000):
        body = id_body("330502", datetime.date(1990, 1, 1), seq)
        if ric.calc_check_digit(body + "0") == "X":
            break
    facts = v.validate_resident_id(body.lower() + "x ")
    assert facts.number.endswith("X")


@pytest.mark.parametrize(
    "number, code",
    [
        ("33050219900230123", "length"),  # 17 characters
        ("3305021990023012A4", "format"),
        ("330502199002301234", "birth_date"),  # 30 February
        ("330502209901011234", "birth_date"),  # born in the future
    ],
)
def test_resident_id_known_bad(number, code):
    with pytest.raises(ValidationError) as err:
        v.validate_resident_id(number)
    assert err.value.code == code


def test_resident_id_unknown_birthplace_refused():
    body = id_body("000000", datetime.date(1990, 1, 1), 11)
    with pytest.raises(ValidationError) as err:
        v.validate_resident_id(body + ric.calc_check_digit(body + "0"))
    assert err.value.code == "birthplace"


def test_resident_id_code_created_after_birth_is_accepted():
    # 南浔区 (330503) dates from 2003; people born earlier were given numbers there later.
    body = id_body("330503", datetime.date(1985, 5, 5), 21)
    number = body + ric.calc_check_digit(body + "0")
    assert not ric.is_valid(number)  # stdnum's stricter birth-year rule
    assert v.validate_resident_id(number).birth_date == datetime.date(1985, 5, 5)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from("123456789"),
    st.sampled_from("1239"),
    st.sampled_from(KNOWN_COUNTIES),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
    st.sampled_from(USCC_ALPHABET),
)
def test_credit_code_accepted_exactly_when_stdnum_accepts(authority, kind, county, org, last):
    number = f"{authority}{kind}{county}{org}{last}"
    try:
        v.validate_credit_code(number)
        ours = True
    except ValidationError:
        ours = False
    assert ours == uscc.is_valid(number)


@pytest.mark.parametrize("authority", ["A", "N", "Y"])
def test_credit_code_letter_authorities_accepted_though_stdnum_refuses(authority):
    body = f"{authority}1330502MA2B1234"[:17]
    body = body.ljust(17, "0")
    number = body + uscc.calc_check_digit(body)
    assert not uscc.is_valid(number)
    assert v.validate_credit_code(number) == number


@pytest.mark.parametrize(
    "number, code",
    [
        ("91330502MA2B1234", "length"),
        ("91330502MA2B12345I", "format"),  # I is not in the alphabet
        ("B1330502MA2B123456", "format"),  # B is not a registration authority
        ("9133AB02MA2B123456", "format"),  # region part must be digits
    ],
)
def test_credit_code_known_bad(number, code):
    with pytest.raises(ValidationError) as err:
        v.validate_credit_code(number)
    assert err.value.code == code


def test_credit_code_bad_check_character_names_the_expected_one():
    body = "91330502MA2B12345"
    good = uscc.calc_check_digit(body)
    bad = next(c for c in USCC_ALPHABET if c != good)
    with pytest.raises(ValidationError) as err:
        v.validate_credit_code(body + bad)
    assert err.value.code == "checksum"
    assert f"应为{good}" in err.value.messages[0]


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("+852 6123 4567", "+85261234567"),
    ],
)
def test_mobile_accepted_and_normalised(raw, stored):
    assert v.validate_mobile(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "1381234567", "abc", "0572-2345678"])
def test_not_a_mobile_refused(raw):
    with pytest.raises(ValidationError):
        v.validate_mobile(raw)


def _phonenumbers_mobile(raw: str) -> str | None:
    """What phonenumbers alone says: the stored form of a mobile number, else None."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in kinds:
        return None
    return str(parsed.national_number)


def test_plain_mobile_shortcut_agrees_with_phonenumbers():
    """Eleven plain digits are checked against phonenumbers' own patterns without parsing:
    over every four-digit beginning from 1000 to 1999, the answer is phonenumbers'."""
    import random

    rng = random.Random(7)
    for start in range(1000, 2000):
        for _ in range(3):
            raw = f"{start}{rng.randrange(10**7):07d}"
            expected = _phonenumbers_mobile(raw)
            if expected is None:
                with pytest.raises(ValidationError):
                    v.validate_mobile(raw)
            else:
                assert v.validate_mobile(raw) == expected


def test_hmt_residence_permit():
    body = "81000019900101123"
    number = body + mod_11_2.calc_check_digit(body)
    facts = v.validate_hmt_residence_permit(number)
    assert facts.birth_date == datetime.date(1990, 1, 1)
    with pytest.raises(ValidationError):
        v.validate_hmt_residence_permit("33050219900101123" + mod_11_2.calc_check_digit(body))


def test_foreign_permanent_residence_both_forms():
    assert v.validate_foreign_permanent_residence("USA330612345678").number == "USA330612345678"
    body = "93384019800101001"
    assert v.validate_foreign_permanent_residence(body + mod_11_2.calc_check_digit(body))
    with pytest.raises(ValidationError):
        v.validate_foreign_permanent_residence(body + "Q")


@given(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=5, max_size=17))
def test_passport_any_alphanumeric_5_to_17(number):
    assert v.validate_passport(number).number == number


def test_social_security_card_number():
    assert v.validate_social_security_card("a12345678") == "A12345678"
    with pytest.raises(ValidationError):
        v.validate_social_security_card("A1234")


def test_name_pinyin_reads_every_name_as_pypinyin_does():
    """Names read character by character from a cache unless a pair or more of their
    characters is a phrase pypinyin knows: either way the key is pypinyin's own reading."""
    import random

    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    from tongban.core.models.person import name_pinyin

    rng = random.Random(11)
    phrase_characters = sorted({c for phrase in list(PHRASES_DICT)[:5000] for c in phrase})
    names = ["单于", "长孙无忌", "曾国藩", "重庆", "张伟", "欧阳修", "Anna·李", "王 五", "行长"]
    names += ["".join(rng.choice(phrase_characters) for _ in range(rng.choice((2, 3, 4))))
              for _ in range(3000)]  # fmt: skip
    for name in names:
        assert name_pinyin(name) == "".join(lazy_pinyin(name)).lower(), name
