"""Exact money in the database, on PostgreSQL and on SQLite alike.

Money is stored as DECIMAL(14, 2). PostgreSQL keeps that exactly. SQLite has no decimal type: a
DECIMAL column has NUMERIC affinity, so 109000.01 is stored as the nearest binary float, and SQL
arithmetic on it is float arithmetic (54500.01 + 54500.00 ≠ 109000.01 there). Reading a single
column back is still exact — Django rounds it to the column's two places, and 14 digits fit in a
float's 15 — but comparing or summing inside SQL is not.

The decision: keep Decimal columns (exact in PostgreSQL, exact when read in Python on both), and
whenever SQL itself compares or adds money — check constraints, SUM — do it in whole fen:
ROUND(amount * 100). A float holds every integer up to 2**53 exactly, far beyond 14 digits of fen,
so the rounded fen are the exact fen, and sums of them are exact integers. `MoneySum` and
`MoneyTotal` return Decimal with two places on both databases.
"""

from decimal import Decimal

from django.db.models import DecimalField, F, IntegerField, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round

FEN = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def in_fen(expression):
    """The amount in whole fen as SQL computes it exactly (a field name or an expression)."""
    if isinstance(expression, str):
        expression = F(expression)
    return Round(expression * Value(100))


def _quantized(value, expression, connection):
    return None if value is None else Decimal(value).quantize(FEN)


class MoneySum(Sum):
    """SUM of money to the exact fen: of whole fen as integers on SQLite, of numeric on PostgreSQL.

    SQLite returns the integer fen divided by 100 as a float, which holds ≤ 15 significant digits
    exactly; the result is a Decimal with two places on both databases.
    """

    def __init__(self, expression, **extra):
        extra.setdefault("output_field", MONEY)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        (source,) = clone.get_source_expressions()[:1]
        clone.set_source_expressions([Cast(in_fen(source), IntegerField())] + clone.get_source_expressions()[1:])
        sql, params = super(MoneySum, clone).as_sql(compiler, connection, **extra_context)
        return f"({sql} / 100.0)", params

    @property
    def convert_value(self):
        return _quantized


class MoneyCoalesce(Coalesce):
    """COALESCE read back as money with two places (around a Subquery of a MoneySum, say)."""

    def __init__(self, *expressions, **extra):
        extra.setdefault("output_field", MONEY)
        super().__init__(*expressions, **extra)

    @property
    def convert_value(self):
        return _quantized


class MoneyTotal(MoneyCoalesce):
    """``MoneySum`` with 0.00 for no rows."""

    def __init__(self, expression, **extra):
        super().__init__(MoneySum(expression), Value(Decimal("0.00")), **extra)


def fen_sql(column: str) -> str:
    """`in_fen` for plain SQL (a cursor's statement): the column's amount in whole fen, as an integer."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def from_fen(fen) -> Decimal | None:
    """Whole fen as plain SQL returns them (int, float or numeric) → Decimal with two places."""
    return None if fen is None else (Decimal(int(fen)) / 100).quantize(FEN)


__all__ = ["FEN", "MONEY", "MoneyCoalesce", "MoneySum", "MoneyTotal", "fen_sql", "from_fen", "in_fen"]
