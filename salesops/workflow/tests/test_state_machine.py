"""Random sequences of actions by random people never break a document (issue 7, RELIABILITY T8).

A hypothesis state machine raises expense requests, special fees, quotations (from an inquiry the
manager decided to bid on) and phone orders through their services, then takes any plain action of
their flows (submit, approve, reject, issue, confirm, cancel…) as anyone in the company, through
the registry as My tasks and the API do. After every step:

- a refused action left the document exactly as it was (columns, events, steps, notifications);
- a taken one moved it to a state its flow can reach, with an audit event for the action;
- every state is one the flow declares, every document has its ``create`` event;
- each prefix's numbers this month are 1..N, no gap, no duplicate, N the counter's last;
- a document with lines carries the sum of its lines as its total.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from salesops.core.errors import ApplicationError
from salesops.core.models import NumberSequence
from salesops.deals.tests import contract_factories as cf
from salesops.deals.tests import factories as df
from salesops.expenses.tests import factories as ef
from salesops.workflow.registry import act_on, document_type_of
from salesops.workflow.tests.kit import deciders, events_of, fresh, pending_step, snapshot

pytestmark = pytest.mark.django_db(transaction=False)

PEOPLE = ("sales_a", "sales_b", "sales_c", "manager1", "manager2", "branch_mgr", "boss", "back_office", "finance")
AMOUNTS = st.sampled_from(["800.00", "4999.99", "9000.00", "50000.00"])


def _reachable(flow) -> set[str]:
    states = {flow.initial, *(t.target for t in flow.transitions.values())}
    if flow.approved_state:
        states.add(flow.approved_state)
    return states


class DocumentMachine(RuleBasedStateMachine):
    documents = Bundle("documents")

    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint of the test's transaction, rolled back at its end.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.tracked: list = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def person(self, name: str):
        return getattr(STAFF, name)

    @initialize()
    def customers(self) -> None:
        self.customer_of = {name: ef.customer(STAFF, self.person(name)) for name in ("sales_a", "manager1")}

    def _track(self, doc):
        self.tracked.append(doc)
        return doc

    @rule(target=documents, owner=st.sampled_from(["sales_a", "manager1"]), amount=AMOUNTS)
    def raise_expense(self, owner, amount):
        return self._track(ef.expense(self.person(owner), amount))

    @rule(target=documents, owner=st.sampled_from(["sales_a", "manager1"]), amount=AMOUNTS)
    def propose_special_fee(self, owner, amount):
        return self._track(ef.special_fee(self.person(owner), self.customer_of[owner], amount))

    @rule(target=documents, price=st.sampled_from(["1000.00", "700.00", "123.45"]))
    def quote_a_bid(self, price):
        deal = df.deal(STAFF)
        return self._track(df.quotation(STAFF.sales_a, deal, lines=deal.lines(seeder_price=price)))

    @rule(target=documents, owner=st.sampled_from(["sales_a", "manager1"]), quantity=st.sampled_from(["1", "2.5"]))
    def take_a_phone_order(self, owner, quantity):
        product = cf.product(name="排种器")
        lines = [(product, quantity, "180.00")]
        return self._track(cf.phone_order(self.person(owner), self.customer_of[owner], lines))

    # Acting is three rules of the machine's seven, so documents get somewhere between creations.
    @rule(doc=documents, data=st.data())
    def act(self, doc, data):
        self._act(doc, data)

    @rule(doc=documents, data=st.data())
    def act_again(self, doc, data):
        self._act(doc, data)

    @rule(doc=documents, data=st.data())
    def act_once_more(self, doc, data):
        self._act(doc, data)

    def _act(self, doc, data):
        """One to four actions in a row on the document, so its chain gets somewhere."""
        for _ in range(data.draw(st.integers(1, 4), label="actions in a row")):
            self._act_once(doc, data)

    def _act_once(self, doc, data):
        """Mostly an action the state allows, by the owner or whoever the pending step waits for;
        otherwise any action, by anyone."""
        current = fresh(doc)
        flow = document_type_of(current).flow
        possible = sorted(name for name in flow.plain_actions if current.state in flow.transitions[name].sources)
        actions = data.draw(
            st.sampled_from([possible or sorted(flow.plain_actions)] * 3 + [sorted(flow.plain_actions)])
        )
        action = data.draw(st.sampled_from(actions), label="action")
        step = pending_step(current)
        likely = [current.owner, *(deciders(current, step) if step else [])]
        people = [self.person(name) for name in PEOPLE]
        actor = data.draw(st.sampled_from([likely] * 3 + [people]).flatmap(st.sampled_from), label="actor")
        who = actor.username
        before = snapshot(doc)
        events_before = len(before[1])
        try:
            act_on(current, action, actor=actor, comment="随机测试的原因")
        except ApplicationError:
            assert snapshot(doc) == before, f"refused {action} by {who} changed {doc}"
            return
        after = fresh(doc)
        assert after.state in _reachable(flow), f"{action} left {doc} in {after.state}"
        events = events_of(doc)
        assert len(events) > events_before and action in events[events_before:], f"{action} left no event"

    @invariant()
    def states_are_declared_and_created_with_an_event(self) -> None:
        for doc in self.tracked:
            current = fresh(doc)
            flow = document_type_of(current).flow
            assert current.state in _reachable(flow)
            assert events_of(current)[0] == "create"

    @invariant()
    def numbers_are_gapless(self) -> None:
        period = timezone.localdate().strftime("%Y%m")
        models = {type(doc) for doc in self.tracked}
        for model in models:
            numbers = sorted(
                model.objects.filter(number__startswith=f"{model.NUMBER_PREFIX}{period}").values_list(
                    "number", flat=True
                )
            )
            last = NumberSequence.objects.get(prefix=model.NUMBER_PREFIX, period=period).last
            assert [int(n[-4:]) for n in numbers] == list(range(1, last + 1)), model.__name__

    @invariant()
    def totals_are_the_sum_of_the_lines(self) -> None:
        for doc in self.tracked:
            current = fresh(doc)
            if not hasattr(current, "lines"):
                continue
            summed = current.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
            assert current.total_amount == summed, current.number


STAFF = None


def test_random_actions_by_random_people_never_break_a_document(staff):
    global STAFF
    STAFF = staff
    run_state_machine_as_test(
        DocumentMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            database=None,
        ),
    )
