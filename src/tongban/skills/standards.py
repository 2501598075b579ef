"""Standards: application conditions and assessment parts per occupation and level.

An occupation may have its own rows (``ApplicationCondition``, ``AssessmentPart``);
without them the common template of the national standards applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tongban.skills.models import ApplicationCondition, AssessmentPart, Occupation, SkillLevel

SENIOR_SCHOOLS = ["senior_technical_school", "technician_college"]

# The common template (申报条件) of the national occupational standards.
DEFAULT_CONDITIONS: dict[str, list[list[dict[str, Any]]]] = {
    "level5": [
        [{"kind": "years", "years": 1}],
        [{"kind": "apprenticeship"}],
    ],
    "level4": [
        [
            {"kind": "certificate", "level": "level5"},
            {"kind": "years", "years": 4, "since": "level5"},
        ],
        [{"kind": "years", "years": 6}],
        [{"kind": "school", "classes": ["technical_school"]}],
    ],
    "level3": [
        [
            {"kind": "certificate", "level": "level4"},
            {"kind": "years", "years": 5, "since": "level4"},
        ],
        [{"kind": "certificate", "level": "level4"}, {"kind": "school", "classes": SENIOR_SCHOOLS}],
        [
            {"kind": "education", "at_least": "junior_college"},
            {"kind": "certificate", "level": "level4"},
            {"kind": "years", "years": 2, "since": "level4"},
        ],
    ],
    "level2": [
        [
            {"kind": "certificate", "level": "level3"},
            {"kind": "years", "years": 4, "since": "level3"},
        ],
        [
            {"kind": "certificate", "level": "level3"},
            {"kind": "school", "classes": SENIOR_SCHOOLS},
            {"kind": "years", "years": 3, "since": "level3"},
        ],
        [
            {"kind": "school", "classes": ["preparatory_technician"]},
            {"kind": "years", "years": 2, "since": "school"},
        ],
    ],
    "level1": [
        [
            {"kind": "certificate", "level": "level2"},
            {"kind": "years", "years": 4, "since": "level2"},
        ],
    ],
}


@dataclass(frozen=True)
class Part:
    kind: str
    label: str
    full_marks: int
    pass_mark: int


DEFAULT_PARTS = {
    "theory": "理论知识考试",
    "practical": "操作技能考核",
    "review": "综合评审",
}


def conditions(occupation: Occupation, level: SkillLevel) -> list[list[dict[str, Any]]]:
    """The application conditions of ``occupation`` at ``level`` (own rows, else the template)."""
    row = ApplicationCondition.objects.filter(occupation=occupation, level=level).first()
    if row is not None:
        alternatives: list[list[dict[str, Any]]] = row.alternatives
        return alternatives
    return DEFAULT_CONDITIONS.get(level.key, [])


def assessment_parts(occupation: Occupation, level: SkillLevel) -> list[Part]:
    """Theory and practical, 100 points, pass 60; 技师 and 高级技师 add 综合评审."""
    rows = list(AssessmentPart.objects.filter(occupation=occupation, level=level))
    if rows:
        return [Part(r.kind, r.get_kind_display(), r.full_marks, r.pass_mark) for r in rows]
    kinds = ["theory", "practical"]
    if level.key in ("level2", "level1"):
        kinds.append("review")
    return [Part(k, DEFAULT_PARTS[k], 100, 60) for k in kinds]
