"""Standards: application conditions and assessment parts as editable data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.skills import builders
from tongban.skills.models import ApplicationCondition, AssessmentPart
from tongban.skills.models.occupation import level
from tongban.skills.standards import DEFAULT_CONDITIONS, assessment_parts, conditions

pytestmark = pytest.mark.django_db


def test_conditions_default_to_the_common_template(catalogue):
    assert conditions(builders.occupation(), level("level3")) == DEFAULT_CONDITIONS["level3"]


def test_an_occupation_may_override_its_conditions(catalogue):
    own = [[{"kind": "years", "years": 2}]]
    ApplicationCondition.objects.create(
        occupation=builders.occupation(), level=level("level4"), alternatives=own
    )
    assert conditions(builders.occupation(), level("level4")) == own


def test_malformed_conditions_are_refused(catalogue):
    row = ApplicationCondition(
        occupation=builders.occupation(), level=level("level4"), alternatives=[[{"kind": "magic"}]]
    )
    with pytest.raises(ValidationError) as exc:
        row.full_clean()
    assert "alternatives" in exc.value.message_dict


def test_theory_and_practical_for_every_level_review_added_for_technicians(catalogue):
    kinds4 = [p.kind for p in assessment_parts(builders.occupation(), level("level4"))]
    kinds2 = [p.kind for p in assessment_parts(builders.occupation(), level("level2"))]
    assert kinds4 == ["theory", "practical"]
    assert kinds2 == ["theory", "practical", "review"]
    assert all(
        p.pass_mark == 60 and p.full_marks == 100
        for p in assessment_parts(builders.occupation(), level("level1"))
    )


def test_own_assessment_parts_and_pass_marks_replace_the_template(catalogue):
    AssessmentPart.objects.create(
        occupation=builders.occupation(), level=level("level4"), kind="practical", pass_mark=70
    )
    parts = assessment_parts(builders.occupation(), level("level4"))
    assert [(p.kind, p.pass_mark) for p in parts] == [("practical", 70)]


def test_pass_mark_above_full_marks_is_refused(catalogue):
    part = AssessmentPart(
        occupation=builders.occupation(), level=level("level4"), kind="theory", pass_mark=120
    )
    with pytest.raises(ValidationError) as exc:
        part.full_clean()
    assert exc.value.message_dict["pass_mark"] == ["合格分不能高于满分"]
