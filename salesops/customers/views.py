"""Pages for customers, contacts, competitors and market intelligence (R1): thin over selectors and services."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core import excel
from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from salesops.core.forms import apply_error
from salesops.core.policy import policy

from . import selectors, services
from .forms import (
    CompetitorForm,
    ContactForm,
    CustomerCreateForm,
    CustomerForm,
    ImportForm,
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
from .spreadsheets import customers_to_xlsx


def _or_404(read, **kwargs: Any) -> Any:
    """Call a ``*_get_for`` selector; out of scope is a plain 404 page."""
    try:
        return read(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _has_role(user, roles) -> bool:
    return bool(user.roles & set(roles))


class ListPage(View):
    """A list page: ``Listing`` over a selector; an HTMX request gets only the ``#results`` block."""

    template_name = ""
    partial_name = ""

    def rows(self):
        raise NotImplementedError

    def listing(self):
        raise NotImplementedError

    def extra_context(self) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        context = self.listing().apply(self.rows(), request.GET)
        context.update(self.extra_context())
        template = self.partial_name if request.htmx else self.template_name
        return render(request, template, context)


class FormPage(View):
    """A form that calls one service: parse errors and service errors land on the fields (422),
    a stale edit on the form (409); success redirects."""

    template_name = "customers/form.html"
    title: Any = ""

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        """Fetch the objects the page works on (404 out of scope, 403 when only readable)."""

    def make_form(self, data=None, files=None):
        raise NotImplementedError

    def perform(self, form) -> Any:
        raise NotImplementedError

    def success_url(self, result: Any) -> str:
        raise NotImplementedError

    def success_message(self, result: Any) -> str:
        return _("Saved.")

    def cancel_url(self) -> str:
        return reverse("customers:customer-list")

    def context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form, status: int = 200) -> HttpResponse:
        context = {"form": form, "title": self.title, "cancel_url": self.cancel_url(), **self.context()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        return self.render_form(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load(request, **kwargs)
        form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, status=422)
        try:
            result = self.perform(form)
        except (InvalidInput, StaleEdit) as exc:
            apply_error(form, exc)
            return self.render_form(form, status=exc.status)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        messages.success(request, self.success_message(result))
        return HttpResponseRedirect(self.success_url(result))


# Customers


@policy(*CUSTOMER_READERS)
class CustomerListView(ListPage):
    template_name = "customers/customer_list.html"
    partial_name = "customers/partials/customer_results.html"

    def rows(self):
        return selectors.customer_list(user=self.request.user)

    def listing(self):
        return selectors.customer_listing(user=self.request.user)

    def extra_context(self) -> dict[str, Any]:
        user = self.request.user
        return {
            "can_create": _has_role(user, CUSTOMER_WRITERS),
            "can_import": _has_role(user, CUSTOMER_ASSIGNERS),
        }


@policy(*CUSTOMER_READERS)
class CustomerExportView(View):
    """The list as filtered on screen, all pages, as .xlsx; only rows the user may see."""

    def get(self, request: HttpRequest) -> HttpResponse:
        customers = selectors.customer_filtered(user=request.user, params=request.GET)
        return excel.xlsx_response(customers_to_xlsx(customers), "customers.xlsx")


@policy(*CUSTOMER_READERS)
class CustomerDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        customer = _or_404(selectors.customer_get_for, user=request.user, pk=pk)
        can_assign = can_assign_customer(request.user, customer)
        context = {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "intel": selectors.intel_list(user=request.user, customer_id=customer.pk)[:20],
            "can_edit": can_edit_customer(request.user, customer),
            "can_add_intel": _has_role(request.user, INTEL_AUTHORS),
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
        owners = selectors.assignable_owners(user=user) if _has_role(user, CUSTOMER_ASSIGNERS) else None
        return CustomerCreateForm(data, owners=owners)

    def perform(self, form):
        return services.customer_create(actor=self.request.user, **form.service_fields())

    def success_url(self, result) -> str:
        return result.get_absolute_url()


@policy(*CUSTOMER_WRITERS)
class CustomerUpdateView(FormPage):
    title = gettext_lazy("Edit customer")

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = _or_404(selectors.customer_get_for, user=request.user, pk=pk)
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

    def success_url(self, result) -> str:
        return result.get_absolute_url()

    def cancel_url(self) -> str:
        return self.customer.get_absolute_url()


@policy(*CUSTOMER_ASSIGNERS)
class CustomerReassignView(FormPage):
    title = gettext_lazy("Change salesperson")
    http_method_names = ["post"]

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = _or_404(selectors.customer_get_for, user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return ReassignForm(data, owners=selectors.assignable_owners(user=self.request.user))

    def perform(self, form):
        return services.customer_reassign(
            customer=self.customer,
            actor=self.request.user,
            owner_id=form.cleaned_data["owner"].pk,
            version=form.cleaned_data.get("version"),
        )

    def success_url(self, result) -> str:
        return result.get_absolute_url()

    def cancel_url(self) -> str:
        return self.customer.get_absolute_url()


@policy(*CUSTOMER_ASSIGNERS)
class CustomerImportView(View):
    """Import customers from Excel: every row is checked; a bad file lists row, column and problem."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            columns = services.customer_import_columns(actor=request.user)
            return excel.xlsx_response(excel.template_xlsx(columns, title=_("Customers")), "customers-template.xlsx")
        return self._render(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=422)
        try:
            count = services.customer_import(actor=request.user, upload=form.cleaned_data["file"])
        except excel.ImportRefused as exc:
            return self._render(form, errors=exc.errors, status=422)
        except InvalidInput as exc:
            apply_error(form, exc)
            return self._render(form, status=422)
        messages.success(request, _("%(count)d customers imported.") % {"count": count})
        return HttpResponseRedirect(reverse("customers:customer-list"))

    def _render(self, form, *, errors=(), status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "errors": errors,
            "title": _("Import customers"),
            "columns": services.customer_import_columns(actor=self.request.user),
            "template_url": reverse("customers:customer-import") + "?template=1",
            "cancel_url": reverse("customers:customer-list"),
        }
        return render(self.request, "customers/import.html", context, status=status)


# Contacts


@policy(*CUSTOMER_WRITERS)
class ContactCreateView(FormPage):
    title = gettext_lazy("New contact")

    def load(self, request, pk: int, **kwargs) -> None:
        self.customer = _or_404(selectors.customer_get_for, user=request.user, pk=pk)
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
        self.contact = _or_404(selectors.contact_get_for, user=request.user, pk=pk)
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

    def extra_context(self) -> dict[str, Any]:
        return {"can_create": _has_role(self.request.user, COMPETITOR_WRITERS)}


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
        self.competitor = _or_404(selectors.competitor_get_for, user=request.user, pk=pk)

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

    def extra_context(self) -> dict[str, Any]:
        return {"can_create": _has_role(self.request.user, INTEL_AUTHORS)}


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
