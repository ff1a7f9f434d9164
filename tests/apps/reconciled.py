"""A reconciliation of tests.extract_files' small country, imported into the back office's runs.

The engine runs for real on the country (once per session); its empty `links` output is
replaced by hand-built rows in the contract's schema, as linkage would write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from sijill.engine.params import Parameters
from tests.extract_files import COUNTRY_AS_OF, Rows, write_set

if TYPE_CHECKING:
    from sijill.runs.models import Run

LINKS = pa.table(
    {
        "source": ["rsu", "rsu", "amo", "rsu"],
        "row_id": ["M04", "M07", "B03", "M10"],
        "row_idcs": [None, "0000000000", None, None],
        "candidate_idcs": ["0012345686", "0400000015", "0098765432", "0300000014"],
        "match_probability": [0.93, 0.97, 0.88, 0.51],
    },
    schema=pa.schema(
        [
            ("source", pa.string()),
            ("row_id", pa.string()),
            ("row_idcs", pa.string()),
            ("candidate_idcs", pa.string()),
            ("match_probability", pa.float64()),
        ]
    ),
)


@dataclass(frozen=True)
class Reconciled:
    out: Path
    extracts: Mapping[str, Path]


def reconciled(folder: Path, rows: Mapping[str, Rows]) -> Reconciled:
    from sijill.engine.reconciliation.pipeline import reconcile

    # Linkage is left out: its rows are the hand-built LINKS below.
    out = folder / "out"
    reconcile(
        write_set(folder / "in", "csv", rows), Parameters(COUNTRY_AS_OF), out, with_links=False
    )
    pq.write_table(LINKS, out / "links.parquet")
    names = ("territories", "rnp", "rsu", "amo")
    return Reconciled(out, {n: folder / "in" / f"{n}.csv" for n in names})


def load_wide_territories() -> None:
    """The back office's territories: the reference plus the country's whole tree."""
    from sijill.domain.territory import Territory
    from sijill.territories.loading import upsert
    from tests.extract_files import wide_territories_rows

    upsert(
        [
            Territory(
                code=str(r["code"]),
                parent_code=str(r["parent_code"]) if r["parent_code"] else None,
                level=str(r["level"]),
                name_ar=str(r["name_ar"]),
                name_fr=str(r["name_fr"]),
            )
            for r in wide_territories_rows()
        ],
        actor="test",
    )


def import_country(found: Reconciled) -> Run:
    from sijill.runs.lifecycle import from_directory

    return from_directory(found.out, found.extracts, actor="test")


def set_counts(run: Run, code: str, **counts: int) -> None:
    """Change some counts of a territory's row in a run (the rest kept)."""
    from sijill.runs.models import Figures

    row = Figures.objects.get(run=run, code=code)
    row.counts = {**row.counts, **counts}
    row.save(update_fields=["counts"])


def with_a_split(rows: Mapping[str, Rows]) -> dict[str, Rows]:
    """The rows, with a couple split in two single-person RSU households at one address of
    ANNEX_1 (a man and a woman of other family names): a split suspect."""
    from datetime import date

    from tests.extract_files import ANNEX_1, HASSAN, person, rsu_row

    wife = person("نادية", "التازي", "NADIA", "TAZI", "F", date(1972, 2, 14))
    husband = rsu_row("M20", "H20", None, "head", HASSAN, 6.0, annex=ANNEX_1)
    alone = rsu_row("M21", "H21", None, "head", wife, 6.0, annex=ANNEX_1)
    split = [{**husband, "address": "Derb 3, n° 7"}, {**alone, "address": "derb 3 n 7"}]
    return {**rows, "rsu": [*rows["rsu"], *split]}
