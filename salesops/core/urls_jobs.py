"""Routes of background jobs' pages. Included by salesops/urls.py under ``jobs/``."""

from django.urls import path

from . import views_jobs

app_name = "jobs"

urlpatterns = [
    path("imports/<int:pk>/", views_jobs.import_job_detail, name="import-job-detail"),
    path("imports/<int:pk>/progress/", views_jobs.import_job_progress, name="import-job-progress"),
    path("exports/<int:pk>/", views_jobs.export_job_detail, name="export-job-detail"),
    path("exports/<int:pk>/progress/", views_jobs.export_job_progress, name="export-job-progress"),
    path("exports/<int:pk>/download/", views_jobs.export_job_download, name="export-job-download"),
]
