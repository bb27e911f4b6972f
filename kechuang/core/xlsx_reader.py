"""A streaming reader for one worksheet's cell values (the import path's hot loop).

``sheet_rows(data, preferred)`` yields ``(sheet row number, values)`` exactly as
``enumerate(load_workbook(read_only=True, data_only=True)[sheet].iter_rows(values_only=True),
start=1)`` would — same sheet choice, row padding, dimension limits, shared and inline
(rich-text) strings, numbers, booleans, errors, ISO dates, date/time number formats and the
workbook's 1900/1904 date system — but parses the sheet XML with lxml directly instead of
building openpyxl's cell objects, which made openpyxl ~45 % of a 100,000-row import.

Workbook-level parts (content types, workbook, relationships, styles) are small and are read
with openpyxl's own readers, so the sheet choice, the date styles and the epoch are openpyxl's.
Anything unusual raises ``Unsupported`` (or whatever the parser raises) *before* the caller
has used a row; the caller then reads the file with openpyxl.

Two things the values alone do not show are collected on the side, in a ``SheetNotes`` the
caller passes in (the values stay exactly openpyxl's): cells holding a formula with no saved
result (read as None, like openpyxl's ``data_only`` gives them), noted as each row is read, and
the merged ranges, which the sheet lists after its rows, so they are known once the last row
has been read. ``openpyxl_notes`` gives the same notes for a sheet openpyxl reads (the fallback).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from warnings import warn

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

_NS = "{%s}" % SHEET_MAIN_NS  # noqa: UP031
_ROW, _C, _V, _IS, _T, _R = (_NS + t for t in ("row", "c", "v", "is", "t", "r"))
_SI, _DIMENSION, _WORKSHEET, _SST = (_NS + t for t in ("si", "dimension", "worksheet", "sst"))
_RPH, _PHONETIC_PR = _NS + "rPh", _NS + "phoneticPr"
_F, _MERGE_CELL = _NS + "f", _NS + "mergeCell"
_DIGITS = "0123456789"


class Unsupported(Exception):  # noqa: N818
    """Something this reader does not reproduce exactly; read the file with openpyxl."""


class SheetNotes:
    """What a sheet's values do not show, filled in while its rows are read."""

    def __init__(self) -> None:
        # sheet row number → columns (1-based) whose cell holds a formula with no saved result
        self.uncomputed: dict[int, list[int]] = {}
        # merged ranges as (ref, (min_col, min_row, max_col, max_row)),
        # e.g. ("B3:B5", (2, 3, 2, 5)); complete once the last row has been read
        self.merged: list[tuple[str, tuple[int, int, int, int]]] = []

    def add_merged(self, ref: str | None) -> None:
        try:
            bounds = range_boundaries(ref or "")
        except (TypeError, ValueError):
            return  # not a range: nothing to report
        if None not in bounds:
            self.merged.append((ref, bounds))


def formula_without_result(cell) -> bool:
    """Whether a ``<c>`` element holds a formula but no saved result.

    A program that writes formulas without computing them (openpyxl, many exporters) leaves
    ``<v>`` out or empty. Excel and WPS save a formula whose result is the empty string as
    ``t="str"`` with an empty ``<v>``: that one has a result (blank) and is not reported.
    """
    if cell.find(_F) is None:
        return False
    saved = cell.find(_V)
    return saved is None or (not saved.text and cell.get("t") != "str")


class _NotingParser(WorkSheetParser):
    """openpyxl's own sheet parser, noting formula cells without a saved result."""

    def __init__(self, *args, notes: SheetNotes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notes = notes

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and len(element) and formula_without_result(element):
            self.notes.uncomputed.setdefault(cell["row"], []).append(cell["column"])
        return cell


def openpyxl_notes(ws) -> SheetNotes:
    """The notes for a worksheet openpyxl opened read-only (the fallback path): one more pass
    over the sheet with openpyxl's parser (its read-only sheet keeps neither formulas nor
    merged ranges when reading values)."""
    notes = SheetNotes()
    # ``_get_source``/``_shared_strings``: how openpyxl's read-only sheet reads itself
    with ws._get_source() as src:
        parser = _NotingParser(src, ws._shared_strings, data_only=True, notes=notes)
        for _row in parser.parse():
            pass
    for merged in getattr(parser.merged_cells, "mergeCell", None) or ():
        notes.add_merged(merged.ref)
    return notes


def _parser_kwargs() -> dict:
    # No DTDs, no entity expansion, no network: a workbook part never needs them.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False,
            "huge_tree": False, "remove_comments": True, "remove_pis": True}


