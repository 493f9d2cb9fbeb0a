"""How the JSON API knows who is calling: a bearer token, or the browser's session.

Integrations send ``Authorization: Bearer <key>`` with a key from the token page; the web
pages' own scripts (the Tom Select lookups) ride on the signed-in session. Both resolve to a
``User`` whose scope then decides everything, exactly as on the web pages.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from talentflow.accounts.models import User
from talentflow.accounts.services import api_token_authenticate

# Longer keys are not ours (ours are "tf_" + 43 characters); refusing them early spares the
# hashing of whatever a client puts in the header.
MAX_KEY_LENGTH = 128


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>``: revoked, expired or inactive → not authenticated."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = token.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii():
            return None
        user = api_token_authenticate(key=key)
        if user is not None:
            # Code below the API (scope caching, the audit trail) reads request.user.
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session, with Django's CSRF check on unsafe methods.

    Unlike ninja's ``django_auth`` the CSRF check comes after the session is found, so an
    anonymous call is answered 401 rather than 403; and a call that presents a bearer
    credential is judged by that credential alone, never by a cookie that happens to ride
    along, so a bad token is always a 401.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        if request.headers.get("Authorization"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        csrf_applies = self.csrf and not getattr(request, "_ninja_csrf_exempt", False)
        if csrf_applies and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: send the X-CSRFToken header with the value of "
                    "the csrftoken cookie, or use a bearer token."
                ),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        # Not reached: __call__ above decides. Kept because the base class requires it.
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api_token_auth = ApiTokenAuth()
session_auth = SessionAuth()
# Order matters: a bearer token is tried first, so integrations never need a CSRF token.
API_AUTH = [api_token_auth, session_auth]
