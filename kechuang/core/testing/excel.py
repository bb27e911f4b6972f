"""Build xlsx files in memory for importer tests."""

import io

from openpyxl import Workbook, load_workbook


def xlsx_bytes(headers: list[str], rows: list[list], sheet: str = "数据",
               merged: tuple[str, ...] = ()) -> bytes:
    """A workbook of one sheet: the header row, then ``rows``; ``merged`` ranges (e.g.
    "B2:B4") merged."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for ref in merged:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_file(headers: list[str], rows: list[list], name: str = "upload.xlsx") -> io.BytesIO:
    buf = io.BytesIO(xlsx_bytes(headers, rows))
    buf.name = name
    return buf


def read_sheet(content: bytes, sheet: str = "数据") -> list[list]:
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
