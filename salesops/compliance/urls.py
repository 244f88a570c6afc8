from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("violations/", views.ViolationListView.as_view(), name="violation-list"),
    path("violations/<int:pk>/", views.ViolationDetailView.as_view(), name="violation-detail"),
    path("violations/<int:pk>/reduce/", views.ViolationReduceView.as_view(), name="violation-reduce"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("rules/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("rules/<str:code>/change/", views.RuleChangeView.as_view(), name="rule-change"),
    path("versions/<int:version>/adopt/", views.AdoptView.as_view(), name="adopt"),
    path("at-risk/", views.AtRiskView.as_view(), name="at-risk"),
    path("sweep/", views.SweepView.as_view(), name="sweep"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("settings/", views.PenaltySettingsView.as_view(), name="settings"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal-list"),
    path("proposals/new/", views.ProposalFormView.as_view(), name="proposal-create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal-detail"),
    path("proposals/<int:pk>/edit/", views.ProposalFormView.as_view(), name="proposal-update"),
    path("wages/", views.WageView.as_view(), name="wage-enter"),
]
