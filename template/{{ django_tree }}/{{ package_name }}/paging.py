"""A page of a list and the list's total, read from the database in one statement.

Paging usually takes two queries, the page and then `COUNT(*)`, each a round trip to the
database. Here the count rides along in the page's own SELECT, as a window function:

    SELECT id, name, ..., COUNT(*) OVER () AS list_total
    FROM items_item ORDER BY id LIMIT 10 OFFSET 20

`COUNT(*) OVER ()` counts every row the query matches before LIMIT and OFFSET take the page,
and Django builds it with little work of its own. The database still reads the whole list to
count it, as a separate COUNT(*) would. A page past the end of the list has no row to carry
the total: only then is it counted on its own, a second statement. Not for a distinct()
queryset: the window counts rows before duplicates are removed.
"""

from typing import cast

from django.db.models import Count, Model, QuerySet, Window

# The name of the annotation that carries the total on each row of a page.
TOTAL = "list_total"


def page_of[M: Model, Row](
    queryset: QuerySet[M, Row], *, offset: int, limit: int
) -> tuple[list[Row], int]:
    """The rows from `offset` up to `limit` of them, and how many rows the whole list has.

    The rows are what the queryset gives: model instances, values() dicts or plain
    values_list() tuples. An instance also keeps the total as an attribute (TOTAL); a dict
    or a tuple comes back without it.
    """
    counted = queryset.annotate(**{TOTAL: Window(Count("*"))})
    rows = list(counted[offset : offset + limit])
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
