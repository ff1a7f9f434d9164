"""How the command line shows things: Rich tables and progress, nothing domain-specific."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
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


def linkage_table(summary: dict[str, object]) -> Table:
    """What linkage did: rows to resolve, persons compared, candidates found."""
    table = Table(title="Linkage")
    table.add_column("measure")
    table.add_column("value", justify="right")
    labels = {
        "rows": "rows with a missing or unknown identifier",
        "register": "RNP persons",
        "pool": "RNP persons some rule compares",
        "pairs": "pairs scored above the minimum",
        "links": "rows with a candidate",
        "confident": "rows with a candidate at 0.5 or more",
    }
    for key, label in labels.items():
        value = summary.get(key)
        table.add_row(label, f"{value:,}" if isinstance(value, int) else str(value))
    return table


def funnel_table(summary: dict[str, object]) -> Table:
    """The national row of a reconciliation, step by step, with what each step loses."""
    row = summary["national"]
    assert isinstance(row, dict)
    table = Table(title=f"National funnel (as of {_param(summary, 'as_of')})")
    table.add_column("step")
    table.add_column("count", justify="right")
    for label, key in FUNNEL_STEPS:
        value = row.get(key)
        shown = (
            "—" if value is None else (f"{value:.1%}" if isinstance(value, float) else f"{value:,}")
        )
        table.add_row(label, shown)
    return table


def losses_table(rows: list[dict[str, object]]) -> Table:
    table = Table(title="Annexes with the largest RNP → RSU loss")
    for header in ("annex", "name", "الاسم"):
        table.add_column(header)
    for header in ("living RNP", "not in RSU", "lost"):
        table.add_column(header, justify="right")
    for r in rows:
        share = r["lost_share"]
        table.add_row(
            escape(str(r["code"])),
            escape(str(r["name_fr"])),
            escape(str(r["name_ar"])),
            f"{r['rnp_persons']:,}",
            f"{r['rnp_not_in_rsu']:,}",
            f"{share:.1%}" if isinstance(share, float) else "—",
        )
    return table


def _param(summary: dict[str, object], name: str) -> object:
    params = summary.get("parameters")
    return params.get(name) if isinstance(params, dict) else None


FUNNEL_STEPS = (
    ("living RNP persons", "rnp_persons"),
    ("  in the RSU", "rnp_in_rsu"),
    ("  not in the RSU", "rnp_not_in_rsu"),
    ("RSU households", "rsu_households"),
    ("RSU persons", "rsu_persons"),
    ("  identifier unknown to the RNP", "rsu_id_unknown"),
    ("  differing from the RNP", "rsu_mismatch"),
    ("  single-person household share", "rsu_single_share"),
    ("eligible households", "eligible_households"),
    ("eligible persons", "eligible_persons"),
    ("AMO files", "amo_files"),
    ("AMO beneficiaries", "amo_beneficiaries"),
    ("  not in the RSU household", "amo_not_in_rsu"),
    ("  differing from the RSU", "amo_mismatch"),
    ("  household not eligible", "amo_ineligible"),
    ("files pending validation too long", "amo_pending_stale"),
    ("files past CNSS's deadline", "amo_sla_breached"),
    ("files accepted", "amo_accepted"),
    ("files rejected", "amo_rejected"),
)


@contextmanager
def stage_bar(description: str, stages: Sequence[str]) -> Iterator[Callable[[str, int], None]]:
    """A progress bar over named stages; advance(name, done) shows the stage under way."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=len(stages))

        def advance(name: str, done: int) -> None:
            progress.update(task, completed=done, description=f"{description}: {name}")

        yield advance
        progress.update(task, completed=len(stages), description=f"{description}: done")


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
