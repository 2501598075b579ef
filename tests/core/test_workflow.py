"""The transition mechanism's generated documentation stays true to the models."""

from __future__ import annotations

from django.core.management import call_command

from tongban.core.management.commands.workflow_diagrams import workflow_models


def test_every_workflow_model_has_a_current_state_diagram_in_docs():
    labels = {m._meta.label for m in workflow_models()}
    assert {"governance.Event", "skills.Certificate", "skills.EvaluationPlan"} <= labels
    call_command("workflow_diagrams", "--check")
