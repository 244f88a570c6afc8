from django.urls import path

from . import views_campaign, views_statements

app_name = "receivables"

urlpatterns = [
    path("statements/", views_statements.StatementListView.as_view(), name="statement-list"),
    path("statements/<int:pk>/", views_statements.StatementDetailView.as_view(), name="statement-detail"),
    path("red-forms/", views_statements.RedFormListView.as_view(), name="redform-list"),
    path("red-forms/<int:pk>/", views_statements.RedFormDetailView.as_view(), name="redform-detail"),
    # Statement campaigns (R13): views_campaign.
    path("statements/<int:pk>/send/", views_campaign.StatementSendView.as_view(), name="statement-send"),
    path("statements/<int:pk>/agree/", views_campaign.StatementAgreeView.as_view(), name="statement-agree"),
    path("statements/<int:pk>/disagree/", views_campaign.StatementDisagreeView.as_view(), name="statement-disagree"),
    path("statements/unanswered/", views_campaign.UnansweredListView.as_view(), name="statement-unanswered"),
    path("statements/campaigns/", views_campaign.StatementRunListView.as_view(), name="statement-run-list"),
    path("statements/campaigns/new/", views_campaign.StatementRunCreateView.as_view(), name="statement-run-create"),
    path("statements/campaigns/<int:pk>/", views_campaign.StatementRunDetailView.as_view(), name="statement-run"),
    path("statements/campaigns/<int:pk>/prepare/", views_campaign.statement_run_prepare, name="statement-run-prepare"),
    path(
        "statements/campaigns/<int:pk>/email/",
        views_campaign.StatementRunEmailView.as_view(),
        name="statement-run-email",
    ),
    path(
        "statements/campaigns/<int:pk>/pdfs/", views_campaign.StatementRunPdfsView.as_view(), name="statement-run-pdfs"
    ),
    path(
        "statements/campaigns/<int:pk>/jobs/<int:job_pk>/",
        views_campaign.statement_job_progress,
        name="statement-job-progress",
    ),
    path(
        "statements/campaigns/<int:pk>/jobs/<int:job_pk>/download/",
        views_campaign.statement_job_download,
        name="statement-job-download",
    ),
]
