"""Routes of the delivery forms (requisition, note, outbound, confirmation)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("requisitions/new/", views.RequisitionCreateView.as_view(), name="requisition-create"),
    path("requisitions/<int:pk>/issue-note/", views.NoteIssueView.as_view(), name="note-issue"),
    path("notes/<int:pk>/reissue/", views.NoteReissueView.as_view(), name="note-reissue"),
    path("notes/<int:pk>/book-outbound/", views.OutboundBookView.as_view(), name="outbound-book"),
    path("outbounds/<int:pk>/confirm/", views.ConfirmationRecordView.as_view(), name="confirmation-record"),
    path("confirmations/<int:pk>/resolve/", views.ConfirmationResolveView.as_view(), name="confirmation-resolve"),
]
