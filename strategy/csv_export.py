"""The one CSV writer every export uses: cells a spreadsheet would run are written as text.

A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` typed into a
comment would run on the machine of whoever opens the export. As OWASP advises, such a
cell is written with a single quote before it, which spreadsheets show as text.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """`value` as a cell no spreadsheet evaluates: text that starts like a formula gets a
    leading single quote; anything else (numbers, dates, other text) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """csv.writer's writerow and writerows, every cell neutralised."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream) -> Writer:
    return Writer(stream)
