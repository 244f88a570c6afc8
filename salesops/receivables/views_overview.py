"""Pages of the receivables overview (W5.1, D2): the customer accounts and one customer's account,
the ageing (with its chart and Excel export), the dunning list, the collection rate against its
targets, and the forms for a target and the settings. Each page reads one scoped selector; the
rules stay in the selectors and services."""

import datetime
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import InvalidInput
from salesops.core.policy import policy
from salesops.core.views_generic import FormPage, ListPage, get_or_404
from salesops.customers.permissions import CUSTOMER_READERS, SEES_OTHERS_CUSTOMERS
from salesops.org.roles import Role

from . import exports_overview
from .forms_overview import CollectionTargetForm, ReceivablesSettingsForm
from .models import BillCounting, CollectionTarget, PaymentRequestState, PeriodKind, ReceivablesSettings
from .selectors import ageing as ageing_selectors
from .selectors import collection as collection_selectors
from .selectors.account_detail import account_detail
from .selectors.balances import account_list, account_listing, account_totals
from .selectors.collection import BY_BRANCH, BY_SALESPERSON
from .selectors.dunning import dunning_groups, dunning_list
from .services.targets import TARGET_SETTERS, collection_target_set, receivables_settings_update

# Who reads what customers owe: whoever sees customers (the warehouse, technical and purchasing do not).
READERS = CUSTOMER_READERS


def route_exists(name: str, *args: Any) -> bool:
    """Whether a page is routed (the invoice and payment request pages come with another part of
    receivables): a link is drawn only to a page that exists."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def _links() -> dict[str, bool]:
    return {
        "invoice_links": route_exists("receivables:invoice-detail", 1),
        "request_links": route_exists("receivables:paymentrequest-detail", 1),
    }


def _scope_choices(user) -> dict[str, list]:
    """The salespeople and branches a reader who sees others' customers may narrow a report to."""
    from salesops.customers.models import Customer
    from salesops.org.models import Branch, User

    if not user.has_role(*SEES_OTHERS_CUSTOMERS):
        return {"salespeople": [], "branches": []}
    visible = Customer.objects.visible_to(user)
    return {
        "salespeople": list(User.objects.filter(pk__in=visible.values("owner")).order_by("username")),
        "branches": list(Branch.objects.filter(pk__in=visible.values("branch")).order_by("code")),
    }


def _chosen(request: HttpRequest, name: str, choices: list) -> int | None:
    """The id picked in a filter, when it is one of the offered choices (anything else is ignored)."""
    value = (request.GET.get(name) or "").strip()
    allowed = {str(choice.pk): choice.pk for choice in choices}
    return allowed.get(value)


def _scope(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    """The filters offered to the reader, and those picked (``salesperson_id``, ``branch_id``)."""
    choices = _scope_choices(request.user)
    chosen: dict[str, Any] = {
        "salesperson_id": _chosen(request, "salesperson", choices["salespeople"]),
        "branch_id": _chosen(request, "branch", choices["branches"]),
    }
    return choices, chosen


# --- customer accounts ---------------------------------------------------------------------------


@policy(*READERS)
class AccountListView(ListPage):
    """What each customer owes (W5.1): the customers the reader sees, with their figures."""

    template_name = "receivables/overview/account_list.html"
    partial_name = "receivables/overview/partials/account_results.html"

    def rows(self):
        return account_list(user=self.request.user)

    def listing(self):
        return account_listing(user=self.request.user)

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"totals": account_totals(result["page_obj"].paginator.object_list)}


@policy(*READERS)
class AccountDetailView(View):
    """One customer's account: by contract, by delivery, by invoice, and the gaps between delivered
    and invoiced (404 for a customer the reader does not see)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        detail = get_or_404(account_detail, user=request.user, customer_id=pk)
        return render(request, "receivables/overview/account_detail.html", {"detail": detail, **_links()})


# --- ageing and dunning ---------------------------------------------------------------------------


@policy(*READERS)
class AgeingView(View):
    """Ageing of open invoice amounts per customer, with its chart; ``?format=xlsx`` exports the same rows."""

    def get(self, request: HttpRequest) -> HttpResponse:
        choices, chosen = _scope(request)
        report = ageing_selectors.ageing(user=request.user, **chosen)
        if request.GET.get("format") == "xlsx":
            return exports_overview.ageing_xlsx(report)
        context = {
            "report": report,
            "buckets": ageing_selectors.BUCKETS,
            "chart_option": json.dumps(ageing_selectors.ageing_chart_option(report), ensure_ascii=False),
            "chosen": chosen,
            "query": request.GET.urlencode(),
            **choices,
        }
        return render(request, "receivables/overview/ageing.html", context)


@policy(*READERS)
class DunningView(View):
    """The dunning list (催款): overdue open invoices by salesperson, oldest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        choices, chosen = _scope(request)
        groups = dunning_groups(dunning_list(user=request.user, **chosen))
        context = {
            "groups": groups,
            "states": dict(PaymentRequestState.choices),
            "today": timezone.localdate(),
            "chosen": chosen,
            **choices,
            **_links(),
        }
        return render(request, "receivables/overview/dunning.html", context)


