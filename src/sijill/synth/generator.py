"""Generate a synthetic country chunk by chunk: extracts in the contract, and its truth.

Memory is bounded by the chunk size, not by the country: each chunk of households is
generated, written and dropped. Everything is drawn from generators seeded by
(seed, purpose, chunk), so a seed reproduces the country exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pyarrow as pa

from sijill.synth import digits
from sijill.synth.addresses import household_addresses
from sijill.synth.amo import make_amo
from sijill.synth.config import SynthConfig
from sijill.synth.context import Chunk, annex_text
from sijill.synth.copies import card_spellings
from sijill.synth.country import Country, build_country
from sijill.synth.households import draw_sizes, make_people
from sijill.synth.namesets import Names, names
from sijill.synth.rnp import make_rnp
from sijill.synth.rsu import make_rsu
from sijill.synth.sinks import Sinks, write_table
from sijill.synth.truth import (
    Tally,
    amo_truth,
    funnel_table,
    rsu_mismatch,
    rsu_truth,
    split_clusters,
    tally_amo,
    tally_rnp,
    tally_rsu,
)

Progress = Callable[[int], None]
EXTRACT_NAMES = ("rnp", "rsu", "amo")


def territories_table(country: Country) -> pa.Table:
    t = country.territories
    return pa.table(
        {
            "code": pa.array([x.code for x in t], pa.string()),
            "parent_code": pa.array([x.parent_code or None for x in t], pa.string()),
            "level": pa.array([x.level for x in t], pa.string()),
            "name_ar": pa.array([x.name_ar for x in t], pa.string()),
            "name_fr": pa.array([x.name_fr for x in t], pa.string()),
        }
    )


def annexes_table(country: Country) -> pa.Table:
    return pa.table(
        {
            "annex_code": country.annex_codes,
            "split_anomaly": country.split,
            "split_rate": country.split_rate,
            "urban": country.urban,
            "rnp_coverage": country.rnp_coverage,
            "rsu_coverage": country.rsu_coverage,
            "amo_uptake": country.amo_uptake,
            "stale_validation": country.stale_validation,
            "score_shift": country.score_shift,
        }
    )


def _chunk(
    config: SynthConfig,
    country: Country,
    nameset: Names,
    text: pa.Array,
    index: int,
    offset: int,
    remaining: int,
) -> Chunk:
    rng = np.random.default_rng([config.seed, 100, index])
    sizes = draw_sizes(rng, config.households_per_chunk, remaining)
    people = make_people(rng, config, country, nameset, sizes, offset)
    return Chunk(
        config=config,
        country=country,
        names=nameset,
        people=people,
        rng=rng,
        idcs=digits.issued_idcs(people.person_id, config.seed),
        card=(
            card_spellings(rng, nameset.given, people.given),
            card_spellings(rng, nameset.family, people.family),
        ),
        hh_address=household_addresses(rng, len(sizes)),
        annex_text=text,
        index=index,
    )


def _write_chunk(chunk: Chunk, sinks: Sinks, tally: Tally) -> None:
    rnp = make_rnp(chunk)
    rsu = make_rsu(chunk)
    amo = make_amo(chunk, rsu)
    bad = rsu_mismatch(chunk, rnp, rsu)
    tally_rnp(tally, chunk, rnp, rsu)
    tally_rsu(tally, chunk, rsu, bad)
    tally_amo(tally, chunk, amo)
    truth = rsu_truth(chunk, rsu, bad)
    for name, table in (
        ("rnp", rnp.table),
        ("rsu", rsu.table),
        ("amo", amo.table),
        ("truth_rsu", truth),
        ("truth_amo", amo_truth(chunk, amo)),
        ("truth_splits", split_clusters(rsu.table, truth)),
    ):
        sinks[name].write(table)


def _open_sinks(sinks: Sinks, work: Path, fmt: str) -> None:
    ext = "parquet" if fmt == "parquet" else "csv"
    for name in EXTRACT_NAMES:
        sinks.add(name, work / f"{name}.{ext}", fmt)
    for name, file in (
        ("truth_rsu", "rsu_rows"),
        ("truth_amo", "amo_rows"),
        ("truth_splits", "split_clusters"),
    ):
        sinks.add(name, work / "truth" / f"{file}.parquet", "parquet")


def generate(
    config: SynthConfig, out: Path, fmt: str = "parquet", progress: Progress | None = None
) -> dict[str, object]:
    """Write the country to `out` (which must not exist or be empty); returns the manifest.

    Files are written in a sibling working directory renamed at the end, so `out` never
    holds a half-written country.
    """
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    work = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    started = time.perf_counter()
    country, nameset = build_country(config), names()
    text, tally = annex_text(country, config.seed), Tally(country.size)
    try:
        with Sinks() as sinks:
            _open_sinks(sinks, work, fmt)
            index = offset = 0
            while offset < config.persons:
                chunk = _chunk(
                    config, country, nameset, text, index, offset, config.persons - offset
                )
                _write_chunk(chunk, sinks, tally)
                offset += chunk.people.n_persons
                index += 1
                if progress:
                    progress(offset)
            rows = sinks.rows()
        manifest = _finish(config, country, tally, work, fmt, rows, started)
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _finish(
    config: SynthConfig,
    country: Country,
    tally: Tally,
    work: Path,
    fmt: str,
    rows: dict[str, int],
    started: float,
) -> dict[str, object]:
    ext = "parquet" if fmt == "parquet" else "csv"
    write_table(territories_table(country), work / f"territories.{ext}", fmt)
    write_table(annexes_table(country), work / "truth" / "annexes.parquet", "parquet")
    write_table(
        funnel_table(tally, country.territories, country.annex_codes),
        work / "truth" / "funnel.parquet",
        "parquet",
    )
    settings = asdict(config)
    settings["as_of"] = config.as_of.isoformat()
    manifest: dict[str, object] = {
        "generator": "sijill synth",
        "format": fmt,
        "config": settings,
        "rows": {"territories": len(country.territories), **rows},
        "annexes": country.size,
        "split_annexes": int(country.split.sum()),
        "other_findings": tally.other,
        "seconds": round(time.perf_counter() - started, 3),
    }
    (work / "truth" / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
