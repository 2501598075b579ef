"""Builders for grids, checklists, campaigns, volunteers and practice sites in tests."""

from __future__ import annotations

from typing import Any

from tongban.governance.models import ChecklistItem, ChecklistTemplate, Grid


def make_grid(world: Any, code: str = "G-01", name: str = "幸福小区网格", **kw: Any) -> Grid:
    grid = Grid(region=world.village, code=code, name=name, **kw)
    grid.full_clean()
    grid.save()
    grid.workers.add(world.grid_worker)
    return grid


def make_fire_checklist(world: Any) -> ChecklistTemplate:
    template = ChecklistTemplate(code="FIRE", name="消防安全巡查", hazard_category=world.hazards)
    template.full_clean()
    template.save()
    for position, (question, options, passing, category) in enumerate(
        [
            ("灭火器配备齐全且在有效期内", ["是", "否"], ["是"], None),
            ("安全出口和疏散通道畅通", ["畅通", "堵塞"], ["畅通"], world.fire_exit),
        ],
        start=1,
    ):
        item = ChecklistItem(
            template=template,
            position=position,
            question=question,
            options=options,
            passing=passing,
            hazard_category=category,
        )
        item.full_clean()
        item.save()
    return template
