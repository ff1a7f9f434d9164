"""The `sijill` command: thin wrappers that parse options, call the engine and print."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from sijill import engine, i18n
from sijill.cli import terminal
from sijill.cli.backoffice import register as register_back_office
from sijill.cli.messages import language, number, shown, t
from sijill.domain.contract import DEFAULT_THRESHOLD
from sijill.domain.message import Refused
from sijill.engine import ENGINES, LINK_STEPS, REPORT_FORMATS, STAGES, Parameters, Summary
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate
from sijill.synth.sinks import FORMATS

app = typer.Typer(
    help="sijill: keep RNP, RSU and AMO Tadamon consistent and show where citizens are lost.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=terminal.TranslatedGroup,
)


@app.callback()
def root() -> None:
    """sijill: keep RNP, RSU and AMO Tadamon consistent and show where citizens are lost."""
    try:
        language()
    except ValueError as exc:
        terminal.errors.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc


# Extracts and output folders are text: a local path, or on Spark a URI kept as written
# (engine.location: `hdfs://host/x` is no Path).
ExtractOption = Annotated[
    str | None, typer.Option(help="Extract file (.csv or .parquet) in the contract format.")
]
# The engine a job runs on (docs/spark.md), declared once for validate, reconcile and link.
EngineName = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="|".join(ENGINES),
        help="Engine that computes the outputs.",
    ),
]
SparkMaster = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        help="Spark's master for --engine spark: local[*] by default; spark://HOST:PORT, "
        "yarn and k8s://… are passed to Spark. On Spark, extracts and --out may be file://, "
        "hdfs:// or s3a:// URIs.",
    ),
]


def _check_engine(engine_name: str) -> None:
    if engine_name not in ENGINES:
        _refuse(t("--engine must be one of {engines}", engines=", ".join(ENGINES)))


@app.command()
def validate(
    territories: ExtractOption = None,
    rnp: ExtractOption = None,
    rsu: ExtractOption = None,
    amo: ExtractOption = None,
    engine_name: EngineName = "duckdb",
    spark_master: SparkMaster = None,
) -> None:
    """Check extracts against the interchange contract (docs/extracts.md).

    Exits 0 when every given file is valid (warnings are shown but allowed), 2 otherwise.
    """
    given = {
        name: engine.location(path)
        for name, path in (("territories", territories), ("rnp", rnp), ("rsu", rsu), ("amo", amo))
        if path
    }
    if not given:
        _refuse(t("Give at least one of --territories, --rnp, --rsu, --amo."))
    _check_engine(engine_name)
    with _refusals():
        checked = engine.validate(given, engine_name, spark_master)
    for name, found in checked.files.items():
        terminal.console.print(
            t(
                "{name}: {rows} rows ({format}, {path})",
                name=name,
                rows=number(found.rows),
                format=found.format,
                path=escape(str(found.path)),
            )
        )
    if checked.problems:
        terminal.console.print(terminal.problems_table(checked.problems))
    if not checked.valid:
        raise typer.Exit(2)
    valid = t("valid")
    terminal.console.print(f"[green]{escape(valid)}[/green]")


def _refuse(text: str) -> NoReturn:
    """Print why the command cannot go on, in the command line's language, and exit 2."""
    terminal.errors.print(f"[red]{escape(text)}[/]")
    raise typer.Exit(2)


DateOption = typer.Option(formats=["%Y-%m-%d"], help="Reference day for ages and deadlines.")
# The inputs and output folder of the engine's jobs (reconcile, link), declared once.
TerritoriesFile = Annotated[str, typer.Option(help="Territories extract.")]
RnpFile = Annotated[str, typer.Option(help="RNP extract.")]
RsuFile = Annotated[str, typer.Option(help="RSU extract.")]
AmoFile = Annotated[str, typer.Option(help="AMO Tadamon extract.")]
OutFolder = Annotated[str, typer.Option(help="Output folder (replaced as a whole at the end).")]


def _locations(**given: str) -> dict[str, engine.Location]:
    return {name: engine.location(text) for name, text in given.items()}


@app.command("reconcile")
def reconcile_command(
    territories: TerritoriesFile,
    rnp: RnpFile,
    rsu: RsuFile,
    amo: AmoFile,
    as_of: Annotated[dt.datetime, DateOption],
    out: OutFolder,
    threshold: Annotated[
        float, typer.Option(help="Eligible when score <= threshold.")
    ] = DEFAULT_THRESHOLD,
    validation_days: Annotated[int, typer.Option(min=0, help="Days before pending is stale.")] = 1,
    cnss_days: Annotated[int, typer.Option(min=0, help="CNSS's deadline in days.")] = 30,
    engine_name: EngineName = "duckdb",
    spark_master: SparkMaster = None,
    links: Annotated[bool, typer.Option("--links/--no-links", help="Run linkage.")] = True,
) -> None:
    """Reconcile the registers: funnel, findings, anomalies, split suspects, links.

    Writes OUT/funnel.parquet, findings, anomalies, split_suspects, links and summary.json.
    Bad input exits 2 with the contract check table and writes nothing.
    """
    try:
        params = Parameters(as_of.date(), threshold, validation_days, cnss_days)
    except Refused as exc:
        _refuse(shown(exc.message))
    paths = _locations(territories=territories, rnp=rnp, rsu=rsu, amo=amo)
    summary = _reconcile(paths, params, engine.location(out), links, engine_name, spark_master)
    terminal.console.print(terminal.funnel_table(summary))


