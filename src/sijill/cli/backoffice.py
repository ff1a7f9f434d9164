"""The back office's commands on the `sijill` CLI: migrate, user (add, disable, passwd), token
(issue, list, revoke), import, export, audit; and, from `sijill.cli.service`, serve, worker,
daily, backup, restore. `register(app)` adds them; each is a thin wrapper over a service.

Django is set up lazily, inside each command, so that the engine's commands never pay for it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from sijill.i18n.formats import number

PathOption = Annotated[Path, typer.Option(help="Extract file (.csv or .parquet), contract format.")]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.web.settings")
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.SIJILL_CLI_LANGUAGE)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _fail(message: str, code: int = 2) -> typer.Exit:
    from rich.markup import escape

    from sijill.cli import terminal

    terminal.errors.print(f"[red]{escape(message)}[/]")
    return typer.Exit(code)


def migrate() -> None:
    """Create or update the back-office database and load the shipped territories."""
    _django()
    from django.core.management import call_command
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.domain.territory import load_reference
    from sijill.territories.loading import upsert

    # fake_initial: a database made before the runs app took over the `monitoring` tables
    # keeps them (sijill.runs.migrations); a new one gets them created.
    call_command("migrate", interactive=False, verbosity=0, fake_initial=True)
    call_command("createcachetable", verbosity=0)  # the shared cache, unless Redis is set
    counts = upsert(load_reference(), actor=_actor())
    terminal.console.print(
        _("Database ready; reference territories: %(created)s added, %(unchanged)s unchanged.")
        % {
            "created": number(counts.created + counts.updated),
            "unchanged": number(counts.unchanged),
        }
    )


def _read_password() -> str:
    from django.utils.translation import gettext as _

    if sys.stdin.isatty():
        first = getpass.getpass(_("Password: "))
        if getpass.getpass(_("Password (again): ")) != first:
            raise _fail(_("The two passwords differ."))
        return first
    return sys.stdin.readline().rstrip("\r\n")


def add_user(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="clerk, validator, supervisor, cnss or admin.")],
    territory: Annotated[
        str | None, typer.Option(help="Territory code; omit for national scope (cnss, admin).")
    ] = None,
) -> None:
    """Create a staff user; the password is read from standard input."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.accounts.staff import StaffError
    from sijill.accounts.staff import add_user as create
    from sijill.cli import terminal

    try:
        create(name, role, territory, _read_password(), actor=_actor())
    except StaffError as exc:
        raise _fail("\n".join(exc.messages)) from None
    terminal.console.print(_("User %(name)s created.") % {"name": name})


