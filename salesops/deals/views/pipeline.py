"""The pipeline page: counts and amounts per stage, with a chart and a funnel."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from salesops.core.policy import policy
from salesops.org.models import Branch, active_holders
from salesops.org.roles import Role

from .. import forms
from ..permissions import OWNER_FILTERERS, SALES_READERS
from ..selectors import pipeline as pipeline_selectors


@policy(*SALES_READERS)
class PipelineView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = forms.PipelineFilterForm(request.GET or None)
        scope: dict[str, Any] = {}
        if form.is_valid():
            data = form.cleaned_data
            scope = {
                "salesperson_id": data.get("salesperson"),
                "branch_id": data.get("branch"),
                "date_from": data.get("date_from"),
                "date_to": data.get("date_to"),
            }
        stages = pipeline_selectors.pipeline(user=request.user, **scope)
        groups = []
        for key, label in pipeline_selectors.GROUPS:
            members = [s for s in stages if s.group == key]
            groups.append({"key": key, "label": label, "stages": members})
        context = {
            "form": form,
            "groups": groups,
            "salespeople": self.salespeople(request.user),
            "branches": Branch.objects.order_by("code"),
            "selected": {k: str(v or "") for k, v in scope.items()},
            "chart_option": json.dumps(pipeline_selectors.pipeline_chart_option(stages), ensure_ascii=False),
            "funnel_option": json.dumps(pipeline_selectors.pipeline_funnel_option(stages), ensure_ascii=False),
        }
        return render(request, "deals/pipeline.html", context)

    @staticmethod
    def salespeople(user):
        """The salespeople the reader may filter by: managers and leadership see everyone's names."""
        if not user.has_role(*OWNER_FILTERERS):
            return [user]
        return active_holders(Role.SALESPERSON).order_by("username")
