"""The back-office half of `sijill demo`: registers, the run, one account per role.

After the engine has written `OUT/country` and `OUT/run`, this loads the country into the
back office (a fresh SQLite database in `OUT/var` unless SIJILL_DATA_DIR or DATABASE_URL
says otherwise), imports the run into the monitoring app, creates or resets one account per
role and prints their logins. `sijill demo --serve` then serves it all.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from sijill.cli import terminal
from sijill.cli.messages import t
from sijill.domain.vocabulary import ROLES, term

ACTOR = "cli:demo"


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    role: str
    territory: str | None
    password: str


def use_demo_database(out: Path) -> None:
    """A database of the demo's own, new at each demo, unless one is configured."""
    if "SIJILL_DATA_DIR" in os.environ or "DATABASE_URL" in os.environ:
        return
    data = out / "var"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    os.environ["SIJILL_DATA_DIR"] = str(data)


def _places() -> tuple[str, str]:
    """The annex losing the most people between the RNP and the RSU, and its commune."""
    from sijill.runs.selection import NATIONAL, runs

    run = runs(NATIONAL).first()
    assert run is not None
    annexes = run.figures.filter(level="annex")
    annex = min(annexes, key=lambda f: (-f.counts["rnp_not_in_rsu"], f.code))
    assert annex.parent_code is not None
    return annex.code, annex.parent_code


def accounts() -> list[Login]:
    """One account per role, named demo-<role>; an existing one gets a new password."""
    from sijill.accounts.models import User
    from sijill.accounts.roles import ROLES, SUPERVISOR
    from sijill.accounts.staff import add_user
    from sijill.audit.chain import Change, record

    annex, commune = _places()
    where = {"clerk": annex, "validator": annex, SUPERVISOR: commune}
    logins = []
    for role in ROLES:
        name, territory = f"demo-{role}", where.get(role)
        password = secrets.token_urlsafe(12)
        user = User.objects.filter(username=name).first()
        if user is None:
            add_user(name, role, territory, password, actor=ACTOR)
        else:
            user.set_password(password)
            user.role, user.territory_id = role, territory
            user.save()
            record(Change(ACTOR, "demo.reset", "accounts.user", name))
        logins.append(Login(name, role, territory, password))
    return logins


def logins_table(logins: list[Login], url: str) -> Table:
    table = Table(title=t("demo accounts — {url}", url=url))
    for column in (t("user"), t("role"), t("territory"), t("password")):
        table.add_column(column)
    for login in logins:
        role = t(term(login.role, ROLES).words)  # the role as the pages call it
        table.add_row(login.username, role, login.territory or t("national"), login.password)
    return table


def back_office(out: Path, url: str) -> list[Login]:
    """Load the demo into the back office (see the module's docstring); returns the logins."""
    from sijill.cli import backoffice as commands

    country = out / "country"
    commands.migrate()
    terminal.console.print(t("importing the demo country into the back office…"))
    commands.import_registers(
        country / "territories.parquet",
        country / "rnp.parquet",
        country / "rsu.parquet",
        country / "amo.parquet",
    )
    from sijill.runs.lifecycle import from_directory

    # All four: the work lists show who each finding is about, the what-if reads RSU scores.
    extracts = {n: country / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")}
    run = from_directory(out / "run", extracts, actor=ACTOR)
    terminal.console.print(t("run #{number} imported into the dashboards", number=run.pk))
    logins = accounts()
    _day_of_work(logins)
    terminal.console.print(logins_table(logins, url))
    return logins


def _day_of_work(logins: list[Login]) -> None:
    """AMO requests waiting at each step of the demo's annex (sijill.cli.demo_ledger)."""
    from sijill.accounts.models import User
    from sijill.cli import demo_ledger
    from sijill.domain.vocabulary import FORM_STATUSES

    by_role = {login.role: login for login in logins}
    clerk, validator = (
        User.objects.get(username=by_role[r].username) for r in ("clerk", "validator")
    )
    assert clerk.territory_id is not None
    found = demo_ledger.seed(clerk.territory_id, clerk, validator)
    summary = ", ".join(f"{t(term(s, FORM_STATUSES).words)}: {n}" for s, n in sorted(found.items()))
    terminal.console.print(t("AMO Tadamon requests at the demo annex: {summary}", summary=summary))
