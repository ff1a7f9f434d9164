"""The DuckDB connection every engine job uses: quiet, bounded in memory, able to spill.

Memory: DuckDB takes up to 80 % of the machine by default and keeps what it takes. The
engine caps it (SIJILL_MEMORY_LIMIT, e.g. "8GB"; default 40 % of physical memory) and
spills the rest to disk, so a national run leaves room for the rest of the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from sijill.domain.message import Message, Refused
from sijill.engine.extracts.sources import sql_string

ENV_MEMORY = "SIJILL_MEMORY_LIMIT"
DEFAULT_SHARE = 0.4


def default_memory_limit() -> str:
    configured = os.environ.get(ENV_MEMORY, "").strip()
    if configured:
        return configured
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, int(total * DEFAULT_SHARE / 2**20))}MB"


def connect(
    spill: Path | None = None, memory_limit: str | None = None, database: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection to a database in memory, or in the file `database` (whose tables, unlike
    an in-memory database's, can leave memory when they outgrow the cap)."""
    con = duckdb.connect(str(database) if database is not None else ":memory:")
    # A progress bar of DuckDB's own would garble ours and CI logs.
    con.execute("SET enable_progress_bar = false")
    limit = memory_limit or default_memory_limit()
    try:
        con.execute(f"SET memory_limit = {sql_string(limit)}")
    except duckdb.Error as exc:
        con.close()
        message = Message(
            "{name}={value} is not a memory size such as 8GB",
            {"name": ENV_MEMORY, "value": repr(limit)},
        )
        raise Refused(message) from exc
    if spill is not None:
        con.execute(f"SET temp_directory = {sql_string(str(spill))}")
    return con
