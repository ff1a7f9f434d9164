"""Working tables: each RSU and AMO row, household and file once, with what the definitions
ask of it; of the RNP, the largest extract, only its living persons per annex and those on
no RSU row.

Every later stage (funnel, findings, anomalies, splits) reads these, so each contract
definition — a known annex, an identifier found in the RNP, a field mismatch, a stale file —
is computed in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijill.engine.dialects import Dialect
from sijill.engine.params import Parameters

TABLES = (
    "w_annex",
    "w_spelling",
    "w_rnp_annex",
    "w_rnp_lost",
    "w_rsu",
    "w_household",
    "w_amo",
    "w_file",
)


@dataclass(frozen=True, slots=True)
class Sql:
    """The working tables' SQL for one set of parameters and one engine."""

    params: Parameters
    dialect: Dialect

    @property
    def as_of(self) -> str:
        return self.dialect.date_literal(self.params.as_of.isoformat())

    @property
    def threshold(self) -> str:
        return repr(float(self.params.threshold))

    def name_hashes(self, alias: str) -> str:
        """`first_h` and `last_h`: the written Arabic names of rows `alias` as 64-bit hashes.

        Working tables carry hashes, not names: copying millions of name strings out of the
        extracts was the largest cost of building them. `spellings` proves that no two
        spellings of the run share a hash, so equal hashes are equal text.
        """
        h = self.dialect.text_hash
        return f"{h(alias + '.first_name_ar')} AS first_h, {h(alias + '.last_name_ar')} AS last_h"

    def differs(self, a: str, b: str) -> str:
        """The contract's field mismatch of rows `a` and `b`, one flag per field.

        `name_differs` starts as "the written names differ" and is settled by
        `settle_names`: equal text has an equal key, and most rows agree.
        """
        same_text = f"{a}.first_h = {b}.first_h AND {a}.last_h = {b}.last_h"
        return (
            f"{a}.sex <> {b}.sex AS sex_differs, "
            f"{a}.birth_date <> {b}.birth_date AS birth_differs, "
            f"{b}.first_h AS ref_first_h, {b}.last_h AS ref_last_h, "
            f"NOT ({same_text}) AS name_differs"
        )

    def spellings(self) -> list[str]:
        """Every Arabic name spelling of the run once, with its hash and its normalized key.

        A country has a few thousand distinct names for millions of rows: grouping each name
        column first is cheap, and the costly normalization runs once per spelling.
        """
        columns = [
            f"SELECT {column} AS v FROM {extract} GROUP BY {column}"
            for extract in ("rnp", "rsu", "amo")
            for column in ("first_name_ar", "last_name_ar")
        ]
        fold, h = self.dialect.normalize_arabic("v"), self.dialect.text_hash("v")
        return [
            f"""CREATE OR REPLACE TABLE w_spelling AS
                SELECT v, {h} AS h, {fold} AS k FROM ({" UNION ".join(columns)}) s
                WHERE v IS NOT NULL""",
            self.dialect.fail_when(
                "SELECT h FROM w_spelling GROUP BY h HAVING count(*) > 1",
                "two Arabic name spellings share a 64-bit hash: names cannot be compared "
                "by hash in this run (a one in billions event; please report it)",
            ),
        ]

    def settle_names(self, table: str) -> list[str]:
        """Compare name keys where the written names differ, from each spelling's key.

        The key of a full name is its two normalized parts joined by one space.
        """
        hashes = ("first_h", "last_h", "ref_first_h", "ref_last_h")
        joins = [
            (alias, "w_spelling", f"{alias}.h = {table}.{col}")
            for alias, col in zip("abcd", hashes, strict=True)
        ]
        value = "trim(a.k || ' ' || b.k) <> trim(c.k || ' ' || d.k)"
        return [self.dialect.update(table, "name_differs", value, joins, f"{table}.name_differs")]

    def statements(self) -> list[str]:
        return [
            self.annex(),
            *self.spellings(),
            self.rnp_annex(),
            self.rnp_lost(),
            self.rsu(),
            *self.settle_names("w_rsu"),
            self.household(),
            self.amo(),
            *self.settle_names("w_amo"),
            self.file(),
        ]

    def annex(self) -> str:
        return (
            "CREATE OR REPLACE TABLE w_annex AS "
            "SELECT DISTINCT code AS annex_code FROM territories WHERE level = 'annex'"
        )

    def rnp_annex(self) -> str:
        # The RNP is the largest extract: per annex, only its living persons are counted.
        return """CREATE OR REPLACE TABLE w_rnp_annex AS
            SELECT annex_code, count(*) FILTER (WHERE NOT deceased) AS living
            FROM rnp GROUP BY annex_code"""

    def rnp_lost(self) -> str:
        # The living persons of known annexes on no RSU row, and nothing else: an anti-join
        # keeps only them, where flagging every row would copy the whole RNP.
        return """CREATE OR REPLACE TABLE w_rnp_lost AS
            SELECT p.idcs, p.annex_code FROM rnp p
            WHERE NOT p.deceased AND p.annex_code IN (SELECT annex_code FROM w_annex)
              AND NOT EXISTS (SELECT 1 FROM rsu r WHERE r.idcs = p.idcs)"""

    def rsu(self) -> str:
        return f"""CREATE OR REPLACE TABLE w_rsu AS
            SELECT r._row, r.member_id, r.household_id, r.idcs, r.annex_code,
                   r.address, r.score, r.sex, r.birth_date, r.first_h, r.last_h,
                   r.last_name_lat,
                   a.annex_code IS NOT NULL AS known,
                   p.idcs IS NOT NULL AS in_rnp,
                   coalesce(p.deceased, false) AS deceased,
                   r.score <= {self.threshold} AS eligible,
                   {self.differs("r", "p")}
            FROM (SELECT r.*, {self.name_hashes("r")} FROM rsu r) r
            LEFT JOIN w_annex a ON a.annex_code = r.annex_code
            LEFT JOIN (SELECT p.idcs, p.deceased, p.sex, p.birth_date, {self.name_hashes("p")}
                       FROM rnp p) p ON p.idcs = r.idcs"""

    def household(self) -> str:
        # A household is placed where its first row says; the contract has one annex per
        # household, and validation warns about a household spread over several.
        return f"""CREATE OR REPLACE TABLE w_household AS
            SELECT h.household_id, h.annex_code, h.members, h.score,
                   h.score <= {self.threshold} AS eligible,
                   a.annex_code IS NOT NULL AS known
            FROM (SELECT household_id, min_by(annex_code, _row) AS annex_code,
                         count(*) AS members, max(score) AS score
                  FROM w_rsu GROUP BY household_id) h
            LEFT JOIN w_annex a ON a.annex_code = h.annex_code"""

    def amo(self) -> str:
        return f"""CREATE OR REPLACE TABLE w_amo AS
            SELECT b._row, b.beneficiary_id, b.amo_file_id, b.household_id, b.idcs,
                   b.annex_code, b.sex, b.birth_date, b.first_h, b.last_h,
                   a.annex_code IS NOT NULL AS known,
                   m.member_id AS rsu_member_id,
                   m.member_id IS NULL AS not_in_rsu,
                   coalesce(h.score > {self.threshold}, false) AS ineligible,
                   h.score AS household_score,
                   {self.differs("b", "m")}
            FROM (SELECT b.*, {self.name_hashes("b")} FROM amo b) b
            LEFT JOIN w_annex a ON a.annex_code = b.annex_code
            LEFT JOIN ({self.first_rsu_rows()}) m
                   ON m.household_id = b.household_id AND m.idcs = b.idcs
            LEFT JOIN w_household h ON h.household_id = b.household_id"""

    def first_rsu_rows(self) -> str:
        """Per (household, identifier), the first RSU row: the one an AMO row is matched to.

        Only households that some AMO file names are looked at; an aggregate, not a window,
        so no sort of the whole RSU.
        """
        fields = ("member_id", "sex", "birth_date", "first_h", "last_h")
        firsts = ", ".join(f"min_by({f}, _row) AS {f}" for f in fields)
        return f"""SELECT household_id, idcs, {firsts} FROM w_rsu
                   WHERE idcs IS NOT NULL
                     AND household_id IN (SELECT household_id FROM amo)
                   GROUP BY household_id, idcs"""

    def file(self) -> str:
        days = self.dialect.days_between
        p = self.params
        return f"""CREATE OR REPLACE TABLE w_file AS
            SELECT f.*, a.annex_code IS NOT NULL AS known,
                   f.status = 'pending_validation'
                       AND {days("f.deposited_at", self.as_of)} > {p.validation_days} AS stale,
                   {days("f.deposited_at", self.as_of)} AS pending_days,
                   coalesce({days("f.transmitted_at", "f.decided_at")},
                            {days("f.transmitted_at", self.as_of)}) AS cnss_days,
                   coalesce(f.transmitted_at IS NOT NULL AND (
                       (f.decided_at IS NULL
                        AND {days("f.transmitted_at", self.as_of)} > {p.cnss_days})
                       OR {days("f.transmitted_at", "f.decided_at")} > {p.cnss_days}), false)
                       AS sla_breached
            FROM (SELECT amo_file_id, min_by(annex_code, _row) AS annex_code,
                         min_by(household_id, _row) AS household_id,
                         min_by(status, _row) AS status,
                         min_by(deposited_at, _row) AS deposited_at,
                         min_by(transmitted_at, _row) AS transmitted_at,
                         min_by(decided_at, _row) AS decided_at
                  FROM amo GROUP BY amo_file_id) f
            LEFT JOIN w_annex a ON a.annex_code = f.annex_code"""
