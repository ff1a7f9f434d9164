"""Streaming writers: append Arrow tables chunk by chunk to one Parquet or CSV file."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = ("parquet", "csv")


class TableSink:
    """One output file; created on the first write so its schema is the tables' schema."""

    def __init__(self, path: Path, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
        self.path, self.format, self.rows = path, fmt, 0
        self._writer: pq.ParquetWriter | pacsv.CSVWriter | None = None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = (
                pq.ParquetWriter(self.path, table.schema, compression="zstd")
                if self.format == "parquet"
                else pacsv.CSVWriter(self.path, table.schema)
            )
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self, empty_schema: pa.Schema | None = None) -> None:
        if self._writer is None and empty_schema is not None:
            self.write(empty_schema.empty_table())
        if self._writer is not None:
            self._writer.close()


class Sinks:
    """Named sinks closed together, so an error never leaves a file half-open."""

    def __init__(self) -> None:
        self._sinks: dict[str, TableSink] = {}

    def add(self, name: str, path: Path, fmt: str) -> TableSink:
        self._sinks[name] = TableSink(path, fmt)
        return self._sinks[name]

    def __getitem__(self, name: str) -> TableSink:
        return self._sinks[name]

    def rows(self) -> dict[str, int]:
        return {name: sink.rows for name, sink in self._sinks.items()}

    def __enter__(self) -> Sinks:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for sink in self._sinks.values():
            sink.close()


def write_table(table: pa.Table, path: Path, fmt: str) -> None:
    sink = TableSink(path, fmt)
    sink.write(table)
    sink.close()
