"""What each role may do. Plain data, so the whole policy reads in one screen."""

from __future__ import annotations

CLERK, VALIDATOR, SUPERVISOR, CNSS, ADMIN = "clerk", "validator", "supervisor", "cnss", "admin"
ROLES: tuple[str, ...] = (CLERK, VALIDATOR, SUPERVISOR, CNSS, ADMIN)

DEPOSIT, CAPTURE, VALIDATE, TRANSMIT, DECIDE, EDIT_REGISTERS, RUN, READ = (
    "deposit",
    "capture",
    "validate",
    "transmit",
    "decide",
    "edit_registers",
    "run",  # start, follow and retire reconciliation runs of the user's territory
    "read",
)

PERMISSIONS: dict[str, frozenset[str]] = {
    CLERK: frozenset({READ, DEPOSIT, CAPTURE}),
    VALIDATOR: frozenset({READ, VALIDATE, TRANSMIT}),
    SUPERVISOR: frozenset({READ, DEPOSIT, CAPTURE, VALIDATE, TRANSMIT, EDIT_REGISTERS, RUN}),
    CNSS: frozenset({READ, DECIDE}),
    ADMIN: frozenset({READ, DEPOSIT, CAPTURE, VALIDATE, TRANSMIT, DECIDE, EDIT_REGISTERS, RUN}),
}

# Roles that work at a counter must be placed somewhere; CNSS and admins may be national.
NEEDS_TERRITORY: frozenset[str] = frozenset({CLERK, VALIDATOR, SUPERVISOR})


def may(role: str, action: str) -> bool:
    return action in PERMISSIONS.get(role, frozenset())
