from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("tasks/", views.my_tasks_view, name="my-tasks"),
    path("tasks/step/<int:step_id>/decide/", views.step_decide, name="step-decide"),
    path("tasks/waiting/", views.stuck_steps_view, name="stuck-steps"),
    path("tasks/notifications/read/", views.notifications_read, name="notifications-read"),
    path("doc/<str:label>/<int:pk>/act/", views.document_act, name="document-act"),
    path("doc/<str:label>/<int:pk>/comment/", views.document_comment, name="document-comment"),
    path("doc/<str:label>/<int:pk>/attach/", views.document_attach, name="document-attach"),
    path("doc/<str:label>/<int:pk>/print/", views.document_print, name="document-print"),
    path("files/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("settings/print-copies/", views.PrintCopiesListView.as_view(), name="print-copies"),
    path("settings/print-copies/<str:label>/", views.PrintCopiesEditView.as_view(), name="print-copies-edit"),
]
