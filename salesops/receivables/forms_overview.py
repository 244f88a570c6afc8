"""Forms of the receivables overview: a collection target (D2) and the receivables settings. They
only parse; the rules (whose target, which rate) stay in ``services.targets``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin

from .models import BillCounting, PeriodKind


class CollectionTargetForm(BootstrapFormMixin, forms.Form):
    """Set the collection rate a salesperson, or a branch, is to reach in a month, quarter or year."""

    salesperson_id: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Salesperson"), queryset=None, required=False
    )
    branch_id: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Branch"), queryset=None, required=False)
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    period_on = forms.DateField(
        label=_("A day of the period"), widget=forms.DateInput(format="%Y-%m-%d"), initial=timezone.localdate
    )
    target_percent = forms.DecimalField(
        label=_("Target collection rate (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )

    def __init__(self, data=None, *, user, **kwargs):
        from salesops.org.models import Branch, User
        from salesops.org.roles import Role
        from salesops.org.scoping import people_q

        from .services.targets import TARGET_HOLDERS

        super().__init__(data, **kwargs)
        people = User.objects.filter(is_active=True, role_links__role__in=TARGET_HOLDERS).distinct()
        branches = Branch.objects.order_by("code")
        if not user.has_role(Role.ADMIN):
            people = people.filter(people_q(user))
            branches = branches.filter(pk=user.branch_id)
        self.fields["salesperson_id"].queryset = people.order_by("username")
        self.fields["branch_id"].queryset = branches

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        person, branch = data.pop("salesperson_id"), data.pop("branch_id")
        return {**data, "salesperson_id": person.pk if person else None, "branch_id": branch.pk if branch else None}


class ReceivablesSettingsForm(BootstrapFormMixin, forms.Form):
    bills_count = forms.ChoiceField(label=_("Bills count as collected"), choices=BillCounting.choices)
