"""What a locked-out caller gets (django-axes): JSON for the API, the lockout page for the browser."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, *args, **kwargs):
    message = _("Too many failed log-ins: this account is locked for one hour from this address.")
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message, "code": "locked", "extra": {}}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
