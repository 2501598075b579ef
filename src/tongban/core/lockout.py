"""Lockout after repeated failed logins, per account and per client.

Failed logins are counted with the request limits every server process shares
(``core.ratelimit``): one count per account name (whether or not such an account
exists, so the lockout tells nothing about which names are real) and one per client
address, in windows of ``TONGBAN_LOGIN_LOCKOUT_SECONDS``. Once either count reaches its
limit, every login of that account, or from that client, is refused until the window
ends, even with the right password: by the login page (with a message saying so), by
the admin's login and by ``/api/auth/token/`` alike, because the refusal sits in the
authentication backend. A successful login clears the account's count, not the
client's (a client holding one valid account cannot reset its count against others).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tongban.core import ratelimit
from tongban.core.ratelimit import client_of

ACCOUNT = "login-account"
CLIENT = "login-client"


def window() -> int:
    return int(getattr(settings, "TONGBAN_LOGIN_LOCKOUT_SECONDS", 900))


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "TONGBAN_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)),
        int(getattr(settings, "TONGBAN_LOGIN_MAX_FAILURES_PER_CLIENT", 20)),
    )


def _account(username: str) -> str:
    return username.strip().casefold()


def locked_out(request: HttpRequest | None, username: str) -> bool:
    """Whether a login as ``username`` from this request's client is refused now."""
    per_account, per_client = _limits()
    if ratelimit.count(ACCOUNT, _account(username), window=window()) >= per_account:
        return True
    client = client_of(request)
    return bool(client) and ratelimit.count(CLIENT, client, window=window()) >= per_client


def minutes_left() -> int:
    now = int(time.time())
    return max(1, (window() - now % window() + 59) // 60)


class LockoutBackend(ModelBackend):
    """Django's model backend, refusing locked-out accounts and clients."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get("username")
        if name and locked_out(request, str(name)):
            raise PermissionDenied  # stops every backend; counted as a failed login
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginForm(AuthenticationForm):
    """The login page's form: says so when the account or the client is locked out."""

    locked_message = ""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and locked_out(self.request, username):
            self.locked_message = _("登录失败次数过多，已暂时锁定，请 %(minutes)s 分钟后再试。") % {
                "minutes": minutes_left()
            }
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            raise forms.ValidationError(self.locked_message, code="locked_out")
        return super().clean()


@receiver(user_login_failed, dispatch_uid="tongban-lockout-failed")
def count_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = credentials.get("username")
    if username:
        ratelimit.hit(ACCOUNT, _account(str(username)), limit=0, window=window())
    client = client_of(request)
    if client:
        ratelimit.hit(CLIENT, client, limit=0, window=window())


@receiver(user_logged_in, dispatch_uid="tongban-lockout-success")
def clear_account(sender: Any, user: Any, request: Any = None, **kw: Any) -> None:
    ratelimit.clear(ACCOUNT, _account(user.get_username()))
