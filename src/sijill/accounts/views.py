"""Staff login and logout.

Tries are counted and refused by the authentication backend (sijill.accounts.throttle);
a refused try gets the lockout page, accounts/too_many.html (HTTP 429), from axes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class Login(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class Logout(auth_views.LogoutView):
    """POST only (Django's LogoutView): back to the login page, saying so."""

    next_page = "accounts:login"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(request, *args, **kwargs)
        # The session is gone; the message travels in the message cookie.
        messages.success(request, _("You are logged out."))
        return response
