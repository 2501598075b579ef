"""Grid patrols: assigning a patrol, submitting its checklist answers, and turning every
failed check into a safety-hazard event in the event loop (through ``services.report_event``).
Checklist templates are data, loaded from ``data/checklists.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.core import services as core_services
from tongban.core import workflow
from tongban.governance import services
from tongban.governance.models import (
    Category,
    Channel,
    ChecklistItem,
    ChecklistTemplate,
    Event,
    Grid,
    PatrolAnswer,
    PatrolStatus,
    PatrolTask,
)


@dataclass(frozen=True)
class Answer:
    value: str
    note: str = ""


def assign_patrol(task: PatrolTask, *, user: Any) -> PatrolTask:
    """Record a new patrol task (a dispatcher assigns it, or a grid worker starts his own)."""
    if getattr(user, "is_authenticated", False):
        task.created_by = user
    with transaction.atomic():
        core_services.save_record(task, user=user, action="add")
        workflow_log_created(task, user)
    return task


def workflow_log_created(task: PatrolTask, user: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from tongban.core.models import TransitionLog

    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(PatrolTask),
        object_id=str(task.pk),
        name="assign",
        label=_("派发巡查任务"),
        source="",
        target=task.status,
        by=user if getattr(user, "is_authenticated", False) else None,
    )


def check_answers(task: PatrolTask, answers: Mapping[int, Answer]) -> list[PatrolAnswer]:
    """The answers as unsaved rows, every item answered from its options; otherwise a
    ValidationError naming each item and why."""
    items = list(task.template.items.select_related("hazard_category", "template"))
    known = {item.pk for item in items}
    messages: list[str] = []
    unknown = [str(k) for k in answers if k not in known]
    if unknown:
        messages.append(_("检查项不属于该巡查清单：%(ids)s") % {"ids": "、".join(unknown)})
    rows: list[PatrolAnswer] = []
    for item in items:
        given = answers.get(item.pk)
        if given is None or not given.value.strip():
            messages.append(_("请回答检查项“%(q)s”") % {"q": item.question})
            continue
        row = PatrolAnswer(
            task=task, item=item, answer=given.value.strip(), note=given.note.strip()[:200]
        )
        try:
            row.full_clean(exclude=["task", "event"], validate_unique=False)
        except ValidationError as exc:
            messages.extend(exc.messages)
            continue
        row.passed = item.passes(row.answer)
        rows.append(row)
    if messages:
        raise ValidationError({"answers": messages})
    return rows


def hazard_event(task: PatrolTask, answer: PatrolAnswer, *, user: Any) -> Event:
    """The safety-hazard event a failed check raises, reported by the patrolling worker."""
    item: ChecklistItem = answer.item
    description = _("网格巡查发现隐患：%(place)s，检查项“%(q)s”结果为“%(a)s”。") % {
        "place": task.place,
        "q": item.question,
        "a": answer.answer,
    }
    if answer.note:
        description += answer.note
    event = Event(
        channel=Channel.GRID,
        category=item.category,
        region=task.grid.region,
        grid=task.grid,
        address=task.place,
        description=description,
        anonymous=True,
    )
    return services.report_event(event, user=user)


def submit_patrol(task: PatrolTask, answers: Mapping[int, Answer], *, user: Any) -> PatrolTask:
    """Submit a patrol's answers; each failed check becomes a hazard event in the loop.
    All or nothing: a refused answer saves no answer, no event and no state change."""
    task = core_services.get_scoped(
        PatrolTask.objects.select_related("grid__region", "template"), user, "view", pk=task.pk
    )
    rows = check_answers(task, answers)
    failed = [r for r in rows if not r.passed]
    with transaction.atomic():
        task = workflow.fire(
            task,
            "submit",
            user=user,
            data={"failed": [r.item.question for r in failed]},
            failed=len(failed),
        )
        for row in rows:
            row.task = task
            if not row.passed:
                row.event = hazard_event(task, row, user=user)
            row.save()
    return task


def load_default_templates() -> tuple[int, int]:
    """Load the packaged checklist templates (``data/checklists.json``); (created, kept).
    A template whose hazard category is missing is skipped."""
    text = resources.files("tongban.governance").joinpath("data/checklists.json").read_text("utf-8")
    created = kept = 0
    with transaction.atomic():
        for spec in json.loads(text):
            if ChecklistTemplate.objects.filter(code=spec["code"]).exists():
                kept += 1
                continue
            category = Category.objects.filter(code=spec["hazard_category"]).first()
            if category is None:
                continue
            template = ChecklistTemplate(
                code=spec["code"], name=spec["name"], hazard_category=category
            )
            template.full_clean()
            template.save()
            for position, item in enumerate(spec["items"], start=1):
                row = ChecklistItem(
                    template=template,
                    position=position,
                    question=item["question"],
                    options=item["options"],
                    passing=item["passing"],
                    hazard_category=Category.objects.filter(
                        code=item.get("hazard_category", "")
                    ).first(),
                )
                row.full_clean()
                row.save()
            created += 1
    return created, kept


@dataclass
class PatrolFigures:
    grids: int = 0
    tasks: int = 0
    done: int = 0
    failed_checks: int = 0
    hazard_events: int = 0


def figures(user: Any, start: Any, end: Any, within: str = "") -> PatrolFigures:
    """Grids, patrol tasks due or done in the period, failed checks and the hazard events
    they raised, for what ``user`` sees within a region prefix."""
    from django.db.models import Q, Sum

    prefix = within.strip().rstrip("0")
    grids = Grid.objects.restrict(user, "view").filter(active=True)
    tasks = PatrolTask.objects.restrict(user, "view").filter(
        Q(patrolled_at__date__gte=start, patrolled_at__date__lte=end)
        | Q(patrolled_at__isnull=True, created_at__date__gte=start, created_at__date__lte=end)
    )
    raised = PatrolAnswer.objects.restrict(user, "view").filter(
        event__isnull=False,
        task__patrolled_at__date__gte=start,
        task__patrolled_at__date__lte=end,
    )
    if prefix:
        grids = grids.filter(region__code__startswith=prefix)
        tasks = tasks.filter(grid__region__code__startswith=prefix)
        raised = raised.filter(task__grid__region__code__startswith=prefix)
    done = tasks.filter(status=PatrolStatus.DONE)
    return PatrolFigures(
        grids=grids.count(),
        tasks=tasks.count(),
        done=done.count(),
        failed_checks=done.order_by().aggregate(n=Sum("failed_checks"))["n"] or 0,
        hazard_events=raised.count(),
    )
