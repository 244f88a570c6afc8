"""Product pages: list, detail, create, edit, Excel export and import; thin over selectors and services."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from salesops.core import excel
from salesops.core.errors import InvalidInput, NotFound, StaleEdit
from salesops.core.forms import apply_error
from salesops.core.policy import AUTHENTICATED, policy

from . import selectors, services
from .forms import ImportForm, ProductForm
from .permissions import PRODUCT_WRITERS
from .spreadsheets import product_columns, products_to_xlsx


def _can_write(user) -> bool:
    return bool(user.roles & set(PRODUCT_WRITERS))


def _product_or_404(request: HttpRequest, pk: int):
    try:
        return selectors.product_get_for(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@policy(AUTHENTICATED)
class ProductListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = selectors.product_listing().apply(selectors.product_list(user=request.user), request.GET)
        context["can_write"] = _can_write(request.user)
        template = "catalog/partials/product_results.html" if request.htmx else "catalog/product_list.html"
        return render(request, template, context)


@policy(AUTHENTICATED)
class ProductExportView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        products = selectors.product_filtered(user=request.user, params=request.GET)
        return excel.xlsx_response(products_to_xlsx(products), "products.xlsx")


@policy(AUTHENTICATED)
class ProductDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = _product_or_404(request, pk)
        tax_percent = f"{product.tax_rate * 100:f}".rstrip("0").rstrip(".")
        context = {"product": product, "tax_percent": tax_percent, "can_write": _can_write(request.user)}
        return render(request, "catalog/product_detail.html", context)


@policy(*PRODUCT_WRITERS)
class ProductFormView(View):
    """Create (no ``pk``) or edit a product; service errors land on the fields (422), a stale edit is 409."""

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        product = _product_or_404(request, pk) if pk else None
        initial = {"version": product.version} if product else {}
        return self._render(ProductForm(instance=product, initial=initial), product)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        product = _product_or_404(request, pk) if pk else None
        form = ProductForm(request.POST, instance=product)
        if product is not None:
            form.fields["version"].required = True
        if not form.is_valid():
            return self._render(form, product, status=422)
        try:
            if product is None:
                product = services.product_create(actor=request.user, **form.service_fields())
            else:
                product = services.product_update(
                    product=product, actor=request.user, version=form.cleaned_data["version"], **form.service_fields()
                )
        except (InvalidInput, StaleEdit) as exc:
            apply_error(form, exc)
            return self._render(form, product, status=exc.status)
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(product.get_absolute_url())

    def _render(self, form, product, *, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": _("Edit product") if product else _("New product"),
            "cancel_url": product.get_absolute_url() if product else reverse("catalog:product-list"),
        }
        return render(self.request, "catalog/form.html", context, status=status)


@policy(*PRODUCT_WRITERS)
class ProductImportView(View):
    """Import products from Excel: every row is checked; a bad file lists row, column and problem."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            content = excel.template_xlsx(product_columns(), title=_("Products"))
            return excel.xlsx_response(content, "products-template.xlsx")
        return self._render(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=422)
        try:
            count = services.product_import(actor=request.user, upload=form.cleaned_data["file"])
        except excel.ImportRefused as exc:
            return self._render(form, errors=exc.errors, status=422)
        except InvalidInput as exc:
            apply_error(form, exc)
            return self._render(form, status=422)
        messages.success(request, _("%(count)d products imported.") % {"count": count})
        return HttpResponseRedirect(reverse("catalog:product-list"))

    def _render(self, form, *, errors=(), status: int = 200) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "errors": errors,
            "title": _("Import products"),
            "columns": product_columns(),
            "template_url": reverse("catalog:product-import") + "?template=1",
            "cancel_url": reverse("catalog:product-list"),
        }
        return render(self.request, "catalog/import.html", context, status=status)
