"""Bearer-token authentication for the API (tokens from `sijill token issue`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from sijill.accounts import tokens
from sijill.accounts.models import User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = tokens.user_for(token)
        if user is not None:
            # Views read the user the same way whether the API or a session authenticated it.
            request.user = user
        return user


def user_of(request: HttpRequest) -> User:
    user = request.auth
    assert isinstance(user, User)
    return user
