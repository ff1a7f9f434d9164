"""What linkage compares: one feature row per unresolved rsu/amo row and per RNP person.

Both sides get the same columns (`FEATURES`), so one model serves the registers and any
other source mapped onto them (the FEBRL benchmark files do exactly that):

| column | meaning |
|---|---|
| uid | `rsu:<member_id>`, `amo:<beneficiary_id>`, or the RNP `idcs` |
| idcs | the identifier written on the row |
| id_near | rows: an RNP identifier one digit away from `idcs`; RNP: its own `idcs` |
| fn_ar, ln_ar | Arabic first / family name after the contract's normalization |
| fn_sk, ln_sk | their consonant skeletons (`domain.namekeys.arabic_skeleton`) |
| fn_lk, ln_lk | Latin keys of the Latin spellings |
| fn_tk, ln_tk | Latin keys of the Arabic names transliterated, for cross-script matches |
| fn_lt, ln_lt | the Latin spellings as written, upper case (typing errors the keys split) |
| sex, birth_date, birth_year | |
| annex_code, commune_code, province_code | the place, up the territory tree |

Name keys are computed in Python on the distinct spellings (a register has thousands of
distinct names for millions of rows) and joined back. The SQL is DuckDB's, and runs on Spark
translated like every other statement (engine/spark/transpile.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from sijill.domain.namekeys import arabic_skeleton, latin_key, transliterate
from sijill.domain.names import normalize_arabic

if TYPE_CHECKING:
    from sijill.engine.backends import Connection

FEATURES = (
    "uid", "idcs", "id_near", "fn_ar", "ln_ar", "fn_sk", "ln_sk", "fn_lk", "ln_lk",
    "fn_tk", "ln_tk", "sex", "birth_date", "birth_year", "annex_code", "commune_code",
    "province_code", "fn_lt", "ln_lt",
)  # fmt: skip

# Rows whose identifier is missing or unknown to the RNP: the ones `links` is about.
UNRESOLVED = """CREATE OR REPLACE TEMP TABLE lk_source AS
    SELECT 'rsu' AS source, r.member_id AS row_id, r.idcs, r.first_name_ar,
           r.last_name_ar, r.first_name_lat, r.last_name_lat, r.sex, r.birth_date,
           r.annex_code
    FROM rsu r
    WHERE r.idcs IS NULL OR NOT EXISTS (SELECT 1 FROM rnp p WHERE p.idcs = r.idcs)
    UNION ALL
    SELECT 'amo', b.beneficiary_id, b.idcs, b.first_name_ar, b.last_name_ar,
           b.first_name_lat, b.last_name_lat, b.sex, b.birth_date, b.annex_code
    FROM amo b
    WHERE b.idcs IS NULL OR NOT EXISTS (SELECT 1 FROM rnp p WHERE p.idcs = b.idcs)"""

PLACES = """CREATE OR REPLACE TEMP TABLE lk_place AS
    SELECT a.code AS annex_code, c.code AS commune_code, c.parent_code AS province_code
    FROM territories a JOIN territories c ON c.code = a.parent_code
    WHERE a.level = 'annex'"""


def _positions(first: int, last: int) -> str:
    """The integers first..last as a table `(i)`: a VALUES list both engines read alike."""
    return "(VALUES " + ", ".join(f"({i})" for i in range(first, last + 1)) + ")"


# The ten digits as text, to be put into an identifier.
DIGITS = "(VALUES " + ", ".join(f"('{d}')" for d in range(10)) + ")"


def near_ids_sql(rows: str, register: str) -> str:
    """Per identifier written in `rows`, the nearest identifier of `register`.

    The identifier itself when the register holds it, else one of Damerau–Levenshtein
    distance 1 — the ways a 10-digit identifier gets mistyped: one digit changed, two
    neighbours swapped, one dropped or one added — the smallest when several are.
    """
    # Only variants of a length the register holds are worth generating: for a register of
    # 10-digit identifiers, a 10-digit one is changed or swapped, a 9-digit one completed.
    return f"""
    WITH lengths AS (SELECT DISTINCT length(idcs) AS n FROM {register}),
    v AS (SELECT DISTINCT idcs, length(idcs) AS n FROM {rows} WHERE idcs IS NOT NULL),
    variants AS (
        SELECT v.idcs, v.idcs AS near, 0 AS distance FROM v
        UNION ALL
        SELECT v.idcs, substr(v.idcs, 1, i - 1) || d || substr(v.idcs, i + 1), 1
        FROM v, {_positions(1, 11)} p(i), {DIGITS} q(d)
        WHERE i <= v.n AND v.n IN (SELECT n FROM lengths)
        UNION ALL
        SELECT v.idcs, substr(v.idcs, 1, i - 1) || substr(v.idcs, i + 1, 1)
                       || substr(v.idcs, i, 1) || substr(v.idcs, i + 2), 1
        FROM v, {_positions(1, 10)} p(i) WHERE i < v.n AND v.n IN (SELECT n FROM lengths)
        UNION ALL
        SELECT v.idcs, substr(v.idcs, 1, i) || d || substr(v.idcs, i + 1), 1
        FROM v, {_positions(0, 11)} p(i), {DIGITS} q(d)
        WHERE i <= v.n AND v.n + 1 IN (SELECT n FROM lengths)
        UNION ALL
        SELECT v.idcs, substr(v.idcs, 1, i - 1) || substr(v.idcs, i + 1), 1
        FROM v, {_positions(1, 11)} p(i) WHERE i <= v.n AND v.n - 1 IN (SELECT n FROM lengths))
    SELECT x.idcs, arg_min(p.idcs, (x.distance, p.idcs)) AS id_near
    FROM variants x JOIN {register} p ON p.idcs = x.near
    WHERE x.distance = 0 OR x.near <> x.idcs
    GROUP BY x.idcs"""


def _arabic_keys(spellings: list[str]) -> pa.Table:
    return pa.table(
        {
            "spelling": spellings,
            "norm": [normalize_arabic(s) or None for s in spellings],
            "skel": [arabic_skeleton(s) or None for s in spellings],
            "cross": [latin_key(transliterate(s)) or None for s in spellings],
        }
    )


def _latin_keys(spellings: list[str]) -> pa.Table:
    return pa.table({"spelling": spellings, "lkey": [latin_key(s) or None for s in spellings]})


def _distinct(con: Connection, columns: tuple[str, str]) -> list[str]:
    parts = " UNION ".join(
        f"SELECT {c} AS v FROM {t}" for t in ("rnp", "lk_source") for c in columns
    )
    rows = con.execute(f"SELECT v FROM ({parts}) WHERE v IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def build_name_keys(con: Connection) -> None:
    """`lk_ar` and `lk_lat`: every distinct spelling of the RNP and the rows, with its keys."""
    arabic = _arabic_keys(_distinct(con, ("first_name_ar", "last_name_ar")))
    latin = _latin_keys(_distinct(con, ("first_name_lat", "last_name_lat")))
    for name, table in (("lk_ar", arabic), ("lk_lat", latin)):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def features_sql(table: str, uid: str, id_near: str) -> str:
    """The feature columns of a table holding the contract's person columns."""
    return f"""SELECT {uid} AS uid, t.idcs, {id_near} AS id_near,
               fa.norm AS fn_ar, la.norm AS ln_ar, fa.skel AS fn_sk, la.skel AS ln_sk,
               fl.lkey AS fn_lk, ll.lkey AS ln_lk, fa.cross AS fn_tk, la.cross AS ln_tk,
               t.sex, t.birth_date, year(t.birth_date) AS birth_year, t.annex_code,
               pl.commune_code, pl.province_code,
               upper(t.first_name_lat) AS fn_lt, upper(t.last_name_lat) AS ln_lt
        FROM {table} t
        LEFT JOIN lk_ar fa ON fa.spelling = t.first_name_ar
        LEFT JOIN lk_ar la ON la.spelling = t.last_name_ar
        LEFT JOIN lk_lat fl ON fl.spelling = t.first_name_lat
        LEFT JOIN lk_lat ll ON ll.spelling = t.last_name_lat
        LEFT JOIN lk_place pl ON pl.annex_code = t.annex_code"""


