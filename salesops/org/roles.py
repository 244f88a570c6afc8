"""The roles of SPEC.md. A user may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    BRANCH_MANAGER = "branch_manager", _("Branch manager")
    BACK_OFFICE = "back_office", _("Sales office")
    WAREHOUSE = "warehouse", _("Warehouse keeper")
    FINANCE = "finance", _("Finance")
    TECHNICAL = "technical", _("Technical department")
    PURCHASING = "purchasing", _("Purchasing")
    LEADERSHIP = "leadership", _("Company leadership")
    ADMIN = "admin", _("System administrator")


# Roles that see every row of every document type (SPEC.md "Visibility").
SEE_EVERYTHING = frozenset({Role.LEADERSHIP, Role.ADMIN})
