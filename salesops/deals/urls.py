from django.urls import path

from . import views

app_name = "deals"

urlpatterns = [
    path("inquiries/", views.InquiryListView.as_view(), name="inquiry-list"),
    path("inquiries/new/", views.InquiryFormView.as_view(), name="inquiry-create"),
    path("inquiries/<int:pk>/", views.InquiryDetailView.as_view(), name="inquiry-detail"),
    path("inquiries/<int:pk>/edit/", views.InquiryFormView.as_view(), name="inquiry-update"),
    path("inquiries/<int:pk>/support/", views.SupportRequestCreateView.as_view(), name="supportrequest-create"),
    path("support/", views.SupportRequestListView.as_view(), name="supportrequest-list"),
    path("support/<int:pk>/", views.SupportRequestDetailView.as_view(), name="supportrequest-detail"),
    path("support/<int:pk>/answer/", views.SupportRequestAnswerView.as_view(), name="supportrequest-answer"),
    path("support/<int:pk>/waive/", views.SupportRequestWaiveView.as_view(), name="supportrequest-waive"),
    path("quotations/", views.QuotationListView.as_view(), name="quotation-list"),
    path("quotations/new/", views.QuotationFormView.as_view(), name="quotation-create"),
    path("quotations/<int:pk>/", views.QuotationDetailView.as_view(), name="quotation-detail"),
    path("quotations/<int:pk>/edit/", views.QuotationFormView.as_view(), name="quotation-update"),
    path("quotations/<int:pk>/notes/", views.NegotiationNoteAddView.as_view(), name="quotation-note"),
    path("quotations/<int:pk>/won/", views.QuotationWonView.as_view(), name="quotation-won"),
    path("quotations/<int:pk>/lost/", views.QuotationLostView.as_view(), name="quotation-lost"),
    path("quotations/<int:pk>/withdraw/", views.QuotationWithdrawView.as_view(), name="quotation-withdraw"),
    path("quotations/<int:pk>/revise/", views.QuotationReviseView.as_view(), name="quotation-revise"),
    path("quotations/<int:pk>/contract/", views.ContractDraftView.as_view(), name="contract-create"),
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.ContractFormView.as_view(), name="contract-update"),
    path("contracts/<int:pk>/sign/", views.ContractSignView.as_view(), name="contract-sign"),
    path("orders/", views.PhoneOrderListView.as_view(), name="phoneorder-list"),
    path("orders/new/", views.PhoneOrderFormView.as_view(), name="phoneorder-create"),
    path("orders/<int:pk>/", views.PhoneOrderDetailView.as_view(), name="phoneorder-detail"),
    path("orders/<int:pk>/edit/", views.PhoneOrderFormView.as_view(), name="phoneorder-update"),
    path("register/", views.RegisterListView.as_view(), name="register-list"),
    path("register/<str:period>/", views.RegisterDetailView.as_view(), name="register-detail"),
    path("register/<str:period>/act/", views.RegisterActView.as_view(), name="register-act"),
    path("register/<str:period>/export.xlsx", views.RegisterExportView.as_view(), name="register-export"),
    path("register/<str:period>/print.pdf", views.RegisterPdfView.as_view(), name="register-pdf"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
]
