"""Carries the client address of the current request to the audit service."""

from __future__ import annotations

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Behind the reverse proxy REMOTE_ADDR is the proxy; gunicorn is told to trust only it
        # (forwarded_allow_ips), so X-Forwarded-For's last hop is the client it saw.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[-1].strip() if forwarded else request.META.get("REMOTE_ADDR")
        token = _client_ip.set(ip or None)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