@contextmanager
def _refusals() -> Iterator[None]:
    """Bad extracts print the check table, an unusable setting its message; both exit 2."""
    try:
        yield
    except engine.InvalidExtracts as exc:
        terminal.console.print(terminal.problems_table(exc.problems))
        _refuse(t("invalid input: nothing was written"))
    except Refused as exc:  # e.g. SIJILL_MEMORY_LIMIT that is no memory size
        _refuse(shown(exc.message))


def _reconcile(
    paths: Mapping[str, engine.Location],
    params: Parameters,
    out: engine.Location,
    links: bool,
    engine_name: str,
    spark_master: str | None = None,
) -> Summary:
    _check_engine(engine_name)
    with _refusals(), terminal.stage_bar("reconcile", STAGES) as advance:
        summary = engine.reconcile(
            paths,
            params,
            out,
            with_links=links,
            engine=engine_name,
            spark_master=spark_master,
            progress=advance,
        )
    if summary.warnings:
        warned = t("{count} warning(s): see summary.json", count=number(len(summary.warnings)))
        terminal.errors.print(f"[yellow]{warned}[/]")
    return summary


@app.command("link")
def link_command(
    territories: TerritoriesFile,
    rnp: RnpFile,
    rsu: RsuFile,
    amo: AmoFile,
    out: OutFolder,
    engine_name: EngineName = "duckdb",
    spark_master: SparkMaster = None,
) -> None:
    """Link rsu/amo rows whose identifier is missing or unknown to their likeliest RNP person.

    Writes OUT/links.parquet (the contract's links) and OUT/linkage.json. Bad input exits 2
    with the contract check table and writes nothing.
    """
    paths = _locations(territories=territories, rnp=rnp, rsu=rsu, amo=amo)
    _check_engine(engine_name)
    with _refusals(), terminal.stage_bar("link", LINK_STEPS) as advance:
        summary = engine.link(
            paths,
            engine.location(out),
            lambda step: advance(step, LINK_STEPS.index(step)),
            engine=engine_name,
            spark_master=spark_master,
        )
    terminal.console.print(terminal.linkage_table(summary))


def _synthesize(config: SynthConfig, out: Path, fmt: str, force: bool) -> dict[str, object]:
    if force and out.exists():
        shutil.rmtree(out)
    try:
        with terminal.progress_bar(t("synth: persons"), config.persons) as advance:
            return generate(config, out, fmt, advance)
    except FileExistsError:
        # The generator refuses only a folder that exists and holds something.
        error = t("{path} exists and is not empty", path=out)
        _refuse(t("{error}: choose another --out or pass --force", error=error))


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
        _refuse(t("--format must be one of {formats}", formats=", ".join(FORMATS)))
    config = SynthConfig(persons=persons, seed=seed)
    if as_of is not None:
        config = SynthConfig(persons=persons, seed=seed, as_of=as_of.date())
    manifest = _synthesize(config, out, format, force)
    terminal.console.print(terminal.manifest_table(manifest))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo (country/ and run/).")] = Path(
        "demo"
    ),
    persons: Annotated[int, typer.Option(min=1)] = 200_000,
    seed: Annotated[int, typer.Option()] = 1,
    back_office: Annotated[
        bool, typer.Option(help="Also load it into the back office, with one account per role.")
    ] = False,
    serve: Annotated[bool, typer.Option(help="Then serve it (implies --back-office).")] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8000,
) -> None:
    """Generate the demo country, reconcile it, print the national funnel and the losses."""
    config = SynthConfig(persons=persons, seed=seed)
    manifest = _synthesize(config, out / "country", "parquet", True)
    terminal.console.print(terminal.manifest_table(manifest))
    summary = _reconcile(
        engine.extracts_in(out / "country"), Parameters(config.as_of), out / "run", True, "duckdb"
    )
    terminal.console.print(terminal.funnel_table(summary))
    losses = engine.largest_rsu_losses(out / "run", 5)
    terminal.console.print(terminal.losses_table(losses))
    outputs = t("outputs in {path}", path=out / "run")
    terminal.console.print(f"[green]{escape(outputs)}[/]")
    if back_office or serve:
        from sijill.cli import demo as web_demo

        web_demo.use_demo_database(out)
        web_demo.back_office(out, f"http://127.0.0.1:{port}/")
    if serve:
        from sijill.cli.service import serve as serve_command

        # A worker beside the server: runs started from the demo's pages are done.
        serve_command(port=port, with_worker=True)


@app.command("report")
def report_command(
    run_dir: Annotated[Path, typer.Argument(help="Output folder of `sijill reconcile`.")],
    format: Annotated[
        str,
        typer.Option("--format", metavar="|".join(REPORT_FORMATS), help="Format of the report."),
    ] = "xlsx",
    out: Annotated[
        Path | None,
        typer.Option(help="Workbook (xlsx) or folder (csv) to write; default inside RUN_DIR."),
    ] = None,
) -> None:
    """Write a reconciliation run as an Excel workbook (French and Arabic) or CSV files."""
    try:
        written = engine.report(run_dir, format, out, readers=i18n.readers())
    except Refused as exc:
        _refuse(shown(exc.message))
    done = t("report written: {path}", path=escape(str(written)))
    terminal.console.print(f"[green]{done}[/green]")


register_back_office(app)


def main() -> None:
    app()
