"""The obvious pandas way to the annex-level funnel: the alternative reconcile_scale.py measures.

Kept apart from the benchmark's plumbing; it reads only the columns it needs and
normalizes names only where the written names differ, which flatters it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any


def _name_keys(first: Any, last: Any) -> Any:
    """The contract's name key of two pandas string Series, vectorized."""
    from sijill.domain.names import FOLDED_LETTERS, REMOVED_MARKS

    table: dict[int, str | None] = {ord(ch): None for ch in REMOVED_MARKS}
    table.update({ord(src): dst for src, dst in FOLDED_LETTERS.items()})
    full = first.fillna("") + " " + last.fillna("")
    folded = full.str.normalize("NFKC").str.translate(table)
    return folded.str.replace(r"\s+", " ", regex=True).str.strip()


def _mismatch(rows: Any, other: str) -> Any:
    """Field mismatch of each row with its matched row (columns suffixed `other`)."""
    differs = (rows["sex"] != rows[f"sex{other}"]) | (
        rows["birth_date"] != rows[f"birth_date{other}"]
    )
    written = (rows["first_name_ar"] != rows[f"first_name_ar{other}"]) | (
        rows["last_name_ar"] != rows[f"last_name_ar{other}"]
    )
    names = written.copy()
    if written.any():  # equal text has an equal key: normalize only where the text differs
        w = rows[written]
        names[written] = _name_keys(w["first_name_ar"], w["last_name_ar"]) != _name_keys(
            w[f"first_name_ar{other}"], w[f"last_name_ar{other}"]
        )
    return differs | names


def pandas_annex_counts(folder: Path, as_of_day: dt.date) -> Any:
    """The annex-level funnel the obvious pandas way; one row per annex, the engine's COUNTS."""
    import pandas as pd  # type: ignore[import-untyped]

    from sijill.domain.contract import (
        DEFAULT_CNSS_DAYS,
        DEFAULT_THRESHOLD,
        DEFAULT_VALIDATION_DAYS,
    )
    from sijill.engine.reconciliation.funnel import COUNTS

    as_of = pd.Timestamp(as_of_day)
    names = ["sex", "birth_date", "first_name_ar", "last_name_ar"]
    territories = pd.read_parquet(folder / "territories.parquet", columns=["code", "level"])
    annexes = pd.Index(territories.loc[territories["level"] == "annex", "code"].unique())
    rnp = pd.read_parquet(
        folder / "rnp.parquet", columns=["idcs", "annex_code", "deceased", *names]
    )
    rsu = pd.read_parquet(
        folder / "rsu.parquet",
        columns=["member_id", "household_id", "idcs", "annex_code", "score", *names],
    )
    amo = pd.read_parquet(
        folder / "amo.parquet",
        columns=[
            "amo_file_id",
            "household_id",
            "idcs",
            "annex_code",
            "status",
            "deposited_at",
            "transmitted_at",
            "decided_at",
            *names,
        ],
    )
    parts: list[Any] = []

    # RNP persons, placed by the RNP annex.
    living = ~rnp["deceased"]
    in_rsu = rnp["idcs"].isin(rsu["idcs"].dropna())
    p = pd.DataFrame(
        {"annex_code": rnp["annex_code"], "rnp_persons": living, "rnp_in_rsu": living & in_rsu}
    )
    parts.append(p.groupby("annex_code").sum())

    # RSU rows against the RNP row of their idcs (idcs is unique in the RNP).
    r = rsu.merge(
        rnp[["idcs", *names]], on="idcs", how="left", suffixes=("", "_rnp"), indicator=True
    )
    del rnp
    in_rnp = (r["_merge"] == "both") & r["idcs"].notna()
    r_counts = pd.DataFrame(
        {
            "annex_code": r["annex_code"],
            "rsu_persons": 1,
            "rsu_id_unknown": ~in_rnp,
            "rsu_mismatch": in_rnp & _mismatch(r, "_rnp"),
            "eligible_persons": r["score"] <= DEFAULT_THRESHOLD,
        }
    )
    del r
    parts.append(r_counts.groupby("annex_code").sum())
    del r_counts

    # Households: placed by their first row, score the household's.
    households = rsu.groupby("household_id", sort=False).agg(
        annex_code=("annex_code", "first"), members=("member_id", "size"), score=("score", "max")
    )
    h = pd.DataFrame(
        {
            "annex_code": households["annex_code"],
            "rsu_households": 1,
            "rsu_single_households": households["members"] == 1,
            "eligible_households": households["score"] <= DEFAULT_THRESHOLD,
        }
    )
    parts.append(h.groupby("annex_code").sum())

    # AMO rows against the first RSU row of their household with their idcs.
    members = rsu[rsu["idcs"].notna()].drop_duplicates(["household_id", "idcs"])
    del rsu
    b = amo.drop(columns=["status", "deposited_at", "transmitted_at", "decided_at"]).merge(
        members[["household_id", "idcs", *names]],
        on=["household_id", "idcs"],
        how="left",
        suffixes=("", "_rsu"),
        indicator="_member",
    )
    del members
    b = b.merge(households[["score"]], left_on="household_id", right_index=True, how="left")
    in_rsu_row = (b["_member"] == "both") & b["idcs"].notna()
    b_counts = pd.DataFrame(
        {
            "annex_code": b["annex_code"],
            "amo_beneficiaries": 1,
            "amo_not_in_rsu": ~in_rsu_row,
            "amo_mismatch": in_rsu_row & _mismatch(b, "_rsu"),
            "amo_ineligible": b["score"] > DEFAULT_THRESHOLD,
        }
    )
    del b, households
    parts.append(b_counts.groupby("annex_code").sum())
    del b_counts

    # AMO files: status and dates are the file's (taken from its first row).
    f = amo.drop_duplicates("amo_file_id")
    del amo
    deposited = f["deposited_at"].dt.normalize()
    transmitted = f["transmitted_at"].dt.normalize()
    decided = f["decided_at"].dt.normalize()
    late = (as_of - transmitted).dt.days > DEFAULT_CNSS_DAYS
    f_counts = pd.DataFrame(
        {
            "annex_code": f["annex_code"],
            "amo_files": 1,
            "amo_pending_stale": (f["status"] == "pending_validation")
            & ((as_of - deposited).dt.days > DEFAULT_VALIDATION_DAYS),
            "amo_sla_breached": transmitted.notna()
            & ((decided.isna() & late) | ((decided - transmitted).dt.days > DEFAULT_CNSS_DAYS)),
            "amo_accepted": f["status"] == "accepted",
            "amo_rejected": f["status"] == "rejected",
        }
    )
    parts.append(f_counts.groupby("annex_code").sum())

    # Unknown annexes drop out of the reindex; annexes without rows count zero.
    counts = pd.concat(parts, axis=1).reindex(annexes).fillna(0).astype("int64")
    counts.index.name = "annex_code"
    return counts[list(COUNTS)]
