"""Staff login and logout; repeated failures are refused for a while (HTTP 429)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sijill.accounts import throttle


class Login(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttle.blocked(request, request.POST.get("username", "")):
            return render(request, "accounts/too_many.html", status=429)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.failed(self.request, self.request.POST.get("username", ""))
        response: HttpResponse = super().form_invalid(form)
        return response

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.succeeded(self.request, form.get_user().get_username())
        response: HttpResponse = super().form_valid(form)
        return response


class Logout(auth_views.LogoutView):
    pass
