"""Linkage quality: precision, recall and F1 against known truth, with a precision–recall curve.

- **synth**: every rsu/amo row whose identifier is missing or unknown to the RNP, linked by
  `sijill.engine.linkage.link` on a synthetic country; a link is right when its candidate is
  the row's true person (`truth/rsu_rows`, `truth/amo_rows`). Recall counts the rows whose
  person is in the RNP; rows of persons absent from the RNP can only be wrong when linked.
- **FEBRL4 / FEBRL3** (`febrl.py`): sijill's model beside plain Splink configured as in
  Splink's own FEBRL examples, in the same run.

    python benchmarks/linkage_quality.py [--data DIR | --persons N] [--seed S]

Prints the table, writes results/linkage_quality.json and results/linkage_pr.png.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import duckdb

import febrl
from sijill.engine.database import connect
from sijill.engine.extracts.reading import load_extracts
from sijill.engine.linkage.matching import MINIMUM, link
from sijill.synth.config import SynthConfig
from sijill.synth.generator import generate

RESULTS = Path(__file__).parent / "results"
EXTRACTS = ("territories", "rnp", "rsu", "amo")
THRESHOLDS = [MINIMUM, *[t / 100 for t in range(10, 100, 5)], 0.97, 0.99, 0.995, 0.999]
TARGET_F1 = 0.98
TARGET_PRECISION = 0.99  # precision first: fewer than 1 wrong link in 100

TRUTH = """CREATE TABLE truth AS
    SELECT 'rsu' AS source, member_id AS row_id, true_idcs, idcs_state
    FROM read_parquet('{dir}/truth/rsu_rows.parquet')
    UNION ALL
    SELECT 'amo', beneficiary_id, true_idcs, idcs_state
    FROM read_parquet('{dir}/truth/amo_rows.parquet')"""

CURVE = """SELECT count(k.row_id), count(*) FILTER (WHERE k.candidate_idcs = t.true_idcs),
                  count(t.true_idcs)
           FROM truth t
           LEFT JOIN (SELECT * FROM links WHERE match_probability >= ?) k USING (source, row_id)
           WHERE t.idcs_state <> 'ok'"""


def synth_curve(country: Path) -> tuple[dict[str, object], list[febrl.Score]]:
    with connect() as con:
        load_extracts(con, {n: country / f"{n}.parquet" for n in EXTRACTS})
        started = time.perf_counter()
        stats = link(con)
        seconds = time.perf_counter() - started
        con.execute(TRUTH.format(dir=country))
        curve = [_point(con, t, seconds) for t in THRESHOLDS]
    return {"rows": stats.rows, "register": stats.register, "pool": stats.pool}, curve


def _point(con: duckdb.DuckDBPyConnection, threshold: float, seconds: float) -> febrl.Score:
    predicted, right, true = con.execute(CURVE, [threshold]).fetchall()[0]
    return febrl.Score(f"synth at {threshold:g}", predicted, right, true, seconds)


def plot(curve: list[febrl.Score], sizes: dict[str, object], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4.5))
    axes.plot([s.recall for s in curve], [s.precision for s in curve], marker="o")
    for score, threshold in zip(curve, THRESHOLDS, strict=True):
        if threshold in (MINIMUM, 0.5, 0.9, 0.99):
            axes.annotate(f"{threshold:g}", (score.recall, score.precision))
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title(
        f"sijill linkage, synthetic country: {sizes['rows']:,} unresolved rows "
        f"vs {sizes['register']:,} RNP persons",
        fontsize=9,
    )
    axes.grid(True, alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def _row(score: febrl.Score) -> str:
    return (
        f"| {score.name} | {score.predicted:,} | {score.right:,} | {score.true:,} | "
        f"{score.precision:.4f} | {score.recall:.4f} | {score.f1:.4f} | {score.seconds:.1f} |"
    )


def _country(args: argparse.Namespace, scratch: Path) -> Path:
    if args.data:
        return Path(args.data)
    folder = scratch / "country"
    generate(SynthConfig(persons=args.persons, seed=args.seed), folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="an existing synthetic country (sijill synth --out)")
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        country = _country(args, Path(scratch))
        sizes, curve = synth_curve(country)
    at_half = curve[THRESHOLDS.index(0.5)]
    febrl_scores = febrl.run()
    print("| data | links | right | true | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for score in [at_half, *febrl_scores]:
        print(_row(score))
    met = at_half.f1 >= TARGET_F1 and at_half.precision >= TARGET_PRECISION
    print(
        f"synth target at 0.5, F1 >= {TARGET_F1} and precision >= {TARGET_PRECISION}: "
        f"{'met' if met else 'NOT met'}"
    )
    febrl4 = {s.name: s.f1 for s in febrl_scores if s.name.startswith("FEBRL4")}
    ours, theirs = febrl4["FEBRL4 sijill (best candidate)"], febrl4["FEBRL4 Splink example"]
    print(f"FEBRL4 target, F1 at least the baseline's: {'met' if ours >= theirs else 'NOT met'}")
    RESULTS.mkdir(exist_ok=True)
    plot(curve, sizes, RESULTS / "linkage_pr.png")
    record = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "synth": {"country": str(country), **sizes},
        "curve": [{"threshold": t, **vars(s)} for t, s in zip(THRESHOLDS, curve, strict=True)],
        "febrl": [vars(s) for s in febrl_scores],
    }
    (RESULTS / "linkage_quality.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
