"""Column kinds from DuckDB types, and a table's ordered columns and types."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

NUMERIC, STRING, BOOLEAN, TEMPORAL, OTHER = "numeric", "string", "boolean", "temporal", "other"
EMPTY = "empty"  # a column with no values at all (DuckDB type NULL): any comparison is false

_NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                     "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL")
_TEMPORAL_PREFIXES = ("DATE", "TIMESTAMP", "TIME")


def kind_of(duckdb_type: str) -> str:
    """Map a DuckDB type name to one of numeric, string, boolean, temporal, other."""
    t = str(duckdb_type).upper().strip('"')
    if t.endswith("]") or t.startswith(("STRUCT", "MAP", "UNION")):  # lists, arrays, nested values
        return OTHER
    if t.startswith(_NUMERIC_PREFIXES):
        return NUMERIC
    if t == "BOOLEAN":
        return BOOLEAN
    if t == "NULL":
        return EMPTY
    if t.startswith(("VARCHAR", "ENUM")) or t == "UUID":
        return STRING
    if t.startswith(_TEMPORAL_PREFIXES):
        return TEMPORAL
    return OTHER


@dataclass(frozen=True)
class Schema:
    """Ordered column names and their DuckDB types."""

    columns: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, con, relation_sql: str) -> "Schema":
        """Describe a relation (a table name or a quoted query) without reading its rows."""
        rows = con.execute(f"DESCRIBE {relation_sql}").fetchall()
        return cls(tuple((r[0], r[1]) for r in rows))

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def type_of(self, column: str) -> str:
        return dict(self.columns)[column]

    def kind(self, column: str) -> str:
        return kind_of(self.type_of(column))

    def __contains__(self, column: str) -> bool:
        return column in dict(self.columns)

    def suggest(self, column: str) -> str:
        """' (did you mean ...?)' for an unknown column name, or ''."""
        names = self.names
        lower = {n.lower(): n for n in names}
        if str(column).lower() in lower:
            return f" (did you mean {lower[str(column).lower()]!r}?)"
        close = difflib.get_close_matches(str(column), names, n=1, cutoff=0.6)
        return f" (did you mean {close[0]!r}?)" if close else ""
