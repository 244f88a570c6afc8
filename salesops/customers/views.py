"""Pages for customers, contacts, competitors and market intelligence (R1): thin over selectors and services."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core import excel
from salesops.core.policy import policy
from salesops.core.views_generic import ExportView, FormPage, ImportPage, ListedView, ListPage, get_or_404

from . import selectors, services
from .forms import (
    CompetitorForm,
    ContactForm,
    CustomerCreateForm,
    CustomerForm,
    IntelForm,
    ReassignForm,
)
from .permissions import (
    COMPETITOR_READERS,
    COMPETITOR_WRITERS,
    CUSTOMER_ASSIGNERS,
    CUSTOMER_READERS,
    CUSTOMER_WRITERS,
    INTEL_AUTHORS,
    INTEL_READERS,
    can_assign_customer,
    can_edit_customer,
)

# Customers


class _CustomerRows(ListedView):
    def rows(self):
        return selectors.customer_list(user=self.request.user)

    def listing(self):
        return selectors.customer_listing(user=self.request.user)


@policy(*CUSTOMER_READERS)
class CustomerListView(_CustomerRows, ListPage):
    template_name = "customers/customer_list.html"
    partial_name = "customers/partials/customer_results.html"

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        user = self.request.user
        return {
            "can_create": user.has_role(*CUSTOMER_WRITERS),
            "can_import": user.has_role(*CUSTOMER_ASSIGNERS),
        }


@policy(*CUSTOMER_READERS)
class CustomerExportView(ExportView):
    export_kind = "customers"


@policy(*CUSTOMER_READERS)
class CustomerDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        customer = get_or_404(selectors.customer_get_for, user=request.user, pk=pk)
        can_assign = can_assign_customer(request.user, customer)
        context = {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "intel": selectors.intel_list(user=request.user, customer_id=customer.pk)[:20],
            "can_edit": can_edit_customer(request.user, customer),
            "can_add_intel": request.user.has_role(*INTEL_AUTHORS),
            "reassign_form": (
                ReassignForm(
                    owners=selectors.assignable_owners(user=request.user),
                    initial={"owner": customer.owner_id, "version": customer.version},
                )
                if can_assign
                else None
            ),
        }
        return render(request, "customers/customer_detail.html", context)


@policy(*CUSTOMER_WRITERS)
class CustomerCreateView(FormPage):
    title = gettext_lazy("New customer")

    def make_form(self, data=None, files=None):
        user = self.request.user
        owners = selectors.assignable_owners(user=user) if user.has_role(*CUSTOMER_ASSIGNERS) else None
        return CustomerCreateForm(data, owners=owners)

    def perform(self, form):
        return services.customer_create(actor=self.request.user, **form.service_fields())

    def cancel_url(self) -> str:
        return reverse("customers:customer-list")


@policy(*CUSTOMER_WRITERS)
class CustomerUpdateView(FormPage):
    title = gettext_lazy("Edit customer")

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = get_or_404(selectors.customer_get_for, user=request.user, pk=pk)
        if not can_edit_customer(request.user, self.customer):
            raise PermissionDenied(_("You may only read this customer."))

    def make_form(self, data=None, files=None):
        form = CustomerForm(data, instance=self.customer, initial={"version": self.customer.version})
        form.fields["version"].required = True
        return form

    def perform(self, form):
        return services.customer_update(
            customer=self.customer,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.service_fields(),
        )

    def cancel_url(self) -> str:
        return self.customer.get_absolute_url()


@policy(*CUSTOMER_ASSIGNERS)
class CustomerReassignView(FormPage):
    title = gettext_lazy("Change salesperson")
    http_method_names = ["post"]

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = get_or_404(selectors.customer_get_for, user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return ReassignForm(data, owners=selectors.assignable_owners(user=self.request.user))

    def perform(self, form):
        return services.customer_reassign(
            customer=self.customer,
            actor=self.request.user,
            owner_id=form.cleaned_data["owner"].pk,
            version=form.cleaned_data.get("version"),
        )

    def cancel_url(self) -> str:
        return self.customer.get_absolute_url()


@policy(*CUSTOMER_ASSIGNERS)
class CustomerImportView(ImportPage):
    """Import customers from Excel in the background: every row is checked; a bad file lists row, column and problem."""

    title = gettext_lazy("Import customers")
    sheet_title = gettext_lazy("Customers")
    template_filename = "customers-template.xlsx"
    import_kind = "customers"

    def columns(self) -> list[excel.Column]:
        return services.customer_import_columns(actor=self.request.user)

    def list_url(self) -> str:
        return reverse("customers:customer-list")


# Contacts


@policy(*CUSTOMER_WRITERS)
class ContactCreateView(FormPage):
    title = gettext_lazy("New contact")

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = get_or_404(selectors.customer_get_for, user=request.user, pk=pk)
        if not can_edit_customer(request.user, self.customer):
            raise PermissionDenied(_("You may only read this customer."))

    def make_form(self, data=None, files=None):
        return ContactForm(data)

    def perform(self, form):
        return services.contact_add(customer=self.customer, actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        return self.customer.get_absolute_url()

    def cancel_url(self) -> str:
        return self.customer.get_absolute_url()

    def context(self) -> dict[str, Any]:
        return {"subtitle": self.customer.name}


@policy(*CUSTOMER_WRITERS)
class ContactUpdateView(FormPage):
    title = gettext_lazy("Edit contact")

    def load(self, request, pk: int, **kwargs) -> None:
        self.contact = get_or_404(selectors.contact_get_for, user=request.user, pk=pk)
        customer = selectors.customer_get_for(user=request.user, pk=self.contact.customer_id)
        if not can_edit_customer(request.user, customer):
            raise PermissionDenied(_("You may only read this customer."))

    def make_form(self, data=None, files=None):
        return ContactForm(data, instance=self.contact)

    def perform(self, form):
        return services.contact_update(contact=self.contact, actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        return reverse("customers:customer-detail", args=[self.contact.customer_id])

    def cancel_url(self) -> str:
        return self.success_url(None)

    def context(self) -> dict[str, Any]:
        return {"subtitle": self.contact.customer.name}


# Competitors


@policy(*COMPETITOR_READERS)
class CompetitorListView(ListPage):
    template_name = "customers/competitor_list.html"
    partial_name = "customers/partials/competitor_results.html"

    def rows(self):
        return selectors.competitor_list(user=self.request.user)

    def listing(self):
        return selectors.competitor_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_create": self.request.user.has_role(*COMPETITOR_WRITERS)}


@policy(*COMPETITOR_WRITERS)
class CompetitorCreateView(FormPage):
    title = gettext_lazy("New competitor")

    def make_form(self, data=None, files=None):
        return CompetitorForm(data)

    def perform(self, form):
        return services.competitor_create(actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        return reverse("customers:competitor-list")

    def cancel_url(self) -> str:
        return reverse("customers:competitor-list")


@policy(*COMPETITOR_WRITERS)
class CompetitorUpdateView(CompetitorCreateView):
    title = gettext_lazy("Edit competitor")

    def load(self, request, pk: int, **kwargs) -> None:
        self.competitor = get_or_404(selectors.competitor_get_for, user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return CompetitorForm(data, instance=self.competitor)

    def perform(self, form):
        return services.competitor_update(competitor=self.competitor, actor=self.request.user, **form.service_fields())


# Market intelligence


@policy(*INTEL_READERS)
class IntelListView(ListPage):
    template_name = "customers/intel_list.html"
    partial_name = "customers/partials/intel_results.html"

    def rows(self):
        return selectors.intel_list(user=self.request.user)

    def listing(self):
        return selectors.intel_listing()

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_create": self.request.user.has_role(*INTEL_AUTHORS)}


@policy(*INTEL_AUTHORS)
class IntelCreateView(FormPage):
    title = gettext_lazy("New market intelligence")

    def make_form(self, data=None, files=None):
        initial = {}
        customer_id = self.request.GET.get("customer", "")
        if customer_id.isdigit():
            initial["customer"] = int(customer_id)
        return IntelForm(data, initial=initial, customers=selectors.customer_list(user=self.request.user))

    def perform(self, form):
        return services.intel_create(actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        if result.customer_id:
            return reverse("customers:customer-detail", args=[result.customer_id])
        return reverse("customers:intel-list")

    def cancel_url(self) -> str:
        return reverse("customers:intel-list")
