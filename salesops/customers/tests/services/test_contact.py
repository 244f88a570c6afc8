import pytest

from salesops.core.errors import Forbidden, InvalidInput, NotFound
from salesops.customers import services
from salesops.customers.models import Contact
from salesops.customers.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_owner_adds_and_edits_a_contact(staff, customer_a):
    contact = services.contact_add(customer=customer_a, actor=staff.sales_a, name="王经理", phone="138")
    updated = services.contact_update(contact=contact, actor=staff.sales_a, is_decision_maker=True)
    assert updated.is_decision_maker
    assert list(customer_a.contacts.values_list("name", flat=True)) == ["王经理"]


@pytest.mark.parametrize(("actor", "error"), [("sales_b", NotFound), ("finance", Forbidden), ("boss", Forbidden)])
def test_others_cannot_add_contacts(staff, customer_a, actor, error):
    with pytest.raises(error):
        services.contact_add(customer=customer_a, actor=getattr(staff, actor), name="王经理")
    assert not Contact.objects.exists()


def test_others_cannot_edit_contacts(staff, customer_a):
    contact = ContactFactory(customer=customer_a, name="王经理")
    with pytest.raises(NotFound):
        services.contact_update(contact=contact, actor=staff.sales_b, name="李经理")
    contact.refresh_from_db()
    assert contact.name == "王经理"


def test_bad_email_names_the_field(staff, customer_a):
    with pytest.raises(InvalidInput) as caught:
        services.contact_add(customer=customer_a, actor=staff.sales_a, name="王经理", email="not-an-email")
    assert "email" in caught.value.extra["fields"]
    assert not Contact.objects.exists()