def issue_token(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Issue an API token for a user; it is printed once and stored only as a hash."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.accounts import tokens
    from sijill.accounts.models import User

    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise _fail(_("No active user named %(name)s.") % {"name": name})
    print(tokens.issue(user, actor=_actor()))


def list_tokens(
    name: Annotated[str | None, typer.Argument(help="User name; omit for every user.")] = None,
) -> None:
    """List API tokens: prefix, user, dates, never the token itself."""
    _django()
    from django.utils.translation import gettext as _
    from rich.markup import escape
    from rich.table import Table

    from sijill.accounts import tokens
    from sijill.accounts.models import User
    from sijill.cli import terminal

    user = None
    if name is not None:
        user = User.objects.filter(username=name).first()
        if user is None:
            raise _fail(_("No user named %(name)s.") % {"name": name})
    found = list(tokens.listed(user))
    if not found:
        terminal.console.print(_("No token."))
        return
    table = Table(title=_("API tokens"))
    for header in (_("prefix"), _("user"), _("issued"), _("last used"), _("expires"), _("revoked")):
        table.add_column(header, overflow="fold")
    for token in found:
        table.add_row(
            escape(token.prefix),
            escape(token.user.username),
            *(
                _when(moment)
                for moment in (
                    token.created_at,
                    token.last_used_at,
                    token.expires_at,
                    token.revoked_at,
                )
            ),
        )
    terminal.console.print(table)


def _when(moment: dt.datetime | None) -> str:
    """A moment in the back office's local time, to the minute; a dash for none."""
    from django.utils import timezone

    if moment is None:
        return "—"
    shown: str = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return shown


def revoke_token(
    prefix: Annotated[str, typer.Argument(help="The token's prefix (sijill token list).")],
) -> None:
    """Revoke an API token: it stops working at once."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.accounts import tokens
    from sijill.cli import terminal

    try:
        revoked = tokens.revoke(prefix, actor=_actor())
    except tokens.UnknownToken:
        raise _fail(_("No token has the prefix %(prefix)s.") % {"prefix": prefix}) from None
    if revoked:
        terminal.console.print(_("Token %(prefix)s revoked.") % {"prefix": prefix})
    else:
        terminal.console.print(_("Token %(prefix)s was already revoked.") % {"prefix": prefix})


def disable_user(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable a staff user: logging in is refused and their API tokens are revoked."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.accounts.staff import StaffError, disable
    from sijill.cli import terminal

    try:
        revoked = disable(name, actor=_actor())
    except StaffError as exc:
        raise _fail("\n".join(exc.messages)) from None
    terminal.console.print(
        _("User %(name)s disabled; tokens revoked: %(count)s.")
        % {"name": name, "count": number(revoked)}
    )


def set_password(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Give a staff user a new password, read from standard input."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.accounts.staff import StaffError
    from sijill.accounts.staff import set_password as change
    from sijill.cli import terminal

    try:
        change(name, _read_password(), actor=_actor())
    except StaffError as exc:
        raise _fail("\n".join(exc.messages)) from None
    terminal.console.print(_("Password of %(name)s changed.") % {"name": name})


BackgroundOption = Annotated[
    bool, typer.Option(help="Queue it for `sijill worker` and return at once.")
]


def _queued(task_id: str) -> None:
    from django.utils.translation import gettext as _

    from sijill.cli import terminal

    terminal.console.print(
        _("Queued as task %(id)s: `sijill worker` will run it.") % {"id": task_id}
    )


def import_registers(
    territories: PathOption,
    rnp: PathOption,
    rsu: PathOption,
    amo: PathOption,
    background: BackgroundOption = False,
    delta: Annotated[
        bool,
        typer.Option(
            help="The files are the registers' complete extracts: also remove the rows they "
            "no longer hold, and report what was added, changed and removed."
        ),
    ] = False,
) -> None:
    """Import contract extracts into the registers (checked first; importing twice is a no-op)."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.engine import InvalidExtracts
    from sijill.registry.imports import import_extracts
    from sijill.territories.loading import InvalidTerritories

    paths = {"territories": territories, "rnp": rnp, "rsu": rsu, "amo": amo}
    if background and delta:
        raise _fail(_("A delta import runs in the foreground: drop --background."))
    if background:
        from sijill.operations import tasks

        named = {name: str(path.resolve()) for name, path in paths.items()}
        _queued(str(tasks.import_registers.enqueue(named, _actor()).id))
        return
    try:
        report = import_extracts(paths, actor=_actor(), delta=delta)
    except InvalidExtracts as exc:
        terminal.console.print(terminal.problems_table(exc.problems))
        raise _fail(_("Nothing was imported: fix the files above.")) from None
    except InvalidTerritories as exc:
        raise _fail("\n".join([_("Nothing was imported:"), *exc.errors])) from None
    if report.warnings:
        terminal.console.print(terminal.problems_table(report.warnings))
    for name, counts in report.counts.items():
        line = (
            _("%(name)s: %(created)s added, %(updated)s updated, %(removed)s removed, "
              "%(unchanged)s unchanged")
            if delta
            else _("%(name)s: %(created)s added, %(updated)s updated, %(unchanged)s unchanged")
        )  # fmt: skip
        terminal.console.print(
            line
            % {
                "name": _(name),
                "created": number(counts.created),
                "updated": number(counts.updated),
                "removed": number(counts.removed),
                "unchanged": number(counts.unchanged),
            }
        )


def export(
    out: Annotated[Path, typer.Option(help="Folder to write the extracts into.")],
    background: BackgroundOption = False,
) -> None:
    """Write the registers as contract extracts (Parquet) that `sijill validate` accepts."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.registry.exports import export_registers

    if background:
        from sijill.operations import tasks

        _queued(str(tasks.export.enqueue(str(out.resolve())).id))
        return

    for name, rows in export_registers(out).items():
        terminal.console.print(
            _("%(name)s: %(rows)s rows") % {"name": _(name), "rows": number(rows)}
        )


def verify_audit(
    head: Annotated[
        str | None, typer.Option(help="A head hash noted earlier: it must still be in the log.")
    ] = None,
    anchor: Annotated[
        Path | None,
        typer.Option(
            help="A file outside the database holding the head verified last time: it must "
            "still be in the log. Written with the new head when the log is intact."
        ),
    ] = None,
) -> None:
    """Check the audit log's hash chain; exits 1 when an entry was edited or removed."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.audit.chain import BadAnchor, read_anchor, verify, write_anchor
    from sijill.cli import terminal

    try:
        anchored = read_anchor(anchor) if anchor else None
    except (BadAnchor, OSError) as exc:
        raise _fail(_("The anchor file cannot be read: %(error)s") % {"error": exc}) from None
    verdict = verify(expected_head=head, anchored=anchored)
    terminal.console.print(
        _("%(entries)s entries, head %(head)s")
        % {"entries": number(verdict.entries), "head": verdict.head}
    )
    if verdict.unkeyed:
        terminal.console.print(
            _("%(entries)s entries written before the chain was keyed, sealed by the next one")
            % {"entries": number(verdict.unkeyed)}
        )
    if not verdict.ok:
        raise _fail("\n".join([_("The audit log was tampered with:"), *verdict.problems]), 1)
    if anchor:
        write_anchor(anchor, verdict)
        terminal.console.print(_("Head noted in %(file)s.") % {"file": anchor})
    terminal.console.print(_("The audit log is intact."))


def register(app: typer.Typer) -> None:
    """Add the back-office commands to the `sijill` command."""
    from sijill.cli import service

    app.command("migrate")(migrate)
    service.register(app)  # serve, worker, daily
    app.command("import")(import_registers)
    app.command("export")(export)
    service.register_backups(app)
    groups: dict[str, tuple[str, dict[str, Callable[..., None]]]] = {
        "user": (
            "Staff accounts.",
            {"add": add_user, "disable": disable_user, "passwd": set_password},
        ),
        "token": (
            "API tokens.",
            {"issue": issue_token, "list": list_tokens, "revoke": revoke_token},
        ),
        "audit": ("The audit log.", {"verify": verify_audit}),
    }
    for name, (help_text, commands) in groups.items():
        group = typer.Typer(help=help_text, no_args_is_help=True)
        for command_name, command in commands.items():
            group.command(command_name)(command)
        app.add_typer(group, name=name)
