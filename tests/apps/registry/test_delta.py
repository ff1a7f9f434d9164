"""sijill.registry.delta: an import brings a register to the files, touching only what differs.

A first import fills the registers (sijill.registry.bulkload); the next ones go through the
staging tables compared here. With `delta`, the files are the complete extracts: rows they
no longer hold are removed, and the report says what was added, changed and removed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from sijill.audit.chain import verify
from sijill.audit.models import Entry
from sijill.cli.backoffice import register
from sijill.registry.delta import Counts
from sijill.registry.imports import import_extracts
from sijill.registry.models import AmoFile, Beneficiary, Household, Member, Person
from tests.extract_files import Rows, valid_rows, write_set

pytestmark = pytest.mark.django_db


def _changed_rows() -> dict[str, Rows]:
    """The contract set a day later: a person moved, one born, one gone from the RNP; the
    third household (M005, file F003) gone from the RSU and AMO; a reason given by CNSS."""
    rows = valid_rows()
    rows["rnp"][0]["address"] = "7, Rue Moulay Youssef"
    rows["rnp"].append({**rows["rnp"][2], "idcs": "0098765440", "cin": None})
    del rows["rnp"][3]
    rows["rsu"] = [r for r in rows["rsu"] if r["household_id"] != "H003"]
    rows["amo"] = [r for r in rows["amo"] if r["amo_file_id"] != "F003"]
    rows["amo"][1]["rejection_reason"] = "déjà couvert"
    return rows


@pytest.fixture
def day_one(tmp_path: Path) -> dict[str, Path]:
    paths = write_set(tmp_path / "day1")
    import_extracts(paths, actor="test")
    return write_set(tmp_path / "day2", rows=_changed_rows())


def _last_seq() -> int:
    return Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_a_delta_import_adds_changes_and_removes_only_what_differs(
    day_one: dict[str, Path],
) -> None:
    kept = Person.objects.get(idcs="0012345682")
    before = _last_seq()

    report = import_extracts(day_one, actor="clerk", delta=True)

    assert report.counts["rnp"] == Counts(created=1, updated=1, unchanged=3, removed=1)
    assert report.counts["rsu households"] == Counts(unchanged=2, removed=1)
    assert report.counts["rsu members"] == Counts(unchanged=4, removed=1)
    assert report.counts["amo files"] == Counts(unchanged=2, removed=1)
    assert report.counts["amo beneficiaries"] == Counts(updated=1, unchanged=3, removed=1)
    assert not Person.objects.filter(idcs="1234567890").exists()
    assert Person.objects.get(idcs="0012345682").pk == kept.pk  # untouched, not rewritten
    assert not Household.objects.filter(household_id="H003").exists()
    assert not Member.objects.filter(member_id="M005").exists()
    assert not AmoFile.objects.filter(amo_file_id="F003").exists()
    changed = Beneficiary.objects.get(beneficiary_id="B002")
    assert (changed.decision, changed.rejection_reason) == ("rejected", "déjà couvert")

    entries = list(Entry.objects.filter(seq__gt=before).order_by("seq"))
    per_row = [(e.action, e.target) for e in entries if e.action != "import_delta"]
    assert sorted(per_row) == sorted(
        [("import_update", "registry.person"), ("import_remove", "registry.person"),
         ("import_remove", "registry.household"), ("import_remove", "registry.member"),
         ("import_remove", "registry.amofile"), ("import_update", "registry.beneficiary"),
         ("import_remove", "registry.beneficiary")]
    )  # fmt: skip
    removed = next(e for e in entries if e.action == "import_remove")
    assert json.loads(removed.before) and removed.after == ""
    summaries = {e.target: json.loads(e.after) for e in entries if e.action == "import_delta"}
    assert summaries["registry.person"]["removed"] == 1 and len(summaries) == 5
    assert verify().ok


def test_a_delta_import_run_twice_changes_nothing_the_second_time(
    day_one: dict[str, Path],
) -> None:
    import_extracts(day_one, actor="test", delta=True)
    before = _last_seq()
    again = import_extracts(day_one, actor="test", delta=True)
    assert all(c.touched == 0 for c in again.counts.values())
    assert _last_seq() == before


def test_without_delta_rows_absent_from_the_files_are_kept(day_one: dict[str, Path]) -> None:
    report = import_extracts(day_one, actor="test")
    assert report.counts["rnp"] == Counts(created=1, updated=1, unchanged=3)
    assert Person.objects.filter(idcs="1234567890").exists()
    assert Household.objects.filter(household_id="H003").exists()
    assert not Entry.objects.filter(action="import_remove").exists()


def test_a_delta_import_reports_removals_on_the_command_line(day_one: dict[str, Path]) -> None:
    app = typer.Typer()
    register(app)
    args = [arg for name, path in day_one.items() for arg in (f"--{name}", str(path))]
    result = CliRunner().invoke(app, ["import", *args, "--delta"])
    assert result.exit_code == 0, result.output
    assert "RNP : 1 ajoutés, 1 mis à jour, 1 retirés, 3 inchangés" in result.output
    refused = CliRunner().invoke(app, ["import", *args, "--delta", "--background"])
    assert refused.exit_code != 0 and "--background" in refused.output
    assert Person.objects.count() == 5
