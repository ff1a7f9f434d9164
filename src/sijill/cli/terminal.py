"""How the command line shows things: Rich tables and progress, nothing domain-specific.

Every label goes through `sijill.cli.messages`: French by default, Arabic on request.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

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
from typer.core import TyperGroup

from sijill.cli import usage
from sijill.cli.messages import language, number, percent, t, translate
from sijill.engine import Linkage, Problem, Summary

# Off a terminal (CI logs, pipes) Rich would fold tables to 80 columns; keep them readable.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


_FILE_WIDTH = 90  # of the 160 columns a table gets off a terminal


class Advance(Protocol):
    def __call__(self, done: int) -> None: ...


def problems_table(problems: Sequence[Problem]) -> Table:
    """The problems as found; rule, severity and detail translated, the codes kept."""
    table = Table(title=t("Contract check"), show_lines=False)
    # A file name is what a reader copies: when it can, the other columns wrap instead.
    longest = max((len(p.file) for p in problems), default=0)
    table.add_column(t("file"), overflow="fold", no_wrap=longest <= _FILE_WIDTH)
    for header in ("column", "rule", "severity", "count", "first rows", "detail"):
        table.add_column(t(header), overflow="fold")
    for p in problems:
        style = "red" if p.is_error else "yellow"
        table.add_row(
            escape(p.file),
            escape(p.column or "—"),
            escape(translate(p.rule)),
            f"[{style}]{escape(translate(p.severity))}[/{style}]",
            "—" if p.count is None else number(p.count),
            ", ".join(str(r) for r in p.rows) or "—",
            escape(translate(p.detail)),
        )
    return table


def manifest_table(manifest: dict[str, object]) -> Table:
    """What a synth run wrote: rows per file, the territory and the injected anomalies."""
    seconds = str(manifest["seconds"]).replace(".", ",")
    table = Table(
        title=t(
            "Synthetic country ({format}, {seconds} s)", format=manifest["format"], seconds=seconds
        )
    )
    table.add_column(t("what"))
    table.add_column(t("count"), justify="right")
    rows = manifest["rows"]
    other = manifest["other_findings"]
    assert isinstance(rows, dict) and isinstance(other, dict)
    for name, count in rows.items():
        table.add_row(t("rows: {name}", name=name), _shown(count))
    table.add_row(t("annexes"), _shown(manifest["annexes"]))
    table.add_row(t("annexes with split households"), _shown(manifest["split_annexes"]))
    for name, count in other.items():
        table.add_row(t("expected findings: {name}", name=name), _shown(count))
    return table


def linkage_table(summary: Linkage) -> Table:
    """What linkage did: rows to resolve, persons compared, candidates found."""
    table = Table(title=t("Linkage"))
    table.add_column(t("measure"))
    table.add_column(t("value"), justify="right")
    labels = {
        "rows": "rows with a missing or unknown identifier",
        "register": "RNP persons",
        "pool": "RNP persons some rule compares",
        "pairs": "pairs scored above the minimum",
        "links": "rows with a candidate",
        "confident": "rows with a candidate at 0.5 or more",
    }
    for key, label in labels.items():
        table.add_row(t(label), _shown(getattr(summary, key)))
    return table


def funnel_table(summary: Summary) -> Table:
    """The national row of a reconciliation, step by step, with what each step loses."""
    row = summary.national
    as_of = summary.parameters.as_of.isoformat()
    table = Table(title=t("National funnel (as of {date})", date=as_of))
    table.add_column(t("step"))
    table.add_column(t("count"), justify="right")
    for label, key in FUNNEL_STEPS:
        indent = label[: len(label) - len(label.lstrip())]
        table.add_row(indent + t(label.strip()), _shown(row.get(key)))
    return table


def losses_table(rows: list[dict[str, object]]) -> Table:
    table = Table(title=t("Annexes with the largest RNP → RSU loss"))
    for header in ("annex", "name in French", "name in Arabic"):
        table.add_column(t(header))
    for header in ("living RNP", "not in RSU", "lost"):
        table.add_column(t(header), justify="right")
    for r in rows:
        table.add_row(
            escape(str(r["code"])),
            escape(str(r["name_fr"])),
            escape(str(r["name_ar"])),
            _shown(r["rnp_persons"]),
            _shown(r["rnp_not_in_rsu"]),
            _shown(r["lost_share"]),
        )
    return table


def _shown(value: object) -> str:
    """A count grouped by thousands, a share as a percentage, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return percent(value)
    return escape(str(value))


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
        task = progress.add_task(t(description, context="stage"), total=len(stages))

        def advance(name: str, done: int) -> None:
            progress.update(task, completed=done, description=_stage(description, name))

        yield advance
        progress.update(task, completed=len(stages), description=_stage(description, "done"))


# The line of each staged job, with the stage under way.
_STAGE_LINES = {"reconcile": "reconcile: {step}", "link": "link: {step}"}


def _stage(description: str, name: str) -> str:
    """`reconcile: {step}` (or `link: …`) filled with the stage's name, translated."""
    return t(_STAGE_LINES[description], step=t(name, context="stage"))


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
        task = progress.add_task(t(description), total=total)

        def advance(done: int) -> None:
            progress.update(task, completed=done)

        yield advance


class TranslatedGroup(TyperGroup):
    """The `sijill` command tree with every help text in the command line's language.

    Typer builds the tree anew for each run, after the environment is known: translating it
    here covers the docstrings and option help of every command, the back office's too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            language()
        except ValueError:
            return  # the root command reports the bad setting; help stays in English
        usage.install()
        _translate_help(self)


def _translate_help(command: Any) -> None:
    usage.translate_usage(command)
    for owner in (command, *command.params):
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(owner, attribute, None)
            if isinstance(text, str):
                setattr(owner, attribute, translate(text))
    for sub in getattr(command, "commands", {}).values():
        _translate_help(sub)
