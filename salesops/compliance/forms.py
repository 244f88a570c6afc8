"""Forms of compliance: a reduced penalty, a rule's change, the penalty settings, the adoption."""

from django import forms
from django.utils.translation import gettext_lazy as _

from salesops.core.forms import BootstrapFormMixin
from salesops.workflow.rules import Severity

from .models import PenaltyMode


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
