"""docs/backoffice.md documents every environment variable the settings read, and every command."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from sijill.cli import backoffice as commands

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "backoffice.md").read_text(encoding="utf-8")
SETTINGS = ROOT / "src" / "sijill" / "web"


def test_every_environment_variable_is_documented() -> None:
    code = (SETTINGS / "settings.py").read_text() + (SETTINGS / "environment.py").read_text()
    names = set(re.findall(r"['\"]((?:SIJILL|DATABASE)_[A-Z_]+)['\"]", code))
    assert names >= {"SIJILL_DATA_DIR", "DATABASE_URL", "SIJILL_SECRET_KEY"}
    assert sorted(n for n in names if f"`{n}`" not in DOC) == []


def test_every_command_is_documented() -> None:
    app = typer.Typer()
    commands.register(app)
    names = [c.name for c in app.registered_commands]
    names += [
        f"{g.name} {c.name}"
        for g in app.registered_groups
        for c in (g.typer_instance.registered_commands if g.typer_instance else [])
    ]
    assert len(names) == 15
    assert [n for n in names if f"`sijill {n}" not in DOC] == []


def test_the_production_recipe_names_every_environment_variable() -> None:
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    code = (SETTINGS / "settings.py").read_text() + (SETTINGS / "environment.py").read_text()
    names = set(re.findall(r"['\"]((?:SIJILL|DATABASE)_[A-Z_]+)['\"]", code))
    names.add("SIJILL_LOCALE_DIR")  # read by sijill.i18n
    assert sorted(n for n in names if f"`{n}`" not in deploy) == []
