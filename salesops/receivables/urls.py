"""Routes of receivables (``receivables:`` namespace)."""

from . import urls_instruments

app_name = "receivables"

urlpatterns = [
    *urls_instruments.urlpatterns,
]
