"""Eligibility: ``check(person, occupation, level, on=date)`` → a ``Decision`` with each
condition met or missed in plain Chinese."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from tongban.core.models import Education, Employment, Person
from tongban.skills.models import (
    Apprenticeship,
    Certificate,
    CertificateStatus,
    Occupation,
    SchoolClass,
    SchoolRecord,
    SkillLevel,
)
from tongban.skills.standards import conditions

EDUCATION_ORDER = [
    Education.PRIMARY,
    Education.JUNIOR,
    Education.SENIOR,
    Education.SECONDARY_VOCATIONAL,
    Education.JUNIOR_COLLEGE,
    Education.BACHELOR,
    Education.MASTER,
    Education.DOCTOR,
]
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


@dataclass
class Reason:
    met: bool
    text: str


@dataclass
class Alternative:
    met: bool
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Decision:
    eligible: bool
    occupation: str
    level: str
    on: str
    alternatives: list[Alternative] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def summary(self) -> str:
        return "；".join(r.text for alt in self.alternatives for r in alt.reasons if not r.met)


def duration(days: int) -> str:
    """``3年2个月`` for a number of days."""
    months = int(days // DAYS_PER_MONTH)
    years, months = divmod(months, 12)
    if years and months:
        return f"{years}年{months}个月"
    if years:
        return f"{years}年"
    return f"{months}个月"


def years_in_occupation(
    person: Person, occupation: Occupation, since: datetime.date | None, on: datetime.date
) -> int:
    """Days worked in the occupation between ``since`` and ``on``, overlaps counted once."""
    spans = []
    for start, end in Employment.objects.filter(
        person=person, occupation_code=occupation.code, start_date__lte=on
    ).values_list("start_date", "end_date"):
        begin = max(start, since) if since else start
        finish = min(end or on, on)
        if finish > begin:
            spans.append((begin, finish))
    spans.sort()
    total = 0
    current: tuple[datetime.date, datetime.date] | None = None
    for begin, finish in spans:
        if current and begin <= current[1]:
            current = (current[0], max(current[1], finish))
        else:
            if current:
                total += (current[1] - current[0]).days
            current = (begin, finish)
    if current:
        total += (current[1] - current[0]).days
    return total


class _Facts:
    def __init__(self, person: Person, occupation: Occupation, on: datetime.date) -> None:
        self.person, self.occupation, self.on = person, occupation, on
        self.certificates = {
            c.level.key: c
            for c in Certificate.objects.filter(
                person=person,
                occupation=occupation,
                status=CertificateStatus.VALID,
                issued_on__lte=on,
            )
            .select_related("level")
            .order_by("-issued_on")
        }
        self.schools = list(SchoolRecord.objects.filter(person=person, graduated_on__lte=on))
        self.apprenticeship_done = Apprenticeship.objects.filter(
            person=person, occupation=occupation, completed_on__lte=on
        ).exists()
        self.levels = {lv.key: lv for lv in SkillLevel.objects.all()}

    def level_name(self, key: str) -> str:
        lv = self.levels.get(key)
        return lv.short if lv else key

    def school(self, classes: list[str]) -> SchoolRecord | None:
        found = [s for s in self.schools if s.school_class in classes]
        return max(found, key=lambda s: s.graduated_on) if found else None


def _requirement(req: dict[str, Any], facts: _Facts, waive_years: bool) -> Reason:
    kind = req.get("kind")
    if kind == "certificate":
        key = str(req.get("level"))
        cert = facts.certificates.get(key)
        text = f"取得本职业{facts.level_name(key)}证书"
        if cert:
            return Reason(True, f"{text}（{cert.issued_on:%Y-%m-%d}，{cert.number}）")
        return Reason(False, f"{text}（未见有效证书）")
    if kind == "years":
        years = int(req.get("years", 0))
        since_key = req.get("since")
        since: datetime.date | None = None
        if since_key == "school":
            classes = list(req.get("classes") or [SchoolClass.PREPARATORY_TECHNICIAN])
            record = facts.school(classes)
            prefix = "毕业后"
            since = record.graduated_on if record else None
            if record is None:
                return Reason(False, f"{prefix}从事本职业工作满{years}年（未见毕业记录）")
        elif since_key:
            cert = facts.certificates.get(str(since_key))
            prefix = f"取得{facts.level_name(str(since_key))}证书后"
            if cert is None:
                return Reason(
                    False,
                    f"{prefix}从事本职业工作满{years}年（未见{facts.level_name(str(since_key))}证书）",
                )
            since = cert.issued_on
        else:
            prefix = ""
        text = f"{prefix}从事本职业工作满{years}年"
        if waive_years:
            return Reason(True, f"{text}（破格晋升，免除年限要求）")
        days = years_in_occupation(facts.person, facts.occupation, since, facts.on)
        return Reason(days >= round(years * DAYS_PER_YEAR), f"{text}（目前{duration(days)}）")
    if kind == "school":
        classes = list(req.get("classes") or [])
        labels = "或".join(str(SchoolClass(c).label) for c in classes)
        record = facts.school(classes)
        if record:
            return Reason(True, f"{labels}毕业（{record.graduated_on:%Y-%m-%d}）")
        return Reason(False, f"{labels}毕业（未见毕业记录）")
    if kind == "apprenticeship":
        if facts.apprenticeship_done:
            return Reason(True, "本职业学徒期满")
        return Reason(False, "本职业学徒期满（未见学徒期满记录）")
    if kind == "education":
        at_least = str(req.get("at_least"))
        wanted = Education(at_least)
        current = facts.person.education
        met = bool(current) and EDUCATION_ORDER.index(Education(current)) >= EDUCATION_ORDER.index(
            wanted
        )
        shown = Education(current).label if current else "未登记"
        return Reason(met, f"{wanted.label}及以上学历（目前：{shown}）")
    return Reason(False, f"无法识别的条件：{req}")


def check(
    person: Person,
    occupation: Occupation,
    level: SkillLevel,
    on: datetime.date | None = None,
    *,
    waive_years: bool = False,
) -> Decision:
    """Whether ``person`` may apply for ``level`` in ``occupation`` on date ``on``."""
    on = on or timezone.localdate()
    facts = _Facts(person, occupation, on)
    decision = Decision(
        eligible=False, occupation=str(occupation), level=str(level), on=on.isoformat()
    )
    if not occupation.levels.filter(pk=level.pk).exists():
        decision.alternatives.append(
            Alternative(False, [Reason(False, f"职业“{occupation.name}”未设置{level}")])
        )
        return decision
    for alternative in conditions(occupation, level):
        reasons = [_requirement(req, facts, waive_years) for req in alternative]
        decision.alternatives.append(Alternative(all(r.met for r in reasons), reasons))
    decision.eligible = any(a.met for a in decision.alternatives)
    return decision
