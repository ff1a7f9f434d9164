"""Staff accounts: created with a role, a territory when the role needs one and a strong
password; disabled (their tokens revoked with them); given a new password. Every change is
audited under the user's name, which the log pseudonymizes; a password never is.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sijill.accounts import throttle, tokens
from sijill.accounts.models import User
from sijill.accounts.roles import NEEDS_TERRITORY, ROLES
from sijill.audit.chain import Change, record
from sijill.territories.models import Territory


class StaffError(ValueError):
    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


def add_user(
    username: str, role: str, territory_code: str | None, password: str, actor: str
) -> User:
    problems = _problems(username, role, territory_code)
    if problems:
        raise StaffError(problems)
    user = User(username=username, role=role, territory_id=territory_code)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise StaffError(list(exc.messages)) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        record(Change(actor, "create", "accounts.user", username, None, _audited(user)))
    return user


def disable(username: str, actor: str) -> int:
    """Refuse the user's logins, sessions and tokens from now on; the tokens revoked.

    Django refuses an inactive user both at login and on every request of an open session.
    """
    with transaction.atomic():
        user = _existing(username, lock=True)
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            active, inactive = {"is_active": True}, {"is_active": False}
            record(Change(actor, "disable", "accounts.user", user.username, active, inactive))
        return tokens.revoke_all(user, actor)


def set_password(username: str, password: str, actor: str) -> None:
    """A new password, checked by Django's validators; open sessions end (Django checks a
    session against the password it was opened with), and the user's login counts clear."""
    user = _existing(username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise StaffError(list(exc.messages)) from None
    user.set_password(password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        record(
            Change(actor, "set_password", "accounts.user", user.username, None, {"password": "set"})
        )
    throttle.forget(user.username)


def _existing(username: str, lock: bool = False) -> User:
    users = User.objects.select_for_update() if lock else User.objects.all()
    user: User | None = users.filter(username=username).first()
    if user is None:
        raise StaffError([_("No user named %(name)s.") % {"name": username}])
    return user


def _problems(username: str, role: str, territory_code: str | None) -> list[str]:
    problems: list[str] = []
    if not username.strip():
        problems.append(_("The user name is empty."))
    elif User.objects.filter(username=username).exists():
        problems.append(_("A user named %(name)s already exists.") % {"name": username})
    if role not in ROLES:
        problems.append(
            _("Unknown role %(role)s: expected one of %(roles)s.")
            % {"role": role, "roles": ", ".join(ROLES)}
        )
    if territory_code is None and role in NEEDS_TERRITORY:
        problems.append(_("The role %(role)s needs a territory.") % {"role": role})
    if territory_code is not None and not Territory.objects.filter(code=territory_code).exists():
        problems.append(_("Unknown territory %(code)s.") % {"code": territory_code})
    return problems


def _audited(user: User) -> dict[str, object]:
    return {"username": user.username, "role": user.role, "territory": user.territory_id}
