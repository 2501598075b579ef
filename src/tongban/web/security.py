"""Security headers Django's ``SecurityMiddleware`` does not send: Content-Security-Policy.

The policy (``settings.TONGBAN_CONTENT_SECURITY_POLICY``) allows scripts, styles, fonts
and connections from the site itself only: no inline ``<script>``, no ``style=``
attributes, no ``on…=`` handlers, no ``eval``. Pages keep to it (behaviour lives in
``static/tongban/app.js``); the browser tests collect the console's CSP violations
over the main pages and expect none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "TONGBAN_CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
