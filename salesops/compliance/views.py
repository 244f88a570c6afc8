"""Pages of compliance: violations (list, page, reduced confirmation), the rules and their
acknowledgement, the rules at risk with the charts, the monthly ledger for HR, the settings, the
reward and penalty proposals (D3) and the monthly wages a loss deduction is capped against."""

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from salesops.core.errors import ApplicationError, InvalidInput
from salesops.core.policy import AUTHENTICATED, policy, require
from salesops.core.views_generic import FormPage
from salesops.org.roles import Role
from salesops.workflow.pages import Column, DocumentDetailPage, DocumentFormPage, DocumentListPage, FormAction

from . import exports, selectors, services
from .forms import AdoptForm, PenaltySettingsForm, ProposalForm, ReduceForm, RuleChangeForm, WageForm
from .models import PenaltySettings, RuleSet
from .permissions import HR_EXPORTERS, OVERSEERS, PROPOSERS, WAGE_KEEPERS


@policy(AUTHENTICATED)
class ViolationListView(DocumentListPage):
    select = staticmethod(selectors.violation_list)
    listing_for = staticmethod(selectors.violation_listing)
    title = gettext_lazy("Violations")
    subtitle = gettext_lazy("breaches of the department's rules, reviewed by the manager (R17)")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("occurred_on", gettext_lazy("Occurred on"), "occurred", "date"),
        Column("rule_code", gettext_lazy("Rule"), "rule"),
        Column("owner", gettext_lazy("Person"), "owner"),
        Column("subject_number", gettext_lazy("Document")),
        Column("detail", gettext_lazy("What happened")),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    empty_text = gettext_lazy("No violations match.")

    def badges(self, row) -> list[tuple[Any, str]]:
        return [] if row.notified else [(_("not notified"), "warning")]

    def summary(self, filtered) -> list[dict[str, Any]]:
        totals = selectors.violation_totals(filtered)
        return [
            {"label": _("Violations"), "value": totals["count"], "testid": "total-count"},
            {"label": _("Waiting for review"), "value": totals["reviewing"], "testid": "total-reviewing"},
            {"label": _("Points confirmed"), "value": totals["points"] or 0, "testid": "total-points"},
        ]


@policy(AUTHENTICATED)
class ViolationDetailView(DocumentDetailPage):
    template_name = "compliance/violation_detail.html"
    get_for = staticmethod(selectors.violation_get_for)
    fields = (
        "owner",
        "rule_code",
        "occurred_on",
        "subject_number",
        "period",
        "detail",
        "proposed_points",
        "proposed_amount",
        "points",
        "amount",
        "reduce_reason",
        "confirmed_at",
        "found_by",
    )
    list_url_name, list_label = "compliance:violation-list", gettext_lazy("Violations")
    form_actions = {"reduce": FormAction("compliance:violation-reduce", style="outline-primary")}

    def extra_context(self, doc, user) -> dict[str, Any]:
        return {"rule": doc.rule, "settings": PenaltySettings.current()}


