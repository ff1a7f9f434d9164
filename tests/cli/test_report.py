"""`sijill report` from the command line: written for every language with a catalogue."""

from __future__ import annotations

import array
import datetime as dt
import struct
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from sijill.cli.app import app
from sijill.engine.params import Parameters
from sijill.engine.reconciliation.pipeline import reconcile
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

runner = CliRunner()
HEADER = "Content-Type: text/plain; charset=UTF-8\nX-Sijill-Name: xx\nX-Sijill-Direction: ltr\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-report")
    generate(SynthConfig(persons=3_000, seed=4), folder / "country")
    paths = {n: folder / "country" / f"{n}.parquet" for n in ("territories", "rnp", "rsu", "amo")}
    reconcile(paths, Parameters(dt.date(2026, 6, 30)), folder / "run")
    return folder / "run"


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A compiled gettext catalogue (the GNU .mo layout, as CPython's msgfmt.py writes it)."""
    keys = sorted(messages)
    ids = strs = b""
    spans = []
    for key in keys:
        k, v = key.encode(), messages[key].encode()
        spans.append((len(ids), len(k), len(strs), len(v)))
        ids, strs = ids + k + b"\0", strs + v + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    offsets = [n for o1, l1, _, _ in spans for n in (l1, o1 + key_start)]
    offsets += [n for _, _, o2, l2 in spans for n in (l2, o2 + value_start)]
    head = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(head + array.array("i", offsets).tobytes() + ids + strs)


def test_report_writes_a_workbook_in_french_and_arabic_and_csv_files(run: Path) -> None:
    target = run.parent / "r.xlsx"
    xlsx = runner.invoke(app, ["report", str(run), "--out", str(target)])
    assert xlsx.exit_code == 0, xlsx.output
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert names[:6] == [
        "Entonnoir national", "Entonnoir régions", "Entonnoir provinces", "Entonnoir communes",
        "Entonnoir annexes", "المسار الوطني",
    ]  # fmt: skip
    assert "Constats" in names and "Paramètres" in names
    csv = runner.invoke(app, ["report", str(run), "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    assert (run / "report" / "Entonnoir national (ar).csv").is_file()


def test_a_language_added_as_a_catalogue_gets_its_sheets(run: Path, tmp_path: Path) -> None:
    """No code names the languages: a catalogue in SIJILL_LOCALE_DIR is one more reader."""
    words = {"National funnel": "⟦National funnel⟧", "Count": "⟦Count⟧"}
    write_mo(tmp_path / "locale" / "xx" / "LC_MESSAGES" / "django.mo", {"": HEADER, **words})
    target = tmp_path / "r.xlsx"
    env = {"SIJILL_LOCALE_DIR": str(tmp_path / "locale")}
    result = runner.invoke(app, ["report", str(run), "--out", str(target)], env=env)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target, read_only=True)
    # Left to right first, each by code: French, the new language, then Arabic.
    national = [n for n in book.sheetnames if "ational" in n or n == "المسار الوطني"]
    assert national == ["Entonnoir national", "⟦National funnel⟧", "المسار الوطني"]
    headers = next(book["Constats"].iter_rows(max_row=1, values_only=True))
    assert "Nombre / ⟦Count⟧ / العدد" in headers


def test_report_refuses_a_missing_run_and_an_unknown_format(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    (tmp_path / "run").mkdir()
    pdf = runner.invoke(app, ["report", str(tmp_path / "run"), "--format", "pdf"])
    assert pdf.exit_code == 2
