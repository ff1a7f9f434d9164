"""How the command line shows things: Rich tables and progress, nothing domain-specific."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from sijill.engine.problems import Problem

# Off a terminal (CI logs, pipes) Rich would fold tables to 80 columns; keep them readable.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


class Advance(Protocol):
    def __call__(self, done: int) -> None: ...


def problems_table(problems: Sequence[Problem]) -> Table:
    table = Table(title="Contract check", show_lines=False)
    for header in ("file", "column", "rule", "severity", "count", "first rows", "detail"):
        table.add_column(header, overflow="fold")
    for p in problems:
        style = "red" if p.is_error else "yellow"
        table.add_row(
            escape(p.file),
            escape(p.column or "—"),
            escape(p.rule),
            f"[{style}]{p.severity}[/{style}]",
            "—" if p.count is None else f"{p.count:,}",
            ", ".join(str(r) for r in p.rows) or "—",
            escape(p.detail),
        )
    return table


def manifest_table(manifest: dict[str, object]) -> Table:
    """What a synth run wrote: rows per file, the territory and the injected anomalies."""
    table = Table(title=f"Synthetic country ({manifest['format']}, {manifest['seconds']} s)")
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = manifest["rows"]
    other = manifest["other_findings"]
    assert isinstance(rows, dict) and isinstance(other, dict)
    for name, count in rows.items():
        table.add_row(f"rows: {name}", f"{count:,}")
    table.add_row("annexes", f"{manifest['annexes']:,}")
    table.add_row("annexes with split households", f"{manifest['split_annexes']:,}")
    for name, count in other.items():
        table.add_row(f"expected findings: {name}", f"{count:,}")
    return table


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Advance]:
    """A progress bar advanced to an absolute `done` count; drawn on stderr."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=total)

        def advance(done: int) -> None:
            progress.update(task, completed=done)

        yield advance
