"""Routes of receivables (``receivables:``). Minimal: the platform pages; the app's own pages join here."""

from . import urls_platform

app_name = "receivables"

urlpatterns = [
    *urls_platform.urlpatterns,
]
