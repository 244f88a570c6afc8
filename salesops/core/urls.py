"""Routes of the kernel's own pages: one type-ahead route per registered picker (``core.pickers``),
each with its picker's ``@policy``. Included by salesops/urls.py under ``pickers/``."""

from django.urls import path

from .pickers import picker_view, registered

app_name = "pickers"

# Built when the URLconf loads, after every app (and so every app's pickers.py) is ready.
urlpatterns = [path(f"{name}/", picker_view(picker), name=name) for name, picker in sorted(registered().items())]
