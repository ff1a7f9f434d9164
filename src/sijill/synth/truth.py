"""What the generator knows: the true person behind each row and the funnel to expect.

Counts follow the contract's definitions (docs/extracts.md) with the default parameters
(threshold of the config, validation_days=1, cnss_days=30), computed from the generator's
own bookkeeping of the values it wrote, so they check the engine independently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sijill.domain.contract import (
    DEFAULT_CNSS_DAYS,
    DEFAULT_VALIDATION_DAYS,
    FUNNEL_COLUMNS,
    FUNNEL_COUNTS,
)
from sijill.domain.territory import Territory
from sijill.synth import digits
from sijill.synth.amo import AmoPart
from sijill.synth.context import Chunk
from sijill.synth.copies import ID_STATES, Copy, mismatch
from sijill.synth.rnp import RnpPart
from sijill.synth.rsu import RsuPart, id_ok
from sijill.synth.timeline import ACCEPTED, REJECTED, sla_breached, stale

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

COUNTS = FUNNEL_COUNTS


@dataclass
class Tally:
    """Per-annex counts accumulated over chunks, plus totals of the other finding kinds."""

    n_annex: int
    counts: dict[str, Ints] = field(default_factory=dict)
    other: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, annex: Ints, where: Bools | None = None) -> None:
        chosen = annex if where is None else annex[where]
        known = chosen[chosen < self.n_annex]
        found = np.bincount(known, minlength=self.n_annex)
        self.counts[name] = self.counts.get(name, np.zeros(self.n_annex, np.int64)) + found

    def add_other(self, name: str, count: int) -> None:
        self.other[name] = self.other.get(name, 0) + int(count)


def _true_idcs(chunk: Chunk, copy: Copy) -> pa.Array:
    registered = chunk.people.registered[copy.persons]
    return digits.to_strings(chunk.idcs[copy.persons], ~registered)


def _row_truth(chunk: Chunk, copy: Copy, ids: pa.Array, id_name: str) -> dict[str, pa.Array]:
    return {
        id_name: ids,
        "person_id": pa.array(chunk.people.person_id[copy.persons]),
        "true_idcs": _true_idcs(chunk, copy),
        "idcs_state": pc.take(pa.array(ID_STATES), copy.id_state),
        "arabic_variant": pa.array(copy.arabic_variant),
        "name_error": pa.array(copy.name_error),
        "latin_variant": pa.array(copy.latin_variant),
        "birth_date_error": pa.array(copy.birth_error),
        "sex_error": pa.array(copy.sex_error),
    }


def tally_rnp(tally: Tally, chunk: Chunk, rnp: RnpPart, rsu: RsuPart) -> None:
    in_rsu = np.zeros(chunk.people.n_persons, bool)
    in_rsu[rsu.copy.persons[id_ok(rsu.copy)]] = True
    persons = rnp.copy.persons
    living = ~chunk.people.deceased[persons]
    tally.add("rnp_persons", rnp.annex, living)
    tally.add("rnp_in_rsu", rnp.annex, living & in_rsu[persons])
    tally.add_other("UNKNOWN_TERRITORY_rnp", int((rnp.annex >= tally.n_annex).sum()))


def rsu_mismatch(chunk: Chunk, rnp: RnpPart, rsu: RsuPart) -> Bools:
    ok = np.flatnonzero(id_ok(rsu.copy))
    found = np.zeros(len(rsu.unit), bool)
    rnp_rows = rnp.row_of_person[rsu.copy.persons[ok]]
    found[ok] = mismatch(rsu.copy, ok, rnp.copy, rnp_rows, chunk.names)
    return found


def tally_rsu(tally: Tally, chunk: Chunk, rsu: RsuPart, bad: Bools) -> None:
    row_annex = rsu.unit_annex[rsu.unit]
    ok = id_ok(rsu.copy)
    size = np.bincount(rsu.unit, minlength=len(rsu.unit_hh))
    eligible = rsu.unit_score <= chunk.config.threshold
    tally.add("rsu_households", rsu.unit_annex)
    tally.add("rsu_persons", row_annex)
    tally.add("rsu_id_unknown", row_annex, ~ok)
    tally.add("rsu_mismatch", row_annex, bad)
    tally.add("rsu_single_households", rsu.unit_annex, size == 1)
    tally.add("eligible_households", rsu.unit_annex, eligible)
    tally.add("eligible_persons", row_annex, eligible[rsu.unit])
    persons = rsu.copy.persons
    twice = np.bincount(persons[ok], minlength=chunk.people.n_persons) >= 2
    tally.add_other("RSU_DUPLICATE_MEMBER", int((ok & twice[persons]).sum()))
    tally.add_other("RSU_DECEASED_MEMBER", int((ok & chunk.people.deceased[persons]).sum()))
    tally.add_other("UNKNOWN_TERRITORY_rsu", int((row_annex >= tally.n_annex).sum()))


def tally_amo(tally: Tally, chunk: Chunk, amo: AmoPart) -> None:
    row_annex = amo.file_annex[amo.file]
    status = amo.timeline.status
    tally.add("amo_files", amo.file_annex)
    tally.add("amo_beneficiaries", row_annex)
    tally.add("amo_not_in_rsu", row_annex, amo.not_in_rsu)
    tally.add("amo_mismatch", row_annex, amo.mismatch)
    tally.add("amo_ineligible", row_annex, amo.ineligible)
    tally.add(
        "amo_pending_stale",
        amo.file_annex,
        stale(amo.timeline, chunk.as_of_day, DEFAULT_VALIDATION_DAYS),
    )
    tally.add(
        "amo_sla_breached",
        amo.file_annex,
        sla_breached(amo.timeline, chunk.as_of_day, DEFAULT_CNSS_DAYS),
    )
    tally.add("amo_accepted", amo.file_annex, status == ACCEPTED)
    tally.add("amo_rejected", amo.file_annex, status == REJECTED)
    tally.add_other("UNKNOWN_TERRITORY_amo", int((row_annex >= tally.n_annex).sum()))


def rsu_truth(chunk: Chunk, rsu: RsuPart, bad: Bools) -> pa.Table:
    cluster = digits.prefixed("S", chunk.people.person_id[chunk.people.hh_start[rsu.unit_hh]], 10)
    in_split = rsu.unit_split[rsu.unit]
    return pa.table(
        {
            **_row_truth(chunk, rsu.copy, rsu.table["member_id"].combine_chunks(), "member_id"),
            "mismatch": pa.array(bad),
            "deceased": pa.array(chunk.people.deceased[rsu.copy.persons]),
            "duplicate": pa.array(rsu.duplicate),
            "split_cluster": pc.if_else(
                pa.array(in_split), pc.take(cluster, rsu.unit), pa.scalar(None, pa.string())
            ),
        }
    )


def amo_truth(chunk: Chunk, amo: AmoPart) -> pa.Table:
    ids = amo.table["beneficiary_id"].combine_chunks()
    return pa.table(
        {
            **_row_truth(chunk, amo.copy, ids, "beneficiary_id"),
            "extra": pa.array(amo.extra),
            "not_in_rsu": pa.array(amo.not_in_rsu),
            "mismatch": pa.array(amo.mismatch),
            "ineligible": pa.array(amo.ineligible),
        }
    )


def split_clusters(rsu_rows: pa.Table, truth_rows: pa.Table) -> pa.Table:
    """cluster_id, household_id, idcs, annex_code of each member household of a split."""
    joined = pa.table(
        {
            "cluster_id": truth_rows["split_cluster"],
            "household_id": rsu_rows["household_id"],
            "idcs": rsu_rows["idcs"],
            "annex_code": rsu_rows["annex_code"],
            "person_id": truth_rows["person_id"],
        }
    )
    return joined.filter(pc.is_valid(joined["cluster_id"]))


def funnel_table(tally: Tally, territories: list[Territory], annex_codes: list[str]) -> pa.Table:
    """The expected funnel at every level and nationally; parents sum their children."""
    row_of = {t.code: i for i, t in enumerate(territories)}
    sums = {name: np.zeros(len(territories) + 1, np.int64) for name in COUNTS}
    for a, code in enumerate(annex_codes):
        chain, node = [], territories[row_of[code]]
        while True:
            chain.append(row_of[node.code])
            if not node.parent_code:
                break
            node = territories[row_of[node.parent_code]]
        for name in COUNTS:
            sums[name][[*chain, len(territories)]] += tally.counts.get(
                name, np.zeros(len(annex_codes), np.int64)
            )[a]
    rows = [*territories, Territory("ALL", None, "national", "المغرب", "Maroc")]
    hh = sums["rsu_households"]
    share = np.where(hh > 0, sums["rsu_single_households"] / np.maximum(hh, 1), np.nan)
    columns: dict[str, pa.Array] = {
        "code": pa.array([t.code for t in rows]),
        "level": pa.array([t.level for t in rows]),
        "name_fr": pa.array([t.name_fr for t in rows]),
        "name_ar": pa.array([t.name_ar for t in rows]),
        **{name: pa.array(values) for name, values in sums.items()},
        "rnp_not_in_rsu": pa.array(sums["rnp_persons"] - sums["rnp_in_rsu"]),
        "rsu_single_share": pa.array(share, mask=hh == 0),
    }
    return pa.table({name: columns[name] for name in FUNNEL_COLUMNS})