def _check_head(src) -> None:
    head = src.peek(4096)[:4096] if hasattr(src, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise Unsupported("DTD in workbook part")


def _check_doctype(root) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise Unsupported("DTD in workbook part")


def _text_content(el) -> str:
    """openpyxl's ``Text.from_tree(el).content``: plain text plus rich-text runs."""
    if len(el) == 1:
        child = el[0]
        if child.tag == _T:
            return child.text or ""
    plain = None
    runs = []
    for child in el:
        tag = child.tag
        if tag == _T:
            plain = child.text
        elif tag == _R:
            text = None
            for part in child:
                if part.tag == _T:
                    text = part.text
            if text is not None:
                runs.append(text)
        elif tag not in (_RPH, _PHONETIC_PR):
            raise Unsupported(f"unexpected element {tag} in a string")
    return (plain or "") + "".join(runs)


def _shared_strings(archive, path: str) -> list[str]:
    strings = []
    append = strings.append
    with archive.open(path) as src:
        _check_head(src)
        context = etree.iterparse(src, events=("start", "end"), tag=(_SI, _SST),
                                  **_parser_kwargs())
        for event, el in context:
            if event == "start":
                if el.tag == _SST:
                    _check_doctype(el)
                continue
            if el.tag == _SST:
                break
            append(_text_content(el).replace("x005F_", ""))
            el.clear(keep_tail=True)
            while el.getprevious() is not None:
                del el.getparent()[0]
    return strings


def sheet_rows(data: bytes, preferred: str,
               notes: SheetNotes | None = None) -> Iterator[tuple[int, tuple]]:
    """Open the workbook and return an iterator over the chosen sheet's rows.

    The sheet is ``preferred`` if the workbook has a sheet of that name, else the first
    worksheet. Raises before returning when the workbook needs openpyxl. ``notes``, if given,
    is filled as the rows are read (see ``SheetNotes``).
    """
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_workbook()
    wb = reader.wb
    apply_stylesheet(reader.archive, wb)
    valid = set(reader.valid_files)
    sheets = [(sheet.name, rel.target, "chartsheet" in rel.Type)
              for sheet, rel in reader.parser.find_sheets() if rel.target in valid]
    chosen = None
    for name, target, is_chart in sheets:
        if name == preferred:
            chosen = (target, is_chart)
            break
    if chosen is None:
        chosen = next(((t, False) for _, t, is_chart in sheets if not is_chart), None)
    if chosen is None or chosen[1]:
        raise Unsupported("no worksheet to read")
    strings: list[str] = []
    ct = reader.package.find(SHARED_STRINGS)
    if ct is not None:
        strings = _shared_strings(reader.archive, ct.PartName[1:])
    return _rows(reader.archive, chosen[0], strings, wb.epoch, set(wb._date_formats),
                 set(wb._timedelta_formats), notes if notes is not None else SheetNotes())


def _rows(archive, path, strings, epoch, date_formats, timedelta_formats, notes):
    src = archive.open(path)
    _check_head(src)
    context = etree.iterparse(src, events=("end",), tag=(_ROW, _DIMENSION, _MERGE_CELL),
                              **_parser_kwargs())
    it = iter(context)
    # The dimension (if any) precedes sheetData; openpyxl limits rows and columns by it.
    max_col = max_row = None
    pending = None
    for el in it:
        el = el[1]
        if pending is None and max_col is None and max_row is None:
            root = el.getroottree().getroot()
            if root.tag != _WORKSHEET:
                raise Unsupported("not a worksheet")
            _check_doctype(root)
        if el.tag == _DIMENSION:
            _min_col, _min_row, max_col, max_row = range_boundaries(el.get("ref"))
            continue
        pending = el
        break
    return _iter_rows(src, it, pending, strings, epoch, date_formats, timedelta_formats,
                      max_col, max_row, notes)


def _iter_rows(src, it, first, strings, epoch, date_formats, timedelta_formats, max_col,
               max_row, notes):
    cols: dict[str, int] = {}
    uncomputed = notes.uncomputed
    empty_row = (None,) * max_col if max_col is not None else []
    counter = 1
    idx = 1
    row_counter = 0
    released = 0

    def elements():
        if first is not None:
            yield first
        for _event, el in it:
            if el.tag == _ROW:
                yield el
            elif el.tag == _MERGE_CELL:  # after the rows
                notes.add_merged(el.get("ref"))
                el.clear(keep_tail=True)

    try:
        for row in elements():
            if row.tag != _ROW:
                continue
            r = row.get("r")
            if r is not None:
                try:
                    row_counter = int(r)
                except ValueError:
                    val = float(r)
                    if not val.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    row_counter = int(val)
            else:
                row_counter += 1
            idx = row_counter
            if max_row is not None and idx > max_row:
                break
            while counter < idx:
                counter += 1
                yield counter - 1, empty_row
            if counter > idx:  # a repeated or out-of-order row: openpyxl skips it
                _release(row)
                continue
            out: list = []
            col = 0
            for c in row:
                data_type = c.get("t", "n")
                coordinate = c.get("r")
                value = None
                if data_type != "inlineStr":
                    for child in c:
                        if child.tag == _V:
                            value = child.text or None
                            break
                if coordinate:
                    letters = coordinate.rstrip(_DIGITS)
                    if letters is coordinate:
                        raise Unsupported(f"cell reference {coordinate}")
                    col = cols.get(letters)
                    if col is None:
                        col = cols[letters] = column_index_from_string(letters)
                else:
                    col += 1
                if value is not None:
                    if data_type == "n":
                        if "." in value or "E" in value or "e" in value:
                            value = float(value)
                        else:
                            value = int(value)
                        style_id = c.get("s", 0)
                        if style_id:
                            style_id = int(style_id)
                        if style_id in date_formats:
                            try:
                                value = from_excel(value, epoch,
                                                   timedelta=style_id in timedelta_formats)
                            except (OverflowError, ValueError):
                                warn(f"Cell {coordinate} is marked as a date but the serial "
                                     f"value {value} is outside the limits for dates. The cell"
                                     " will be treated as an error.", stacklevel=1)
                                value = "#VALUE!"
                    elif data_type == "s":
                        value = strings[int(value)]
                    elif data_type == "b":
                        value = bool(int(value))
                    elif data_type == "d":
                        value = from_ISO8601(value)
                elif data_type == "inlineStr":
                    for child in c:
                        if child.tag == _IS:
                            if len(child) == 1 and child[0].tag == _T:
                                value = child[0].text or ""
                            else:
                                value = _text_content(child)
                            break
                elif len(c) and formula_without_result(c):  # (value is None)
                    uncomputed.setdefault(row_counter, []).append(col)
                n = len(out)
                if col == n + 1:
                    out.append(value)
                elif col > n:
                    out.extend([None] * (col - n - 1))
                    out.append(value)
                else:
                    out[col - 1] = value
            row.clear(keep_tail=True)
            released += 1
            if released == 512:  # drop the parsed rows from the tree, in bulk
                _release(row)
                released = 0
            if not out and max_col is None:
                values = ()
            else:
                width = max_col if max_col is not None else col
                if len(out) < width:
                    out.extend([None] * (width - len(out)))
                values = tuple(out[:width]) if len(out) > width else tuple(out)
            counter += 1
            yield counter - 1, values
        if max_row is not None and max_row < idx:
            while counter <= max_row:
                counter += 1
                yield counter - 1, empty_row
        for _event, el in it:  # rows past the dimension (skipped, as openpyxl does), merges
            if el.tag == _MERGE_CELL:
                notes.add_merged(el.get("ref"))
                el.clear(keep_tail=True)
            elif el.tag == _ROW:
                _release(el)
    finally:
        src.close()


def _release(row) -> None:
    row.clear(keep_tail=True)
    parent = row.getparent()
    while row.getprevious() is not None:
        del parent[0]
