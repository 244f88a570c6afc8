"""Routes of receivables (``/receivables/``). Minimal for now: the overview's pages only; the
documents' own pages join here."""

from . import urls_overview

app_name = "receivables"

urlpatterns = [
    *urls_overview.urlpatterns,
]
