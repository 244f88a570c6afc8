from django.urls import path

from .views import contracts, inquiries, orders, pipeline, quotations, register, support_requests

app_name = "deals"

urlpatterns = [
    path("inquiries/", inquiries.InquiryListView.as_view(), name="inquiry-list"),
    path("inquiries/new/", inquiries.InquiryFormView.as_view(), name="inquiry-create"),
    path("inquiries/<int:pk>/", inquiries.InquiryDetailView.as_view(), name="inquiry-detail"),
    path("inquiries/<int:pk>/edit/", inquiries.InquiryFormView.as_view(), name="inquiry-update"),
    path(
        "inquiries/<int:pk>/support/", support_requests.SupportRequestCreateView.as_view(), name="supportrequest-create"
    ),
    path("support/", support_requests.SupportRequestListView.as_view(), name="supportrequest-list"),
    path("support/<int:pk>/", support_requests.SupportRequestDetailView.as_view(), name="supportrequest-detail"),
    path("support/<int:pk>/answer/", support_requests.SupportRequestAnswerView.as_view(), name="supportrequest-answer"),
    path("support/<int:pk>/waive/", support_requests.SupportRequestWaiveView.as_view(), name="supportrequest-waive"),
    path("quotations/", quotations.QuotationListView.as_view(), name="quotation-list"),
    path("quotations/new/", quotations.QuotationFormView.as_view(), name="quotation-create"),
    path("quotations/<int:pk>/", quotations.QuotationDetailView.as_view(), name="quotation-detail"),
    path("quotations/<int:pk>/edit/", quotations.QuotationFormView.as_view(), name="quotation-update"),
    path("quotations/<int:pk>/notes/", quotations.NegotiationNoteAddView.as_view(), name="quotation-note"),
    path("quotations/<int:pk>/won/", quotations.QuotationWonView.as_view(), name="quotation-won"),
    path("quotations/<int:pk>/lost/", quotations.QuotationLostView.as_view(), name="quotation-lost"),
    path("quotations/<int:pk>/withdraw/", quotations.QuotationWithdrawView.as_view(), name="quotation-withdraw"),
    path("quotations/<int:pk>/revise/", quotations.QuotationReviseView.as_view(), name="quotation-revise"),
    path("quotations/<int:pk>/contract/", contracts.ContractDraftView.as_view(), name="contract-create"),
    path("contracts/", contracts.ContractListView.as_view(), name="contract-list"),
    path("contracts/<int:pk>/", contracts.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<int:pk>/edit/", contracts.ContractFormView.as_view(), name="contract-update"),
    path("contracts/<int:pk>/sign/", contracts.ContractSignView.as_view(), name="contract-sign"),
    path("orders/", orders.PhoneOrderListView.as_view(), name="phoneorder-list"),
    path("orders/new/", orders.PhoneOrderFormView.as_view(), name="phoneorder-create"),
    path("orders/<int:pk>/", orders.PhoneOrderDetailView.as_view(), name="phoneorder-detail"),
    path("orders/<int:pk>/edit/", orders.PhoneOrderFormView.as_view(), name="phoneorder-update"),
    path("register/", register.RegisterListView.as_view(), name="register-list"),
    path("register/<str:period>/", register.RegisterDetailView.as_view(), name="register-detail"),
    path("register/<str:period>/act/", register.RegisterActView.as_view(), name="register-act"),
    path("register/<str:period>/export.xlsx", register.RegisterExportView.as_view(), name="register-export"),
    path("register/<str:period>/print.pdf", register.RegisterPdfView.as_view(), name="register-pdf"),
    path("pipeline/", pipeline.PipelineView.as_view(), name="pipeline"),
]