def name_counts_sql(table: str) -> dict[str, str]:
    """How many persons of `table` carry each normalized Arabic first / family name.

    Counted on the written spellings (one GROUP BY each, no join over the table) and folded
    through `lk_ar`, so it costs a scan, not a feature computation per person.
    """
    return {
        feature: f"""SELECT a.norm AS {feature}, sum(c.n) AS n
            FROM (SELECT {column} AS v, count(*) AS n FROM {table} GROUP BY 1) c
            JOIN lk_ar a ON a.spelling = c.v GROUP BY 1"""
        for feature, column in (("fn_ar", "first_name_ar"), ("ln_ar", "last_name_ar"))
    }


def build_rows(con: Connection) -> int:
    """`lk_source` (the unresolved rows as written) and `lk_rows` (their features)."""
    con.execute(UNRESOLVED)
    con.execute(PLACES)
    con.execute(f"CREATE OR REPLACE TEMP TABLE lk_near AS {near_ids_sql('lk_source', 'rnp')}")
    build_name_keys(con)
    rows = features_sql(
        "(SELECT s.*, n.id_near FROM lk_source s LEFT JOIN lk_near n USING (idcs))",
        "t.source || ':' || t.row_id",
        "t.id_near",
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE lk_rows AS {rows}")
    return int(con.execute("SELECT count(*) FROM lk_rows").fetchall()[0][0])


def rnp_features() -> str:
    """The features of every RNP person, as a query (filtered before anything stores it)."""
    return features_sql("rnp", "t.idcs", "t.idcs")
