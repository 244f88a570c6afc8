"""Product pages: list, detail, create, edit, Excel export and import; thin over selectors and services."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core import excel
from salesops.core.fieldvisibility import visible_fields
from salesops.core.policy import AUTHENTICATED, policy
from salesops.core.views_generic import ExportView, FormPage, ImportPage, ListedView, ListPage, get_or_404

from . import selectors, services
from .forms import ProductForm
from .models import Product
from .permissions import PRODUCT_WRITERS
from .spreadsheets import product_columns


def _can_write(user) -> bool:
    return user.has_role(*PRODUCT_WRITERS)


class _ProductRows(ListedView):
    def rows(self):
        return selectors.product_list(user=self.request.user)

    def listing(self):
        return selectors.product_listing(user=self.request.user)


@policy(AUTHENTICATED)
class ProductListView(_ProductRows, ListPage):
    template_name = "catalog/product_list.html"
    partial_name = "catalog/partials/product_results.html"

    def extra_context(self, result: dict[str, Any]) -> dict[str, Any]:
        return {"can_write": _can_write(self.request.user), "visible": visible_fields(Product, self.request.user)}


@policy(AUTHENTICATED)
class ProductExportView(ExportView):
    export_kind = "products"


@policy(AUTHENTICATED)
class ProductDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = get_or_404(selectors.product_get_for, user=request.user, pk=pk)
        tax_percent = f"{product.tax_rate * 100:f}".rstrip("0").rstrip(".")
        context = {
            "product": product,
            "tax_percent": tax_percent,
            "can_write": _can_write(request.user),
            "visible": visible_fields(Product, request.user),
        }
        return render(request, "catalog/product_detail.html", context)


@policy(*PRODUCT_WRITERS)
class ProductFormView(FormPage):
    """Create (no ``pk``) or edit a product; service errors land on the fields (422), a stale edit is 409."""

    product: Any = None

    def load(self, request: HttpRequest, pk: int | None = None, **kwargs: Any) -> None:
        self.product = get_or_404(selectors.product_get_for, user=request.user, pk=pk) if pk else None
        self.title = _("Edit product") if self.product else _("New product")

    def make_form(self, data=None, files=None):
        initial = {"version": self.product.version} if self.product else {}
        form = ProductForm(data, instance=self.product, initial=initial)
        if self.product is not None:
            form.fields["version"].required = True
        return form

    def perform(self, form):
        if self.product is None:
            return services.product_create(actor=self.request.user, **form.service_fields())
        return services.product_update(
            product=self.product,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.service_fields(),
        )

    def cancel_url(self) -> str:
        return self.product.get_absolute_url() if self.product else reverse("catalog:product-list")


@policy(*PRODUCT_WRITERS)
class ProductImportView(ImportPage):
    """Import products from Excel in the background: every row is checked; a bad file lists row, column and problem."""

    title = gettext_lazy("Import products")
    sheet_title = gettext_lazy("Products")
    template_filename = "products-template.xlsx"
    import_kind = "products"

    def columns(self) -> list[excel.Column]:
        return product_columns()

    def list_url(self) -> str:
        return reverse("catalog:product-list")
