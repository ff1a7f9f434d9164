"""The `sijill` command: thin wrappers that parse options, call the engine and print."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.markup import escape

from sijill import terminal
from sijill.engine.extracts import read_extracts
from sijill.engine.problems import has_errors
from sijill.engine.synth.config import SynthConfig
from sijill.engine.synth.generator import generate
from sijill.engine.synth.sinks import FORMATS

app = typer.Typer(
    help="sijill: keep RNP, RSU and AMO Tadamon consistent and show where citizens are lost.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root() -> None:
    """sijill: keep RNP, RSU and AMO Tadamon consistent and show where citizens are lost."""


ExtractOption = Annotated[
    Path | None, typer.Option(help="Extract file (.csv or .parquet) in the contract format.")
]


@app.command()
def validate(
    territories: ExtractOption = None,
    rnp: ExtractOption = None,
    rsu: ExtractOption = None,
    amo: ExtractOption = None,
) -> None:
    """Check extracts against the interchange contract (docs/extracts.md).

    Exits 0 when every given file is valid (warnings are shown but allowed), 2 otherwise.
    """
    given = {
        name: path
        for name, path in (("territories", territories), ("rnp", rnp), ("rsu", rsu), ("amo", amo))
        if path
    }
    if not given:
        terminal.errors.print("[red]Give at least one of --territories, --rnp, --rsu, --amo.[/]")
        raise typer.Exit(2)
    with duckdb.connect() as con:
        sources, problems = read_extracts(con, given)
    for name, src in sources.items():
        terminal.console.print(f"{name}: {src.rows:,} rows ({src.format}, {escape(str(src.path))})")
    if problems:
        terminal.console.print(terminal.problems_table(problems))
    if has_errors(problems):
        raise typer.Exit(2)
    terminal.console.print("[green]valid[/green]")


def _extract_paths(folder: Path) -> dict[str, Path]:
    found = {}
    for name in ("territories", "rnp", "rsu", "amo"):
        for ext in ("parquet", "csv"):
            if (folder / f"{name}.{ext}").exists():
                found[name] = folder / f"{name}.{ext}"
    return found


def _synthesize(config: SynthConfig, out: Path, fmt: str, force: bool) -> dict[str, object]:
    if force and out.exists():
        shutil.rmtree(out)
    try:
        with terminal.progress_bar("synth: persons", config.persons) as advance:
            return generate(config, out, fmt, advance)
    except FileExistsError as exc:
        terminal.errors.print(f"[red]{escape(str(exc))}[/]: choose another --out or pass --force")
        raise typer.Exit(2) from exc


@app.command()
def synth(
    persons: Annotated[int, typer.Option(min=1, help="People in the synthetic country.")],
    out: Annotated[Path, typer.Option(help="Folder to create (must not exist or be empty).")],
    seed: Annotated[int, typer.Option(help="Same seed, same country, byte for byte.")] = 1,
    format: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Reference day (default 2026-06-30)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Generate a synthetic country: contract extracts plus truth/ with what is known."""
    if format not in FORMATS:
        terminal.errors.print(f"[red]--format must be one of {', '.join(FORMATS)}[/]")
        raise typer.Exit(2)
    config = SynthConfig(persons=persons, seed=seed)
    if as_of is not None:
        config = SynthConfig(persons=persons, seed=seed, as_of=as_of.date())
    manifest = _synthesize(config, out, format, force)
    terminal.console.print(terminal.manifest_table(manifest))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo country.")] = Path("demo"),
    persons: Annotated[int, typer.Option(min=1)] = 200_000,
    seed: Annotated[int, typer.Option()] = 1,
) -> None:
    """Generate the demo country (replacing --out), validate it and print a summary."""
    manifest = _synthesize(SynthConfig(persons=persons, seed=seed), out, "parquet", True)
    terminal.console.print(terminal.manifest_table(manifest))
    with duckdb.connect() as con:
        sources, problems = read_extracts(con, _extract_paths(out))
    if problems:
        terminal.console.print(terminal.problems_table(problems))
    if has_errors(problems):
        raise typer.Exit(2)
    terminal.console.print(
        f"[green]demo country in {out}/ is valid[/green]: "
        + ", ".join(f"{n} {s.rows:,} rows" for n, s in sources.items())
    )


def main() -> None:
    app()
