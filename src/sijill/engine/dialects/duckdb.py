"""DuckDB's spelling of the engine-specific SQL fragments (see `sijill.engine.dialects`)."""

from __future__ import annotations

from sijill.domain.names import name_key_sql, normalize_arabic_sql


class DuckDBDialect:
    name = "duckdb"

    def name_key(self, first: str, last: str) -> str:
        return name_key_sql(first, last)

    def days_between(self, start: str, end: str) -> str:
        return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"

    def date_literal(self, iso: str) -> str:
        return f"DATE '{iso}'"

    def address_key(self, expr: str) -> str:
        # Letters and digits of any script survive; accents and Arabic-Indic digits fold.
        folded = f"translate(strip_accents(upper({expr})), '٠١٢٣٤٥٦٧٨٩', '0123456789')"
        return f"trim(regexp_replace({folded}, '[^\\pL\\pN]+', ' ', 'g'))"

    def latin_family_key(self, expr: str) -> str:
        letters = f"regexp_replace(upper({expr}), '[^A-Z]', '', 'g')"
        return f"regexp_replace({letters}, '^(EL|AL|ES|ET|EZ|ER|EN)(.)', '\\2')"

    def normalize_arabic(self, expr: str) -> str:
        return normalize_arabic_sql(expr)

    def text_hash(self, expr: str) -> str:
        return f"hash({expr})"

    def fail_when(self, query: str, message: str) -> str:
        quoted = message.replace("'", "''")
        return f"SELECT CASE WHEN EXISTS ({query}) THEN error('{quoted}') END"
