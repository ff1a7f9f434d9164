"""One DuckDB database per process for the back office's reads of a run's files (work lists,
the what-if), each read on a cursor of its own.

Opening a database costs 13 ms, and each query would read the Parquet file's metadata again
(6 ms for a national run's 730 MB of findings): a page makes several reads. One database
kept for the process, with DuckDB's object cache on, opens nothing and reads each file's
metadata once — again when the file changes, as DuckDB compares its modification time.
Reads are small (one annex): the database's memory is capped low.
"""

from __future__ import annotations

import threading

import duckdb

MEMORY = "1GB"
_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []


def reader() -> duckdb.DuckDBPyConnection:
    """A cursor of the process's reading database (close it, or use it in `with`)."""
    with _lock:
        if not _database:
            con = duckdb.connect()
            con.execute("SET enable_object_cache = true")
            con.execute(f"SET memory_limit = '{MEMORY}'")
            con.execute("SET enable_progress_bar = false")
            _database.append(con)
        return _database[0].cursor()
