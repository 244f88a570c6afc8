"""Forms of compliance: a reduced penalty, a rule's change, the penalty settings, the adoption, a
reward or penalty proposal, a monthly wage."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin
from salesops.workflow.rules import Severity

from .models import EntryKind, PenaltyMode


class ReduceForm(BootstrapFormMixin, forms.Form):
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=100)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    reason = forms.CharField(label=_("Reason for reducing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RuleChangeForm(BootstrapFormMixin, forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    penalty_min = forms.DecimalField(label=_("Penalty from (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    penalty_max = forms.DecimalField(label=_("Penalty up to (yuan)"), min_value=0, max_digits=8, decimal_places=2)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    note = forms.CharField(label=_("What changed and why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AdoptForm(BootstrapFormMixin, forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.FileField(label=_("Minutes of the meeting"), required=False)


class PenaltySettingsForm(BootstrapFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("Penalty mode"), choices=PenaltyMode.choices)
    appeal_working_days = forms.IntegerField(label=_("Appeal window (working days)"), min_value=1, max_value=30)
    monthly_cap = forms.DecimalField(
        label=_("Monthly cap per person (yuan)"), min_value=0, max_digits=10, decimal_places=2
    )
    monthly_points_cap = forms.IntegerField(label=_("Monthly cap per person (points)"), min_value=0, max_value=1000)
    accept_fine_notice = forms.BooleanField(label=_("I have read the legal notice above"), required=False)


class ProposalForm(BootstrapFormMixin, forms.Form):
    """A reward or penalty proposal (D3), or a compensation for a proven loss (R6)."""

    person_id = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    month = forms.CharField(label=_("Month (YYYYMM)"), max_length=6)
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=100, required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=10, decimal_places=2, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    loss_amount = forms.DecimalField(
        label=_("Loss amount (compensation only)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    loss_document = forms.CharField(label=_("Loss evidence: document number"), max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, user, instance=None, **kwargs):
        from django.utils import timezone

        from salesops.org.models import User
        from salesops.org.scoping import people_q

        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "person_id": instance.person_id,
                    "kind": instance.kind,
                    "month": instance.month,
                    "points": instance.points,
                    "amount": instance.amount,
                    "reason": instance.reason,
                    "loss_amount": instance.loss_amount,
                    "loss_document": instance.loss_document,
                    "version": instance.version,
                },
            )
        else:
            kwargs.setdefault("initial", {"month": timezone.localdate().strftime("%Y%m")})
        super().__init__(data, **kwargs)
        people = User.objects.filter(people_q(user), is_active=True).exclude(pk=user.pk).order_by("username")
        self.fields["person_id"].queryset = people

    def require_version(self) -> None:
        self.fields["version"].required = True

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "person_id": data["person_id"].pk,
            "kind": data["kind"],
            "month": data["month"],
            "points": data.get("points") or 0,
            "amount": data.get("amount") or Decimal("0"),
            "reason": data["reason"],
            "loss_amount": data.get("loss_amount"),
            "loss_document": data.get("loss_document") or "",
        }


class WageForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    month = forms.CharField(label=_("Month (YYYYMM)"), max_length=6)
    amount = forms.DecimalField(label=_("Monthly wage (yuan)"), min_value=0, max_digits=10, decimal_places=2)

    def __init__(self, *args, **kwargs):
        from salesops.org.models import User

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(is_active=True).order_by("username")
