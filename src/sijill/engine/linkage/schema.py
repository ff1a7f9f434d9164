"""The contract's `links` output. Probabilistic linkage fills it; until then it is empty.

`--no-links` and an engine without linkage both write this schema with no rows, so readers
never meet a missing file.
"""

from __future__ import annotations

EMPTY = """CREATE OR REPLACE TABLE links (
    source VARCHAR, row_id VARCHAR, row_idcs VARCHAR, candidate_idcs VARCHAR,
    match_probability DOUBLE)"""


def statements() -> list[str]:
    return [EMPTY]
