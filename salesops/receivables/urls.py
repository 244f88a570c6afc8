"""Routes of receivables (``receivables:``): each money document's list and page (``<type>-list``,
``<type>-detail``) and the forms of W5 and W6; the other families' pages in their own modules."""

from django.urls import path

from . import (
    urls_instruments,
    urls_overview,
    urls_platform,
    views,
    views_campaign,
    views_checks,
    views_dispatch,
    views_redforms,
    views_statements,
)

app_name = "receivables"


def document_routes(prefix: str, name: str, list_view, detail_view) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}-detail"),
    ]


urlpatterns = [
    *document_routes(
        "invoice-requests", "invoicerequest", views.InvoiceRequestListView, views.InvoiceRequestDetailView
    ),
    *document_routes("invoices", "invoice", views.InvoiceListView, views.InvoiceDetailView),
    *document_routes("receipts", "receipt", views.ReceiptListView, views.ReceiptDetailView),
    *document_routes(
        "payment-requests", "paymentrequest", views.PaymentRequestListView, views.PaymentRequestDetailView
    ),
    *document_routes(
        "statements", "statement", views_statements.StatementListView, views_statements.StatementDetailView
    ),
    *document_routes("red-forms", "redform", views_statements.RedFormListView, views_statements.RedFormDetailView),
    path("invoice-requests/new/", views.InvoiceRequestCreateView.as_view(), name="invoicerequest-create"),
    path("invoice-requests/<int:pk>/record-invoice/", views.InvoiceRecordView.as_view(), name="invoice-record"),
    path("receipts/new/", views.ReceiptRecordView.as_view(), name="receipt-create"),
    path("receipts/<int:pk>/allocate/", views.ReceiptAllocateView.as_view(), name="receipt-allocate"),
    path("allocations/<int:pk>/reverse/", views.AllocationReverseView.as_view(), name="allocation-reverse"),
    path("payment-requests/new/", views.PaymentRequestCreateView.as_view(), name="paymentrequest-create"),
    path("payment-requests/<int:pk>/send/", views.PaymentRequestSendView.as_view(), name="paymentrequest-send"),
    path("dispatches/", views_dispatch.DispatchListView.as_view(), name="dispatch-list"),
    path("invoices/<int:pk>/dispatch/", views_redforms.InvoiceDispatchView.as_view(), name="invoice-dispatch"),
    path("invoices/<int:pk>/red-form/", views_redforms.RedFormCreateView.as_view(), name="redform-create"),
    path("red-forms/<int:pk>/record/", views_redforms.RedInvoiceRecordView.as_view(), name="redinvoice-record"),
    path("daily-checks/", views_checks.DailyCheckListView.as_view(), name="daily-checks"),
    path("daily-checks/<str:day>/", views_checks.DailyCheckView.as_view(), name="daily-check"),
    *urls_platform.urlpatterns,
    *urls_overview.urlpatterns,
    *urls_instruments.urlpatterns,
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