# --- collection rate (D2) ------------------------------------------------------------------------


@policy(*READERS)
class CollectionRateView(View):
    """The collection rate per salesperson or branch for a month, quarter or year, against the targets."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user  # signed in: the route's policy let them in
        kind = request.GET.get("kind", "")
        if kind not in PeriodKind.values:
            kind = PeriodKind.MONTH
        period = collection_selectors.Period.parse(request.GET.get("period", ""))
        if period is None or period.kind != kind:
            period = collection_selectors.Period.containing(kind, timezone.localdate())
        by = BY_BRANCH if request.GET.get("by") == BY_BRANCH else BY_SALESPERSON
        choices, chosen = _scope(request)
        report = collection_selectors.collection_rate(user=user, period=period, by=by, **chosen)
        trend = collection_selectors.collection_trend(
            user=user, period=period, bills_count=report.bills_count, **chosen
        )
        context = {
            "report": report,
            "kinds": PeriodKind.choices,
            "by_branch": by == BY_BRANCH,
            "previous": period.previous().label,
            "next": collection_selectors.Period.containing(kind, period.end + datetime.timedelta(days=1)).label,
            "at_maturity": report.bills_count == BillCounting.MATURITY,
            "can_set_targets": user.has_role(*TARGET_SETTERS),
            "chart_option": json.dumps(collection_selectors.collection_chart_option(report), ensure_ascii=False),
            "trend_option": json.dumps(collection_selectors.collection_trend_option(trend), ensure_ascii=False),
            "chosen": chosen,
            **choices,
        }
        return render(request, "receivables/overview/collection_rate.html", context)


@policy(*TARGET_SETTERS)
class CollectionTargetView(FormPage):
    """Set a collection target (D2): a sales manager for their team or their branch, the admin for any."""

    title = gettext_lazy("Set a collection target")
    form_errors = (InvalidInput,)

    def make_form(self, data=None, files=None):
        return CollectionTargetForm(data, user=self.request.user)

    def perform(self, form) -> CollectionTarget:
        actor: Any = self.request.user
        return collection_target_set(actor=actor, **form.service_arguments())

    def success_message(self, result: CollectionTarget) -> str:
        return _("Collection target saved.")

    def success_url(self, result: CollectionTarget) -> str:
        period = collection_selectors.Period.containing(result.period_kind, result.period_start)
        by = "&by=branch" if result.branch_id else ""
        return f"{reverse('receivables:collection-rate')}?kind={period.kind}&period={period.label}{by}"

    def cancel_url(self) -> str:
        return reverse("receivables:collection-rate")


@policy(Role.ADMIN)
class ReceivablesSettingsView(FormPage):
    """When bills count as collected (the collection rate, D2)."""

    title = gettext_lazy("Receivables settings")
    form_errors = (InvalidInput,)

    def make_form(self, data=None, files=None):
        return ReceivablesSettingsForm(data, initial={"bills_count": ReceivablesSettings.current().bills_count})

    def perform(self, form) -> ReceivablesSettings:
        actor: Any = self.request.user
        return receivables_settings_update(actor=actor, **form.cleaned_data)

    def success_url(self, result: ReceivablesSettings) -> str:
        return reverse("receivables:settings")

    def context(self) -> dict[str, Any]:
        return {
            "subtitle": _(
                "At maturity: until the instruments register links each bill to its receipt with its maturity "
                "date, a receipt by bill is not counted as collected and its invoices stay due."
            )
        }

    def cancel_url(self) -> str:
        return reverse("receivables:collection-rate")