@policy(*OVERSEERS, Role.SALESPERSON)
class ViolationReduceView(FormPage):
    """The manager confirms a lower penalty than proposed, with the reason."""

    title = gettext_lazy("Reduce and confirm")
    form_errors = (ApplicationError,)

    def load(self, request: HttpRequest, pk: int, **kwargs: Any) -> None:
        self.violation = selectors.violation_get_for(user=request.user, pk=pk)

    def make_form(self, data=None, files=None):
        return ReduceForm(
            data, initial={"points": self.violation.proposed_points, "amount": self.violation.proposed_amount}
        )

    def perform(self, form):
        return services.violation_reduce(violation=self.violation, actor=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return _("%(number)s confirmed with a reduced penalty.") % {"number": result.number}

    def cancel_url(self) -> str:
        return self.violation.get_absolute_url()


@policy(AUTHENTICATED)
class RulesView(View):
    """The rules in force, with the regulation's text, and the user's acknowledgement."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rule_set = services.current_rule_set()
        context = {
            "rule_set": rule_set,
            "rules": list(rule_set.rules.order_by("pk")),
            "acknowledged": rule_set.pk
            and request.user.is_authenticated
            and services.Acknowledgement.objects.filter(user=request.user, rule_set=rule_set).first(),
            "versions": RuleSet.objects.order_by("-version")[:20],
            "is_admin": request.user.has_role(Role.ADMIN),
            "settings": PenaltySettings.current(),
        }
        return render(request, "compliance/rules.html", context)


@policy(AUTHENTICATED)
class AcknowledgeView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        found = services.acknowledge(actor=request.user)
        messages.success(
            request, _("Thank you: you acknowledged version %(version)s.") % {"version": found.rule_set.version}
        )
        return HttpResponseRedirect(reverse("compliance:rules"))


@policy(Role.ADMIN)
class RuleChangeView(FormPage):
    title = gettext_lazy("Change a rule")

    def load(self, request: HttpRequest, code: str, **kwargs: Any) -> None:
        self.rule = services.current_rule_set().rules.filter(code=code).first()
        if self.rule is None:
            raise Http404
        self.title = _("Change rule %(code)s") % {"code": code}

    def make_form(self, data=None, files=None):
        r = self.rule
        initial = {
            "severity": r.severity,
            "penalty_min": r.penalty_min,
            "penalty_max": r.penalty_max,
            "is_active": r.is_active,
        }
        return RuleChangeForm(data, initial=initial)

    def perform(self, form):
        data = dict(form.cleaned_data)
        note = data.pop("note")
        return services.rule_change(actor=self.request.user, code=self.rule.code, note=note, **data)

    def success_url(self, result) -> str:
        return reverse("compliance:rules")

    def success_message(self, result) -> str:
        return _("Version %(version)s of the rules made; everyone is asked to acknowledge it.") % {
            "version": result.version
        }

    def cancel_url(self) -> str:
        return reverse("compliance:rules")


@policy(Role.ADMIN)
class AdoptView(FormPage):
    title = gettext_lazy("Record the adoption of the rules")

    def load(self, request: HttpRequest, version: int, **kwargs: Any) -> None:
        self.rule_set = RuleSet.objects.filter(version=version).first()
        if self.rule_set is None:
            raise Http404

    def make_form(self, data=None, files=None):
        return AdoptForm(data, files, initial={"adopted_on": timezone.localdate()})

    def perform(self, form):
        return services.rule_set_adopt(actor=self.request.user, rule_set=self.rule_set, **form.cleaned_data)

    def success_url(self, result) -> str:
        return reverse("compliance:rules")

    def cancel_url(self) -> str:
        return reverse("compliance:rules")


@policy(*OVERSEERS)
class AtRiskView(View):
    """Rules at risk: what broke today and what breaks today or by the next working day, per person,
    with the violations by rule and by person over the months."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = selectors.rules_at_risk(user=request.user)
        chart = selectors.violation_chart(user=request.user)
        context["by_rule_option"] = json.dumps(_stacked(chart["months"], chart["by_rule"]), ensure_ascii=False)
        context["by_person_option"] = json.dumps(_stacked(chart["months"], chart["by_person"]), ensure_ascii=False)
        context["can_sweep"] = request.user.has_role(Role.ADMIN, Role.LEADERSHIP)
        return render(request, "compliance/at_risk.html", context)


def _stacked(months: list[str], series: list[dict]) -> dict:
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "grid": {"left": 40, "right": 20, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": s["name"], "type": "bar", "stack": "all", "data": s["data"]} for s in series],
    }


@policy(Role.ADMIN, Role.LEADERSHIP)
class SweepView(View):
    """Run the sweep now (it also runs every working day)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        from .tasks import sweep_now

        require(request.user, Role.ADMIN, Role.LEADERSHIP)
        sweep_now()
        messages.success(request, _("The rules are being checked in the background; what it finds appears here."))
        return HttpResponseRedirect(reverse("compliance:at-risk"))


def _month(request: HttpRequest) -> str:
    month = (request.GET.get("month") or "").strip()
    if len(month) == 6 and month.isdigit() and 1 <= int(month[4:]) <= 12:
        return month
    return timezone.localdate().strftime("%Y%m")


@policy(*HR_EXPORTERS)
class LedgerView(View):
    """The month's per-person summary for the HR / payroll office; the system never deducts wages."""

    def get(self, request: HttpRequest) -> HttpResponse:
        month = _month(request)
        lines = selectors.ledger_month(user=request.user, month=month)
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            return exports.ledger_xlsx(lines, month=month)
        if fmt == "pdf":
            return exports.ledger_pdf(request, lines, month=month)
        return render(
            request, "compliance/ledger.html", {"month": month, "lines": lines, "settings": PenaltySettings.current()}
        )


@policy(Role.ADMIN)
class PenaltySettingsView(FormPage):
    template_name = "compliance/settings.html"
    title = gettext_lazy("Penalty settings")
    form_errors = (InvalidInput,)

    def make_form(self, data=None, files=None):
        s = PenaltySettings.current()
        initial = {
            "mode": s.mode,
            "appeal_working_days": s.appeal_working_days,
            "monthly_cap": s.monthly_cap,
            "monthly_points_cap": s.monthly_points_cap,
        }
        return PenaltySettingsForm(data, initial=initial)

    def perform(self, form):
        return services.penalty_settings_update(actor=self.request.user, **form.cleaned_data)

    def success_url(self, result) -> str:
        return reverse("compliance:settings")

    def cancel_url(self) -> str:
        return reverse("compliance:rules")

    def context(self) -> dict[str, Any]:
        return {"settings": PenaltySettings.current()}


@policy(*OVERSEERS)
class ProposalListView(DocumentListPage):
    select = staticmethod(selectors.proposal_list)
    listing_for = staticmethod(selectors.proposal_listing)
    title = gettext_lazy("Reward and penalty proposals")
    subtitle = gettext_lazy("the manager proposes, leadership decides (D3)")
    columns = (
        Column("number", gettext_lazy("Number"), "number", "number"),
        Column("created_at", gettext_lazy("Created"), "created", "date"),
        Column("person", gettext_lazy("Employee"), "person"),
        Column("kind", gettext_lazy("Kind")),
        Column("points", gettext_lazy("Points")),
        Column("amount", gettext_lazy("Amount"), "", "money"),
        Column("state", gettext_lazy("State"), "state", "state"),
    )
    create_url_name, create_label, create_testid = (
        "compliance:proposal-create",
        gettext_lazy("New proposal"),
        "new-proposal",
    )
    creators = PROPOSERS
    empty_text = gettext_lazy("No proposals match.")


@policy(*OVERSEERS)
class ProposalDetailView(DocumentDetailPage):
    get_for = staticmethod(selectors.proposal_get_for)
    fields = ("owner", "person", "kind", "month", "points", "amount", "reason", "loss_amount", "loss_document")
    list_url_name, list_label = "compliance:proposal-list", gettext_lazy("Reward and penalty proposals")
    edit_url_name = "compliance:proposal-update"


@policy(*PROPOSERS)
class ProposalFormView(DocumentFormPage):
    get_for = staticmethod(selectors.proposal_get_for)
    form_class = ProposalForm
    create = staticmethod(services.proposal_create)
    update = staticmethod(services.proposal_update)
    doc_arg = "proposal"
    list_url_name, list_label = "compliance:proposal-list", gettext_lazy("Reward and penalty proposals")
    new_title = gettext_lazy("New reward or penalty proposal")
    intro = gettext_lazy(
        "Leadership decides. A compensation for a loss needs the loss, the document that proves it, and "
        "takes at most 20 percent of the month's wage HR entered."
    )
    testid = "proposal-form"


@policy(*WAGE_KEEPERS)
class WageView(FormPage):
    """HR / payroll enters a monthly wage: the base of the 20 % cap on a loss deduction."""

    title = gettext_lazy("Enter a monthly wage")
    form_errors = (InvalidInput,)

    def make_form(self, data=None, files=None):
        return WageForm(data, initial={"month": timezone.localdate().strftime("%Y%m")})

    def perform(self, form):
        data = form.cleaned_data
        return services.wage_enter(
            actor=self.request.user, person_id=data["person"].pk, month=data["month"], amount=data["amount"]
        )

    def success_url(self, result) -> str:
        return reverse("compliance:ledger")

    def success_message(self, result) -> str:
        return _("Wage of %(person)s for %(month)s entered.") % {"person": result.person, "month": result.month}

    def cancel_url(self) -> str:
        return reverse("compliance:ledger")
