"""A page of a list and the list's total, read from the database in one statement.

Paging usually takes two queries, the page and then `COUNT(*)`, each a round trip to the
database. Here the count rides along as a scalar subquery in the page's own SELECT:

    SELECT id, name, ..., (SELECT COUNT(*) FROM items_item) AS list_total
    FROM items_item ORDER BY id LIMIT 10 OFFSET 20

The subquery does not depend on the row, so the database counts once, with the cheapest plan
it has for a count (a window function, COUNT(*) OVER (), would read every row of the list
before returning the first). A page past the end of the list has no row to carry the total:
only then is it counted on its own, a second statement.
"""

from typing import Any, cast

from django.db.models import Count, Model, QuerySet, Subquery, Value

# The name of the annotation that carries the total on each row of a page.
TOTAL = "list_total"


def count_of[M: Model](queryset: QuerySet[M, Any]) -> Subquery:
    """`(SELECT COUNT(*) FROM ...)` over the rows of `queryset`, as an expression."""
    # Grouping by a constant is no grouping at all: one count of every row the filters let
    # through. The ordering is dropped, as a count does not need it.
    counted = queryset.order_by().values(all=Value(1)).annotate(count=Count("*"))
    return Subquery(counted.values("count"))


def page_of[M: Model, Row](
    queryset: QuerySet[M, Row], *, offset: int, limit: int
) -> tuple[list[Row], int]:
    """The rows from `offset` up to `limit` of them, and how many rows the whole list has.

    The rows are what the queryset gives: model instances, values() dicts or plain
    values_list() tuples. An instance also keeps the total as an attribute (TOTAL); a dict
    or a tuple comes back without it.
    """
    rows = list(queryset.annotate(**{TOTAL: count_of(queryset)})[offset : offset + limit])
    if not rows:
        # From the start, the list is empty; further on, the page is past its end and the
        # list still has a length, which a count of its own tells.
        return rows, queryset.count() if offset else 0
    total = total_of(rows[0])
    return [without_total(row) for row in rows], total


def total_of(row: object) -> int:
    """The total a row carries: last in a values_list() tuple, else named TOTAL."""
    if isinstance(row, tuple):
        return int(row[-1])
    if isinstance(row, dict):
        return int(row[TOTAL])
    return int(getattr(row, TOTAL))


def without_total[Row](row: Row) -> Row:
    """The row as the queryset would give it without the total."""
    if isinstance(row, tuple):
        return cast("Row", row[:-1])
    if isinstance(row, dict):
        del row[TOTAL]
    return row
