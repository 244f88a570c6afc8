"""The kernel's generated checks (``workflow/tests/test_every_document_type.py``) for the instrument,
run on its sample until the integrator merges ``samples_instruments.SAMPLES`` into
``tests/samples.py``: the sample builds for every owner the kit tries, the type is registered with
its flow, and every action the flow does not allow now is refused with nothing changed."""

import pytest

from salesops.workflow.registry import document_type
from salesops.workflow.tests.kit import assert_refused_unchanged, fresh

from .samples_instruments import SAMPLES

pytestmark = pytest.mark.django_db
LABEL = "receivables.instrument"


def test_the_instrument_is_registered_and_has_a_sample():
    assert set(SAMPLES) == {LABEL}
    entry = document_type(LABEL)
    assert not any(t.approval for t in entry.flow.transitions.values())  # no approval chain


@pytest.mark.parametrize("owner_name", ["sales_a", "sales_c", "manager1", "manager2", "branch_mgr"])
def test_the_sample_builds_for_every_owner_the_kit_tries(staff, owner_name):
    owner = getattr(staff, owner_name)
    sample = SAMPLES[LABEL](staff, owner)
    assert (sample.doc.owner, sample.doc.state) == (owner, "pending_sign")


def test_actions_not_allowed_now_are_refused_and_change_nothing(staff):
    sample = SAMPLES[LABEL](staff, staff.sales_a)
    entry = document_type(LABEL)
    doc = sample.doc
    for action, t in entry.flow.transitions.items():
        if doc.state in t.sources and not t.via_form:
            continue
        for actor in (staff.sales_a, staff.manager1, staff.boss):
            assert_refused_unchanged(
                doc, lambda a=action, who=actor: entry.act(fresh(doc), a, actor=who, comment="试一下")
            )
