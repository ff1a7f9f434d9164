"""Creating staff accounts: a role, a territory when the role needs one, a strong password."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
