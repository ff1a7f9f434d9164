"""sijill.engine.figures: a run's figures per territory, from its outputs and extracts."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from sijill.domain import vocabulary
from sijill.domain.contract import FUNNEL_COLUMNS
from sijill.engine.figures import compute, sort_findings
from tests.apps.reconciled import Reconciled
from tests.extract_files import ANNEX_1, ANNEX_2, ANNEX_3, ANNEX_4, COMMUNE, PROVINCE, REGION


def by_code(found: Reconciled) -> dict[str, dict[str, object]]:
    return {
        str(row["code"]): {**row, **row["counts"]}
        for row in compute(found.out, found.extracts).figures
    }


def test_every_funnel_row_is_kept_as_the_engine_wrote_it(country: Reconciled) -> None:
    figures = by_code(country)
    funnel = pq.read_table(country.out / "funnel.parquet").to_pylist()
    assert sorted(figures) == sorted(str(r["code"]) for r in funnel)
    for row in funnel:
        assert {c: figures[str(row["code"])][c] for c in FUNNEL_COLUMNS} == row


def test_amo_steps_count_beneficiaries_whose_file_reached_them(country: Reconciled) -> None:
    figures = by_code(country)
    steps = ("amo_validated_persons", "amo_transmitted_persons", "amo_accepted_persons")

    def of(code: str) -> tuple[object, ...]:
        return tuple(figures[code][s] for s in steps)

    # ANNEX_1: an accepted file of 3 and a rejected one of 2, both validated and sent;
    # ANNEX_2: one pending file; ANNEX_3: a transmitted file of 2; the unknown annex's row
    # counts nowhere, not even nationally (as amo_beneficiaries).
    assert of(ANNEX_1) == (5, 5, 3)
    assert of(ANNEX_2) == (0, 0, 0)
    assert of(ANNEX_3) == (2, 2, 0)
    assert of(ANNEX_4) == (0, 0, 0)
    assert of(COMMUNE) == (5, 5, 3)
    assert of(PROVINCE) == of(REGION) == of("ALL") == (7, 7, 3)


def test_parents_and_national_row(country: Reconciled) -> None:
    figures = by_code(country)
    assert figures["ALL"]["parent_code"] is None
    assert figures[REGION]["parent_code"] == "ALL"
    assert figures[ANNEX_1]["parent_code"] == COMMUNE
    findings = pq.read_table(country.out / "findings.parquet").to_pylist()
    national = figures["ALL"]["findings"]
    assert isinstance(national, dict)
    # Nationally every finding counts, those of the unknown annex included.
    assert sum(national.values()) == len(findings)
    assert national["UNKNOWN_TERRITORY"] == 3
    annex_1 = figures[ANNEX_1]["findings"]
    assert annex_1 == {
        k: sum(1 for f in findings if f["kind"] == k and f["annex_code"] == ANNEX_1)
        for k in {str(f["kind"]) for f in findings if f["annex_code"] == ANNEX_1}
    }
    assert "UNKNOWN_TERRITORY" not in annex_1


def test_links_get_the_annex_of_their_row(country: Reconciled) -> None:
    links = compute(country.out, country.extracts).links
    assert {(r["source"], r["row_id"]): r["annex_code"] for r in links} == {
        ("rsu", "M04"): ANNEX_1,
        ("rsu", "M07"): ANNEX_2,
        ("amo", "B03"): ANNEX_1,
        ("rsu", "M10"): ANNEX_2,
    }


def test_anomalies_carry_the_ancestors_of_their_annex(country: Reconciled) -> None:
    anomalies = compute(country.out, country.extracts).anomalies
    first = next(a for a in anomalies if a["annex_code"] == ANNEX_1)
    assert (first["commune_code"], first["province_code"], first["region_code"]) == (
        COMMUNE,
        PROVINCE,
        REGION,
    )


def test_findings_are_rewritten_sorted_by_annex(country: Reconciled, tmp_path: Path) -> None:
    target = tmp_path / "findings.parquet"
    rows = sort_findings(country.out, target)
    written = pq.read_table(target).to_pylist()
    original = pq.read_table(country.out / "findings.parquet").to_pylist()
    assert rows == len(written) == len(original)
    annexes = [r["annex_code"] for r in written]
    known = [a for a in annexes if a is not None]
    assert known == sorted(known) and annexes[: len(known)] == known
    assert sorted(map(repr, written)) == sorted(map(repr, original))


def test_counts_are_kept_by_vocabulary_code(country: Reconciled) -> None:
    counted = {c for c, t in vocabulary.FUNNEL.items() if t.number != vocabulary.TEXT}
    for row in compute(country.out, country.extracts).figures:
        assert set(row["counts"]) == counted | set(vocabulary.FIGURES), row["code"]
        assert set(row) == {"code", "parent_code", "level", "name_fr", "name_ar", "counts",
                            "findings"}  # fmt: skip
