"""`sijill export`: the registers as contract extracts (Parquet) that `sijill validate` accepts.

Each extract is written from one query, column for column in the contract's order and
native types, in batches, so memory stays flat whatever the register's size.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from sijill.domain.contract import BOOLEAN, DATE, EXTRACTS, FLOAT, TIMESTAMP
from sijill.registry import models
from sijill.registry.registers import PERSON, exchanged_local
from sijill.territories.models import Territory

BATCH = 5000
# The extract names double as labels on the command line; marked here for translation.
NAMES = (
    gettext_noop("territories"),
    gettext_noop("rnp"),
    gettext_noop("rsu"),
    gettext_noop("amo"),
)
_ARROW = {
    DATE: pa.date32(),
    TIMESTAMP: pa.timestamp("us"),
    BOOLEAN: pa.bool_(),
    FLOAT: pa.float64(),
}


def export_registers(folder: Path) -> dict[str, int]:
    """Write territories, rnp, rsu and amo .parquet into `folder`; returns rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: _write(folder / f"{name}.parquet", name, rows) for name, rows in _queries()}


def _queries() -> Iterator[tuple[str, QuerySet[Any]]]:
    yield (
        "territories",
        Territory.objects.order_by("code").values_list(
            "code", "parent_id", "level", "name_ar", "name_fr"
        ),
    )
    yield (
        "rnp",
        models.Person.objects.order_by("idcs").values_list(
            "idcs",
            "cin",
            *PERSON,
            "nationality",
            "annex_code",
            "address",
            "registered_at",
            "deceased",
        ),
    )
    yield (
        "rsu",
        models.Member.objects.order_by("member_id").values_list(
            "member_id",
            "household__household_id",
            "idcs",
            "relation",
            *PERSON,
            "household__annex_code",
            "household__address",
            "household__score",
            "declared_at",
        ),
    )
    yield ("amo", _amo_rows())


def _amo_rows(amo_file_ids: Collection[str] | None = None) -> QuerySet[Any]:
    rows = models.Beneficiary.objects.all()
    if amo_file_ids is not None:
        rows = rows.filter(file__amo_file_id__in=list(amo_file_ids))
    return rows.order_by("beneficiary_id").values_list(
        "beneficiary_id",
        "file__amo_file_id",
        "file__household_id",
        "idcs",
        "relation",
        *PERSON,
        "file__annex_code",
        "file__status",
        "rejection_reason",
        "file__deposited_at",
        "file__validated_at",
        "file__transmitted_at",
        "file__decided_at",
    )


def export_amo(path: Path, amo_file_ids: Collection[str]) -> int:
    """One contract `amo` extract with only these files: what a batch sends to CNSS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write(path, "amo", _amo_rows(amo_file_ids))


def _schema(name: str) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, _ARROW.get(c.kind, pa.string())) for c in EXTRACTS[name].columns]
    )


def _write(path: Path, name: str, rows: QuerySet[Any]) -> int:
    schema = _schema(name)
    timestamps = [i for i, c in enumerate(EXTRACTS[name].columns) if c.kind == TIMESTAMP]
    written = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(rows.iterator(chunk_size=BATCH), timestamps):
            columns = zip(*batch, strict=True)
            arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            written += len(batch)
        if written == 0:
            writer.write_table(schema.empty_table())
    return written


def _batches(rows: Iterable[tuple[Any, ...]], timestamps: list[int]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        values = list(row)
        for i in timestamps:
            values[i] = exchanged_local(values[i])
        batch.append(values)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
