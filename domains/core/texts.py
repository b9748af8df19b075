"""The rule for every text a client sends (issue 7): what PostgreSQL can store, and no longer
than the column that keeps it.

A NUL character cannot be stored in a PostgreSQL text, and a lone UTF-16 surrogate (JSON's
`"\\ud800"`) cannot be encoded as UTF-8 at all: both reached the database as errors before.
The width of a text is its column's: `String(n)` gives n; a `Text` column states its bound in
`info=text_info(n)`. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Any, Final

MAX_LENGTH: Final = "max_length"
# A note, reason or objection: a paragraph or a few, as a clerk writes them (issue 7).
NOTE_LENGTH: Final = 4000
# NUL, and the surrogate range (never a character of its own in a str decoded from UTF-8).
_UNSTORABLE: Final = re.compile("[\x00\ud800-\udfff]")


def text_info(max_length: int) -> dict[str, int]:
    """`info` of a `Text` column whose values are at most `max_length` characters."""
    return {MAX_LENGTH: max_length}


def column_width(column: Any) -> int:
    """The most characters the column `column` (a mapped attribute or a Column) keeps."""
    target = getattr(column, "property", None)
    table_column = target.columns[0] if target is not None else column
    kind = getattr(table_column.type, "item_type", table_column.type)  # ARRAY(String(n))
    length = getattr(kind, "length", None)
    if length is None:
        length = table_column.info.get(MAX_LENGTH)
    if not isinstance(length, int):
        raise ValueError(f"column {table_column} ({kind}) states no width: give a Text "
                         "column info=text_info(n)")
    return length


def text_problem(value: str, max_length: int | None) -> str | None:
    """Why `value` is not an acceptable text (INVALID_VALUE), or None.

    The length is that of the value as stored: surrounding blanks removed.
    """
    found = _UNSTORABLE.search(value)
    if found is not None:
        what = "a NUL character" if found.group() == "\x00" else "a lone UTF-16 surrogate"
        return f"contains {what} at position {found.start()}, which is not text"
    if max_length is not None and len(value.strip()) > max_length:
        return f"at most {max_length} characters"
    return None
