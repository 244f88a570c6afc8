"""The kernel's test kit: what a refused action must leave unchanged, a document's events, who may
decide a pending step, and the sample documents every app declares for the generated tests.

An app with document types puts ``tests/samples.py`` beside its tests, with
``SAMPLES = {"app.model": builder}``; ``builder(staff, owner)`` makes a document of ``owner``'s
through the app's services and returns a ``Sample``: the document just before its approval
chain starts, the action that starts it and who takes that action. The generated tests in
``test_every_document_type.py`` run for every registered type, so a new type without a sample
fails them.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from salesops.org.models import User
from salesops.workflow.models import ApprovalStep, DocumentEvent, StepStatus


@dataclass
class Sample:
    doc: Any
    start: str  # the action that starts the approval chain
    starter: User  # who takes it
    comment: str = ""  # the reason, for a start action that needs one (an appeal)


Builder = Callable[[Any, User], Sample]


def sample_builders() -> dict[str, Builder]:
    """Every installed app's ``tests.samples.SAMPLES``, merged."""
    found: dict[str, Builder] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("salesops."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.samples")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.samples"):
                raise
            continue
        found.update(module.SAMPLES)
    return found


def fresh(doc) -> Any:
    return type(doc).objects.get(pk=doc.pk)


def steps_of(doc) -> list[ApprovalStep]:
    return list(
        ApprovalStep.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk).order_by(
            "round", "sequence"
        )
    )


def pending_step(doc) -> ApprovalStep | None:
    return next((s for s in steps_of(doc) if s.status == StepStatus.PENDING), None)


def events_of(doc) -> list[str]:
    return list(
        DocumentEvent.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def snapshot(doc) -> tuple:
    """Every column of the document, its events, its approval steps and the notifications sent:
    what a refused action must leave as it was."""
    from salesops.workflow.models import Notification

    current = fresh(doc)
    return (
        {field.attname: getattr(current, field.attname) for field in current._meta.concrete_fields},
        events_of(doc),
        [(s.pk, s.status, s.approver_id, s.role) for s in steps_of(doc)],
        Notification.objects.count(),
    )


def can_see(doc, user: User) -> bool:
    return type(doc).objects.visible_to(user).filter(pk=doc.pk).exists()


def deciders(doc, step: ApprovalStep) -> list[User]:
    """Everyone who could decide ``step`` now: active, allowed to decide it, able to see the document."""
    excluded = fresh(doc).excluded_approver_ids()
    if step.approver is not None:
        people = [step.approver]
    else:
        people = list(User.objects.filter(role_links__role=step.role).distinct().order_by("pk"))
    return [u for u in people if u.is_active and u.pk not in excluded and can_see(doc, u)]


def assert_refused_unchanged(doc, call: Callable[[], Any], error: type[Exception] | None = None) -> Exception:
    """``call()`` is refused (``error``, or any ApplicationError) and leaves ``doc`` as it was."""
    import pytest

    from salesops.core.errors import ApplicationError

    before = snapshot(doc)
    with pytest.raises(error or ApplicationError) as refused:
        call()
    assert snapshot(doc) == before, "a refused action changed the document"
    return refused.value
