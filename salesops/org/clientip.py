"""The client's address for log-in locks and their log lines (django-axes' AXES_CLIENT_IP_CALLABLE
and ``AccountLockBackend``).

django-axes honours a proxy count only through django-ipware, which is not installed, so
TRUSTED_PROXY_COUNT did nothing and every client behind the proxy shared its address. Each
trusted proxy appends the address it received the request from to X-Forwarded-For, so the
client is the TRUSTED_PROXY_COUNT-th entry from the right; entries left of it come from the
client and are ignored (they can be forged).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through the configured proxies: the peer is the client
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
