"""The back office's commands on the `sijill` CLI: migrate, serve, user, token, import,
export, audit. `register(app)` adds them; each is a thin wrapper over a service.

Django is set up lazily, inside each command, so that the engine's commands never pay for it.
"""

from __future__ import annotations

import getpass
import os
import sys
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
    counts = upsert(load_reference(), actor=_actor())
    terminal.console.print(
        _("Database ready; reference territories: %(created)s added, %(unchanged)s unchanged.")
        % {
            "created": number(counts.created + counts.updated),
            "unchanged": number(counts.unchanged),
        }
    )


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart when the code changes.")] = False,
) -> None:
    """Serve the back office for development (Django's runserver; use a real server in prod)."""
    _django()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=reload)


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


def import_registers(
    territories: PathOption, rnp: PathOption, rsu: PathOption, amo: PathOption
) -> None:
    """Import contract extracts into the registers (checked first; importing twice is a no-op)."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.engine import InvalidExtracts
    from sijill.registry.imports import import_extracts
    from sijill.territories.loading import InvalidTerritories

    paths = {"territories": territories, "rnp": rnp, "rsu": rsu, "amo": amo}
    try:
        report = import_extracts(paths, actor=_actor())
    except InvalidExtracts as exc:
        terminal.console.print(terminal.problems_table(exc.problems))
        raise _fail(_("Nothing was imported: fix the files above.")) from None
    except InvalidTerritories as exc:
        raise _fail("\n".join([_("Nothing was imported:"), *exc.errors])) from None
    if report.warnings:
        terminal.console.print(terminal.problems_table(report.warnings))
    for name, counts in report.counts.items():
        terminal.console.print(
            _("%(name)s: %(created)s added, %(updated)s updated, %(unchanged)s unchanged")
            % {
                "name": _(name),
                "created": number(counts.created),
                "updated": number(counts.updated),
                "unchanged": number(counts.unchanged),
            }
        )


def export(out: Annotated[Path, typer.Option(help="Folder to write the extracts into.")]) -> None:
    """Write the registers as contract extracts (Parquet) that `sijill validate` accepts."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.cli import terminal
    from sijill.registry.exports import export_registers

    for name, rows in export_registers(out).items():
        terminal.console.print(
            _("%(name)s: %(rows)s rows") % {"name": _(name), "rows": number(rows)}
        )


def verify_audit(
    head: Annotated[
        str | None, typer.Option(help="A head hash noted earlier: it must still be in the log.")
    ] = None,
) -> None:
    """Check the audit log's hash chain; exits 1 when an entry was edited or removed."""
    _django()
    from django.utils.translation import gettext as _

    from sijill.audit.chain import verify
    from sijill.cli import terminal

    verdict = verify(expected_head=head)
    terminal.console.print(
        _("%(entries)s entries, head %(head)s")
        % {"entries": number(verdict.entries), "head": verdict.head}
    )
    if not verdict.ok:
        raise _fail("\n".join([_("The audit log was tampered with:"), *verdict.problems]), 1)
    terminal.console.print(_("The audit log is intact."))


def register(app: typer.Typer) -> None:
    """Add the back-office commands to the `sijill` command."""
    app.command("migrate")(migrate)
    app.command("serve")(serve)
    app.command("import")(import_registers)
    app.command("export")(export)
    for name, help_text, command_name, command in (
        ("user", "Staff accounts.", "add", add_user),
        ("token", "API tokens.", "issue", issue_token),
        ("audit", "The audit log.", "verify", verify_audit),
    ):
        group = typer.Typer(help=help_text, no_args_is_help=True)
        group.command(command_name)(command)
        app.add_typer(group, name=name)
