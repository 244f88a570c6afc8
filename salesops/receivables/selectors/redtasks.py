"""What waits for finance on red invoices (My tasks): forms the buyer raised, to confirm or refuse
before their 72 hours run out (the nearest deadline first); drafts to send or confirm; confirmed
forms whose red invoice is to record; invoices whose goods came back, with no form under way. Four queries."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem, document_task

from ..models import Invoice, InvoiceState, RedFormState, RedInvoiceForm

LIVE = (RedFormState.DRAFT, RedFormState.AWAITING_BUYER, RedFormState.AWAITING_US, RedFormState.CONFIRMED)

TASK_LIMIT = 50


def invoices_to_reverse(user):
    """Issued blue invoices with a sold line invoiced above what the customer kept because goods came
    back (an advance invoice before delivery is not one) and no red-invoice form under way."""
    path = "lines__order_line__"
    live = RedInvoiceForm.objects.filter(state__in=LIVE).values("blue")
    return (
        Invoice.objects.visible_to(user)
        .filter(red_of__isnull=True, state=InvoiceState.ISSUED)
        .filter(**{f"{path}returned__gt": 0, f"{path}invoiced__gt": F(f"{path}delivered") - F(f"{path}returned")})
        .exclude(pk__in=live)
        .distinct()
        .select_related("customer")
        .order_by("issued_on", "pk")
    )


def red_invoice_tasks(user) -> list[TaskItem]:
    if not user.has_role(Role.FINANCE):
        return []
    forms = RedInvoiceForm.objects.visible_to(user).select_related("customer")
    buyer_raised = forms.filter(state=RedFormState.AWAITING_US, confirm_by__gte=timezone.now()).order_by("confirm_by")
    drafts = forms.filter(state=RedFormState.DRAFT).order_by("created_at")
    confirmed = forms.filter(state=RedFormState.CONFIRMED).order_by("updated_at")
    items = [
        document_task(
            "confirm_red",
            form,
            since=form.raised_at,
            detail=_("Confirm or refuse the buyer's form by %(deadline)s")
            % {"deadline": timezone.localtime(form.confirm_by).strftime("%Y-%m-%d %H:%M")}
            + f" · {form.task_summary()}",
        )
        for form in buyer_raised[:TASK_LIMIT]
    ]
    items += [
        document_task("send_red", form, since=form.created_at, detail=_("Send or confirm the red-invoice form"))
        for form in drafts[:TASK_LIMIT]
    ]
    items += [
        document_task("record_red", form, since=form.updated_at, detail=_("Record the red invoice issued"))
        for form in confirmed[:TASK_LIMIT]
    ]
    items += [
        document_task(
            "raise_red",
            invoice,
            since=invoice.updated_at,
            detail=_("Goods on this invoice came back: raise the red-invoice form") + f" · {invoice.task_summary()}",
        )
        for invoice in invoices_to_reverse(user)[:TASK_LIMIT]
    ]
    return items
