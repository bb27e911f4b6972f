"""Excel import/export framework: templates, parsing, validation reports, all-or-nothing commit.

A model's importer subclasses ``Importer`` and declares its ``columns``; the framework does the
rest (NetBox ``BulkImportView`` shape): read the workbook, check headers, parse every cell,
let the importer resolve natural keys and validate rows, report every bad row/column/reason,
and commit through the app's services in one transaction — or, on a dry run, roll back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from . import xlsx_reader
from .emails import is_email

logger = logging.getLogger(__name__)

DATA_SHEET = "数据"
HELP_SHEET = "填写说明"
CHOICES_SHEET = "选项"
ERROR_HEADER = "错误原因"
MASK_MARK = "****"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int, int], None]


class ImportAborted(Exception):  # noqa: N818 - public name used by callers; renaming is not worth it
    """The file cannot be read at all (not xlsx, empty, too large, headers missing)."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class _DryRunRollback(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "str"  # str | code | email | int | decimal | date | bool | choice
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label shown in the sheet)
    help: str = ""
    max_length: int | None = None
    width: int = 16
    personal: bool = False  # masked on export unless the user may see personal data

    @property
    def is_text(self) -> bool:
        return self.kind in {"str", "code", "email", "choice"}


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    errors: list[CellError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ParsedRow:
    number: int  # sheet row number (header is row 1)
    values: dict[str, Any]  # field → parsed value (None when blank)
    raw: dict[str, Any]  # header → raw cell value, for the error workbook
    present: set[str] = field(default_factory=set)  # fields the row gives a value for
    errors: dict[str, str] = field(default_factory=dict)  # field → message


class Importer:
    """Declare ``name``, ``label``, ``columns``, ``key_field``; implement the hooks."""

    name: str = ""
    label: str = ""
    columns: tuple[Column, ...] = ()
    key_field: str = ""
    # Whether ``update=True`` means something: rows whose key names a stored record update it
    # (按代码更新). An importer that only adds records sets it False: the page does not offer
    # the option and ``run_import``/``kechuang import --update`` refuse it before reading.
    supports_update: bool = True
    # Refuse a row that repeats an earlier row of the same file (a pasted block twice would
    # otherwise be stored twice), and, with ``repeat_name_field``, a row equal to a record
    # already stored (the same file imported twice); one identity: ``repeat_identity``.
    reject_duplicate_rows: bool = False
    # The column (and model field) holding the record's name (需求名称, 姓名…): stored records
    # are looked up by it, and a repeat is named by it.
    repeat_name_field: str = ""
    # Columns not in a row's identity (neither repeat check compares them): not stored as
    # typed (直接发布 is an action, the status changes on review; a name given only for checking).
    repeat_ignored_fields: tuple[str, ...] = ()
    # ``select_related`` of the stored records, for ``stored_value``.
    repeat_related: tuple[str, ...] = ()
    instructions: tuple[str, ...] = ()
    # For exports (``kechuang export NAME`` and list pages): the model whose restricted
    # queryset is exported and the FilterSet that filters it.
    model: Any = None
    filterset_class: Any = None

    # --- hooks -----------------------------------------------------------------------
    def prepare(self, rows: list[ParsedRow], *, actor, update: bool) -> None:
        """Resolve natural keys in bulk and add per-row errors (``row.errors``)."""

    def commit(self, rows: list[ParsedRow], *, actor, update: bool,
               progress: Progress | None) -> tuple[int, int]:
        """Write the rows through services; return ``(created, updated)``."""
        raise NotImplementedError

    def export_rows(self, queryset, *, unmask: bool) -> Iterable[dict[str, Any]]:
        """Yield ``{field: value}`` for each object, in template column terms."""
        raise NotImplementedError

    def stored_value(self, obj, field_name: str) -> Any:
        """A stored record's value for a column that is no field of the model, in the terms
        ``prepare`` leaves in ``row.values`` (for ``flag_stored_repeats``)."""
        raise NotImplementedError(f"{type(self).__name__}.stored_value({field_name!r})")

    # --- helpers -----------------------------------------------------------------------
    def column_for(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def header_for(self, field_name: str) -> str:
        col = self.column_for(field_name)
        return col.header if col else field_name


# --- parsing -------------------------------------------------------------------------

def _strip_escape(value: str) -> str:
    if value.startswith("'") and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _blank(column: Column) -> tuple[None, str | None]:
    if column.required:
        return None, f"“{column.header}”为必填项"
    return None, None


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


SHOWN_VALUE_CHARS = 50


def shown_value(raw: Any) -> str:
    """A cell value quoted in a message, cut short (a 40,000-character cell would flood it)."""
    text = str(raw).strip()
    if len(text) > SHOWN_VALUE_CHARS:
        return text[:SHOWN_VALUE_CHARS] + f"…（共{len(text)}个字符）"
    return text


def _not_a_number(column: Column, raw: Any) -> tuple[None, str]:
    return None, f"“{column.header}”应为数字，实际为“{shown_value(raw)}”"


def _number_text(raw: Any) -> str:
    """Typed-as-text numbers: full-width digits and separators (１，２３４．５) and commas."""
    return unicodedata.normalize("NFKC", str(raw)).replace(",", "").strip()


def _text_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    code = column.kind == "code"
    max_length = column.max_length
    too_long = f"“{column.header}”不能超过{max_length}个字符"

    def parse(raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return _blank(column)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = _strip_escape(str(raw).strip())
        if code:
            text = text.upper().replace(" ", "")
        if max_length and len(text) > max_length:
            return None, too_long
        return text, None

    return parse


def _email_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    """Text, then Django's ``EmailValidator``."""
    text_parser = _text_parser(column)

    def parse(raw):
        value, error = text_parser(raw)
        if error or value is None:
            return value, error
        if not is_email(value):
            return None, (f"“{column.header}”格式不正确（应如name@example.com），"
                          f"实际为“{shown_value(value)}”")
        return value, None

    return parse


def _choice_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    lookup: dict[str, str] = {}
    for value, label in reversed(column.choices):  # the first matching choice wins
        lookup[value] = value
        lookup[label] = value
    options = "、".join(label for _, label in column.choices)

    def parse(raw):
        if _is_blank(raw):
            return _blank(column)
        text = str(raw).strip()
        value = lookup.get(text)
        if value is not None:
            return value, None
        return None, f"“{column.header}”的值“{shown_value(text)}”无效，可选：{options}"

    return parse


def _int_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    def parse(raw):
        if _is_blank(raw):
            return _blank(column)
        if raw.__class__ is int:
            return raw, None
        try:
            if isinstance(raw, bool):
                raise ValueError
            number = Decimal(_number_text(raw))
            if number != number.to_integral_value():
                return None, f"“{column.header}”应为整数"
            return int(number), None
        except (InvalidOperation, ValueError):
            return _not_a_number(column, raw)

    return parse


_CENTS = Decimal("0.01")


def _decimal_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    def parse(raw):
        if _is_blank(raw):
            return _blank(column)
        try:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, int | Decimal):
                number = Decimal(raw)
            elif isinstance(raw, float):
                number = Decimal(repr(raw))
            else:
                number = Decimal(_number_text(raw))
            if not number.is_finite():
                raise ValueError
            return number.quantize(_CENTS), None
        except (InvalidOperation, ValueError):
            return _not_a_number(column, raw)

    return parse


# Excel's serial day numbers (… 2958465 = 9999-12-31): a date cell pasted or formatted as a
# plain number reads as one.
# Below 10,000 (1927-05-18) a number is more likely a year or a typo ("2020" would be
# 1905-07-12), so it is refused with the format message instead.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 2958465
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def _date_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    def parse(raw):
        if _is_blank(raw):
            return _blank(column)
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        serial = raw if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if serial is None and text.isdigit() and len(text) <= 7:  # "43983" typed as text
            serial = int(text)
        if serial is not None and _SERIAL_MIN <= serial <= _SERIAL_MAX \
                and float(serial).is_integer():
            return from_excel(int(serial)).date(), None
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        text = text.replace("/", "-").replace(".", "-")
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date(), None  # noqa: DTZ007
            except ValueError:
                continue
        return None, f"“{column.header}”日期格式应为YYYY-MM-DD，实际为“{shown_value(raw)}”"

    return parse


_TRUE = frozenset({"是", "true", "1", "y", "yes"})
_FALSE = frozenset({"否", "false", "0", "n", "no"})


def _bool_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    def parse(raw):
        if _is_blank(raw):
            return _blank(column)
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, f"“{column.header}”应填“是”或“否”"

    return parse


_PARSER_FACTORIES = {
    "str": _text_parser, "code": _text_parser, "email": _email_parser,
    "choice": _choice_parser, "int": _int_parser, "decimal": _decimal_parser,
    "date": _date_parser, "bool": _bool_parser,
}
_parsers: dict[Column, Callable[[Any], tuple[Any, str | None]]] = {}


def cell_parser(column: Column) -> Callable[[Any], tuple[Any, str | None]]:
    """The parser for ``column``'s cells: ``parser(raw) -> (value, error message or None)``."""
    parser = _parsers.get(column)
    if parser is None:
        factory = _PARSER_FACTORIES.get(column.kind)
        if factory is None:
            def parser(raw, kind=column.kind):
                if _is_blank(raw):
                    return _blank(column)
                raise ValueError(f"unknown column kind {kind}")
        else:
            parser = factory(column)
        _parsers[column] = parser
    return parser


def parse_cell(column: Column, raw: Any) -> tuple[Any, str | None]:
    """Parse one cell; return ``(value, error message or None)``."""
    return cell_parser(column)(raw)


def _check_file(fileobj) -> bytes:
    data = fileobj.read()
    if not data:
        raise ImportAborted([CellError(0, "", "文件为空")])
    if len(data) > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        raise ImportAborted([CellError(0, "", f"文件过大（超过{limit}MB），请分批导入")])
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportAborted([CellError(0, "", "文件不是Excel（.xlsx）格式，请使用下载的模板填写")])
    return data


def read_rows(importer: Importer, fileobj) -> list[ParsedRow]:
    """Read the data sheet, map headers to columns and parse every cell.

    The data sheet is streamed by ``xlsx_reader.sheet_rows`` (values exactly as openpyxl's
    read-only ``iter_rows(values_only=True)`` gives them, much faster); anything that reader
    does not handle is read with openpyxl itself. Either way the sheet's notes (formulas with
    no saved result, merged ranges) are checked too.
    """
    data = _check_file(fileobj)
    try:
        notes = xlsx_reader.SheetNotes()
        return _parse_rows(importer, xlsx_reader.sheet_rows(data, DATA_SHEET, notes), notes)
    except ImportAborted:
        raise
    except Exception:  # an unusual workbook: openpyxl decides (and reports)
        logger.debug("fast xlsx reader declined; reading with openpyxl", exc_info=True)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
    except Exception as exc:  # a damaged workbook fails in many ways (XML, zip, missing parts)
        raise _unreadable(exc) from exc
    try:
        notes = xlsx_reader.openpyxl_notes(ws)
        return _parse_rows(importer, enumerate(ws.iter_rows(values_only=True), start=1), notes)
    except ImportAborted:
        raise
    except Exception as exc:  # damaged sheet XML surfaces while rows are read
        raise _unreadable(exc) from exc
    finally:
        wb.close()


def _unreadable(exc: Exception) -> ImportAborted:
    # The library's reason is English and technical: log it, tell the user in Chinese.
    logger.info("unreadable workbook: %r", exc)
    return ImportAborted([CellError(0, "", UNREADABLE_MESSAGE)])


# Columns people add to their own sheets that hold nothing to import: ignored (unless the
# template has such a column). Any other unknown header is refused: it is usually a template
# column typed differently (成立时间 for 成立日期), whose data would otherwise be lost.
INFORMATIONAL_HEADERS = frozenset({"序号", "备注"})

UNREADABLE_MESSAGE = ("无法读取Excel文件：文件已损坏，或不是Excel（.xlsx）工作簿（如改了扩展名的"
                      "压缩包或.xls文件），请用Excel另存为.xlsx后重试")


def _parse_rows(importer: Importer, numbered_rows: Iterable[tuple[int, tuple]],
                notes: xlsx_reader.SheetNotes | None = None) -> list[ParsedRow]:
    """``numbered_rows`` yields ``(sheet row number, values)`` from row 1 (the header);
    ``notes`` is filled as it does (formulas without a saved result, then merged ranges)."""
    rows_iter = iter(numbered_rows)
    first = next(rows_iter, None)
    if first is None:
        raise ImportAborted([CellError(1, "", "工作表为空，缺少表头")])
    header_row = first[1]
    headers = [str(h).strip().rstrip("*").strip() if h is not None else "" for h in header_row]
    positions: dict[str, int] = {}
    problems: list[CellError] = []
    known = {c.header for c in importer.columns} | {ERROR_HEADER}
    for i, h in enumerate(headers):
        if not h:
            continue
        letter = get_column_letter(i + 1)
        if h in positions:
            first_letter = get_column_letter(positions[h] + 1)
            problems.append(CellError(1, h, f"表头“{h}”重复（{first_letter}列和{letter}列），"
                                            "请只保留一列"))
        elif h in INFORMATIONAL_HEADERS and h not in known:
            continue  # a bureau's own 序号 / 备注 column: nothing to store, nothing lost
        elif h not in known:
            problems.append(CellError(1, h, f"无法识别的列“{shown_value(h)}”（{letter}列），"
                                            "请使用模板的列名，或删除该列"))
        else:
            positions[h] = i
    problems += [CellError(1, c.header, f"缺少必填列“{c.header}”")
                 for c in importer.columns if c.required and c.header not in positions]
    if problems:
        raise ImportAborted(problems)
    cols = [(positions[c.header], c.header, c.field, c.personal, cell_parser(c))
            for c in importer.columns if c.header in positions]
    at_position = {pos: (header, field_name) for pos, header, field_name, _p, _f in cols}
    if notes is None:
        notes = xlsx_reader.SheetNotes()
    uncomputed = notes.uncomputed
    parsed: list[ParsedRow] = []
    append = parsed.append
    for number, values in rows_iter:
        if values is None:
            continue
        for v in values:
            if v is not None and not (isinstance(v, str) and not v.strip()):
                break
        else:
            if number not in uncomputed:
                continue  # a blank row (a row of formulas without results is not blank)
        width = len(values)
        row_values: dict[str, Any] = {}
        raw: dict[str, Any] = {}
        present: set[str] = set()
        errors: dict[str, str] = {}
        formulas = uncomputed.get(number) if uncomputed else None
        for pos, header, field_name, personal, parse in cols:
            value = values[pos] if pos < width else None
            raw[header] = value
            if personal and isinstance(value, str) and "*" in value:
                continue  # a masked export value (张*, 138****0000, a***@x.cn) means unchanged
            if formulas is not None and value is None and pos + 1 in formulas:
                cell = f"{get_column_letter(pos + 1)}{number}"
                errors[field_name] = formula_message(header, cell)
                continue
            value, error = parse(value)
            if error:
                errors[field_name] = error
            else:
                row_values[field_name] = value
                if value is not None:
                    present.add(field_name)
        append(ParsedRow(number=number, values=row_values, raw=raw, present=present,
                         errors=errors))
    if notes.merged and parsed:
        _flag_merged_cells(parsed, notes.merged, at_position)
    if not parsed:
        raise ImportAborted([CellError(2, "", "文件中没有数据行")])
    return parsed


def formula_message(header: str, cell: str) -> str:
    return (f"“{header}”的{cell}单元格是公式，但文件中没有保存计算结果（常见于由程序生成的文件）；"
            "请用Excel或WPS打开该文件并保存后再导入，或将公式复制后“选择性粘贴”为数值")


def merged_message(header: str, ref: str, first: str, same_row: bool) -> str:
    if same_row:
        return (f"“{header}”在合并单元格{ref}中：合并单元格只有左上角的{first}有值，本列读为空；"
                "请取消合并，并分别填写每一列")
    return (f"“{header}”在合并单元格{ref}中：合并单元格只有左上角的{first}有值，本行读为空；"
            f"请取消合并，并在每一行都填写“{header}”")


def _flag_merged_cells(rows: list[ParsedRow], merged, at_position: dict[int, tuple[str, str]]
                       ) -> None:
    """A merged range holds its value in its top-left cell only: every other cell of it reads
    blank. Refuse each such blank cell of a data row whose range shows a value."""
    by_number = {row.number: row for row in rows}
    for ref, (min_col, min_row, max_col, max_row) in merged:
        top = by_number.get(min_row)
        first = at_position.get(min_col - 1)
        if top is None or first is None or _is_blank(top.raw.get(first[0])):
            continue  # in the header, empty, or shown over a column that is not imported
        first_cell = f"{get_column_letter(min_col)}{min_row}"
        covered = [(pos, header, field_name) for pos, (header, field_name)
                   in at_position.items() if min_col - 1 <= pos <= max_col - 1]
        for number in range(min_row, min(max_row, rows[-1].number) + 1):
            row = by_number.get(number)
            if row is None:
                continue
            for pos, header, field_name in covered:
                if (number, pos) == (min_row, min_col - 1) or not _is_blank(row.raw[header]):
                    continue
                row.errors[field_name] = merged_message(header, ref, first_cell,
                                                        number == min_row)


def collect_errors(importer: Importer, rows: list[ParsedRow]) -> list[CellError]:
    errors = []
    for row in rows:
        for field_name, message in row.errors.items():
            errors.append(CellError(row.number, importer.header_for(field_name), message))
    return errors


def update_refused(importer: Importer) -> str:
    """Why ``update=True`` is refused for an importer without ``supports_update``."""
    return (f"{importer.label}导入只新增记录，不支持“按代码更新”；"
            "如需修改已登记的记录，请在系统中编辑该记录")


def run_import(importer: Importer, fileobj, *, actor, dry_run: bool = False,
               update: bool = False, progress: Progress | None = None) -> ImportResult:
    """Validate everything, then commit all rows in one transaction (or roll back)."""
    result = ImportResult(dry_run=dry_run)
    if update and not importer.supports_update:
        result.errors = [CellError(0, "", update_refused(importer))]
        return result
    try:
        rows = read_rows(importer, fileobj)
    except ImportAborted as exc:
        result.errors = exc.errors
        return result
    result.total = len(rows)
    result.rows = rows
    try:
        # One transaction from the checks against stored records to the writes, under the
        # importer's lock: another import of the same registry waits for it to end, so it
        # sees these rows (and cannot pass the same repeat or code checks before they exist).
        with transaction.atomic():
            lock_imports(importer)
            importer.prepare(rows, actor=actor, update=update)
            if importer.reject_duplicate_rows:
                flag_repeated_rows(importer, rows)
                if importer.repeat_name_field:
                    flag_stored_repeats(importer, rows, actor=actor)
            result.errors = collect_errors(importer, rows)
            result.preview = [{**row.raw} for row in rows[:20]]
            if result.errors:
                return result
            result.created, result.updated = importer.commit(
                rows, actor=actor, update=update, progress=progress
            )
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    except RowValidationError as exc:
        result.errors = exc.errors
        result.created = result.updated = 0
    return result


def lock_imports(importer: Importer) -> None:
    """Serialise imports of ``importer``'s registry until the current transaction ends.

    PostgreSQL: a transaction-scoped advisory lock keyed by the importer's name (released at
    commit or rollback; with Django's READ COMMITTED the waiting import's next statements see
    what the first one committed). SQLite serialises writers anyway: ``transaction_mode``
    IMMEDIATE (settings) makes the outermost ``atomic`` take the write lock at BEGIN, so an
    import's checks already run under it; nothing more to take.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [import_lock_key(importer.name)])


def import_lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name``'s advisory lock (``hash()`` varies by process)."""
    digest = hashlib.blake2b(f"kechuang.import:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class _AsTyped:
    """A cell with an error stands in a row's identity as typed (it has no resolved value)."""

    value: Any


def repeat_identity(importer: Importer, row: ParsedRow) -> tuple[tuple[str, Any], ...]:
    """What makes ``row`` the same record as another row of the file or a stored record: the
    one definition both repeat checks use (``flag_repeated_rows``, ``flag_stored_repeats``).

    ``(field, value)`` for every column the file has, in column order, except the importer's
    ``repeat_ignored_fields`` (直接发布, a name shown only for checking) and a masked personal
    value (an export's ``张*``: unknown). The value is the one ``prepare`` resolved (a region
    named or coded, keywords split), text trimmed, a list as a tuple, and a blank cell as the
    model field's default (what a blank cell stores); a cell with an error stands as typed.
    """
    meta = importer.model._meta if importer.model is not None else None
    identity = []
    for column in importer.columns:
        if column.field in importer.repeat_ignored_fields or column.header not in row.raw:
            continue
        cell = row.raw[column.header]
        if _masked(column, cell):
            continue
        if column.field in row.errors:
            identity.append((column.field, _AsTyped(_comparable(cell))))
            continue
        value = row.values.get(column.field)
        if value is None and meta is not None:
            with contextlib.suppress(FieldDoesNotExist):  # a column of no field (a code)
                value = meta.get_field(column.field).get_default()
        identity.append((column.field, _comparable(value)))
    return tuple(identity)


def _masked(column: Column, cell: Any) -> bool:
    return column.personal and isinstance(cell, str) and "*" in cell


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list | tuple):
        return tuple(_comparable(v) for v in value)
    return value


def flag_repeated_rows(importer: Importer, rows: list[ParsedRow]) -> None:
    """Refuse each row whose ``repeat_identity`` equals an earlier row's (after ``prepare``)."""
    field_name = importer.key_field or importer.columns[0].field
    seen: dict[tuple, ParsedRow] = {}
    for row in rows:
        first = seen.setdefault(repeat_identity(importer, row), row)
        if first is not row:
            row.errors.setdefault(field_name, _repeated_row_message(importer, row, first))


def _repeated_row_message(importer: Importer, row: ParsedRow, first: ParsedRow) -> str:
    ignored, written = [], []
    for column in importer.columns:
        header = column.header
        if header not in row.raw or _comparable(row.raw[header]) == _comparable(
                first.raw[header]):
            continue
        if column.field in importer.repeat_ignored_fields or _masked(
                column, row.raw[header]) or _masked(column, first.raw[header]):
            ignored.append(f"“{header}”")
        else:
            written.append(f"“{header}”")
    if not ignored and not written:
        return f"与第{first.number}行完全相同（重复行），请删除其中一行"
    why = ([f"{'、'.join(ignored)}不作比较"] if ignored else []) + (
        [f"{'、'.join(written)}写法不同但内容相同"] if written else [])
    return f"与第{first.number}行是同一条记录（{'；'.join(why)}；重复行），请删除其中一行"


_CHUNK = 900  # values in one ``IN (…)`` (SQLite's variable limit)


def flag_stored_repeats(importer: Importer, rows: list[ParsedRow], *, actor) -> None:
    """Refuse each row equal to a record already stored: the row's ``repeat_identity`` (the
    in-file check's), compared with what the record holds.

    Rows that already have an error (an in-file repeat among them) are not checked. A record
    outside the actor's data scope is not named (the message says only that such a record
    exists, as the code checks of the other importers do).
    """
    name_field = importer.repeat_name_field
    checked = [row for row in rows if not row.errors and row.values.get(name_field)]
    if not checked:
        return
    names = sorted({row.values[name_field] for row in checked})
    stored = importer.model.objects.select_related(*importer.repeat_related).order_by("pk")
    by_name: dict[Any, list] = {}
    for i in range(0, len(names), _CHUNK):
        for obj in stored.filter(**{f"{name_field}__in": names[i:i + _CHUNK]}):
            by_name.setdefault(getattr(obj, name_field), []).append(obj)
    if not by_name:
        return
    repeats = []
    for row in checked:
        identity = repeat_identity(importer, row)
        for obj in by_name.get(row.values[name_field], ()):
            if all(_same_value(importer, obj, f, value) for f, value in identity):
                repeats.append((row, obj))
                break
    if not repeats:
        return
    visible = _visible_pks(importer.model, actor, [obj.pk for _, obj in repeats])
    key = importer.key_field or importer.columns[0].field
    label = importer.label
    for row, obj in repeats:
        if obj.pk in visible:
            message = (f"与已登记的{label}“{shown_value(getattr(obj, name_field))}”完全相同"
                       f"（重复记录），请删除该行；{label}导入只新增记录，如需修改请在系统中编辑该记录")
        else:
            message = (f"与一条已登记的{label}完全相同（重复记录；该记录不在您的数据权限范围内），"
                       "请删除该行，或请有权限的人员核实")
        row.errors.setdefault(key, message)


def _visible_pks(model, actor, pks: list[int]) -> set[int]:
    if actor is None:  # the system (command line without --as-user) sees everything
        return set(pks)
    visible: set[int] = set()
    allowed = model.objects.restrict(actor, "view")
    for i in range(0, len(pks), _CHUNK):
        visible.update(allowed.filter(pk__in=pks[i:i + _CHUNK]).values_list("pk", flat=True))
    return visible


def _same_value(importer: Importer, obj, field_name: str, value: Any) -> bool:
    """Whether the stored ``obj`` holds ``value`` (a ``repeat_identity`` value) in the field."""
    try:
        model_field = obj._meta.get_field(field_name)
    except FieldDoesNotExist:
        stored = importer.stored_value(obj, field_name)
    else:
        if model_field.is_relation:
            return getattr(obj, model_field.attname) == getattr(value, "pk", value)
        stored = getattr(obj, model_field.attname)
    return _comparable(stored) == value


class RowValidationError(Exception):
    """Raised by ``commit`` when a service rejects a row; rolls the whole import back."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def service_errors(importer: Importer, row: ParsedRow, exc: ValidationError) -> list[CellError]:
    """Turn a service's field-attributed ValidationError into cell errors for ``row``."""
    out = []
    if hasattr(exc, "error_dict"):
        for field_name, errs in exc.error_dict.items():
            header = "" if field_name == "__all__" else importer.header_for(field_name)
            for err in errs:
                msg = err.message % err.params if err.params else err.message
                out.append(CellError(row.number, header, str(msg)))
    else:
        out.extend(CellError(row.number, "", m) for m in exc.messages)
    return out


# --- writing -------------------------------------------------------------------------

def escape_formula(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in text cells."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "choice":
        return dict(column.choices).get(value, value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind in {"decimal", "date", "int"}:
        return value
    if column.is_text:
        return escape_formula(str(value))
    return value


_REQUIRED_FONT = Font(bold=True, color="C00000")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _write_header(ws, importer: Importer, extra: tuple[str, ...] = ()) -> None:
    headers = [c.header for c in importer.columns] + list(extra)
    ws.append(headers)
    for idx, column in enumerate(importer.columns, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        note = "必填。" if column.required else "选填。"
        if column.help:
            note += column.help
        cell.comment = Comment(note, "kechuang")
        ws.column_dimensions[get_column_letter(idx)].width = column.width
    for offset in range(len(extra)):
        ws.cell(row=1, column=len(importer.columns) + offset + 1).font = _REQUIRED_FONT
    ws.freeze_panes = "A2"


def _apply_formats(ws, importer: Importer, last_row: int) -> None:
    """Text format on text/code columns so Excel keeps 18-character codes intact."""
    for idx, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(idx)
        fmt = "@" if column.is_text else ("yyyy-mm-dd" if column.kind == "date" else None)
        if fmt is None:
            continue
        for row in range(2, last_row + 1):
            ws[f"{letter}{row}"].number_format = fmt


def build_template(importer: Importer, blank_rows: int = 500) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _write_header(ws, importer)
    _apply_formats(ws, importer, blank_rows + 1)
    choices_ws = wb.create_sheet(CHOICES_SHEET)
    choice_col = 0
    for idx, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(idx)
        if column.kind in {"choice", "bool"}:
            labels = [label for _, label in column.choices] if column.kind == "choice" else [
                "是", "否"]
            choice_col += 1
            c_letter = get_column_letter(choice_col)
            choices_ws.cell(row=1, column=choice_col, value=column.header)
            for r, label in enumerate(labels, start=2):
                choices_ws.cell(row=r, column=choice_col, value=label)
            dv = DataValidation(
                type="list",
                formula1=f"='{CHOICES_SHEET}'!${c_letter}$2:${c_letter}${len(labels) + 1}",
                allow_blank=not column.required, showErrorMessage=True,
                errorTitle="输入有误", error=f"请从下拉列表中选择“{column.header}”",
            )
            dv.add(f"{letter}2:{letter}{blank_rows + 1}")
            ws.add_data_validation(dv)
        elif column.kind == "date":
            dv = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                                formula2="DATE(2100,12,31)", allow_blank=True,
                                showErrorMessage=True, error="请输入日期，如2020-09-30")
            dv.add(f"{letter}2:{letter}{blank_rows + 1}")
            ws.add_data_validation(dv)
    choices_ws.sheet_state = "hidden"
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["列名", "是否必填", "格式", "说明"])
    for cell in help_ws[1]:
        cell.font = _HEADER_FONT
    kinds = {"str": "文本", "code": "文本（代码）", "email": "电子邮箱", "int": "整数",
             "decimal": "数字（元）", "date": "日期 YYYY-MM-DD", "bool": "是/否",
             "choice": "下拉选择"}
    for column in importer.columns:
        detail = column.help
        if column.kind == "choice":
            detail = (detail + " 可选：" if detail else "可选：") + "、".join(
                label for _, label in column.choices)
        help_ws.append([column.header, "必填" if column.required else "选填",
                        kinds[column.kind], detail])
    help_ws.append([])
    for line in instruction_lines(importer):
        help_ws.append([line])
    for letter, width in zip("ABCD", (22, 10, 18, 80), strict=True):
        help_ws.column_dimensions[letter].width = width
    return wb


def instruction_lines(importer: Importer) -> list[str]:
    """The numbered lines of a template's 填写说明 sheet: the shared rules, the importer's own
    (numbered from 5), then the header, cell (formulas, merged cells), repeated-row and
    personal-data rules that apply to it."""
    lines = [
        f"1. 请在“{DATA_SHEET}”工作表中填写，第1行为表头，请勿修改表头文字；红色表头为必填列。",
        "2. 代码类列已设置为文本格式，请勿改为数值格式，以免18位代码被截断。",
        "3. 导入为全有或全无：任一行有误则不写入任何数据，并给出错误清单（行号、列名、原因）。",
        "4. 金额单位为元。",
        *importer.instructions,
    ]
    known = {c.header for c in importer.columns}
    ignored = "、".join(f"“{h}”" for h in sorted(INFORMATIONAL_HEADERS - known))
    extra = ["无法识别或重复的表头会被拒绝" + (f"；自行添加的{ignored}列将被忽略。" if ignored
                                            else "。"),
             "公式须保存有计算结果（由程序生成的文件请先用Excel或WPS打开并保存）；数据行中不能有"
             "合并单元格（合并后只有第一格有值），请取消合并并在每一行填写。"]
    if importer.reject_duplicate_rows and importer.repeat_name_field:
        extra.append("与本文件中其他行或与已登记的记录完全相同的行会被拒绝（不会重复登记；"
                     "如需修改已登记的记录，请在系统中编辑）。")
    elif importer.reject_duplicate_rows:
        extra.append("与本文件中其他行完全相同的行会被拒绝。")
    if any(c.personal for c in importer.columns) and importer.supports_update:
        extra.append("导出文件中打码的个人信息（含*）：新增记录时视为空，按编码更新时保留原值。")
    elif any(c.personal for c in importer.columns):
        extra.append("导出文件中打码的个人信息（含*）视为空。")
    lines += [f"{n}. {text}" for n, text in enumerate(extra, start=len(lines) + 1)]
    return lines


def export_workbook(importer: Importer, rows: Iterable[dict[str, Any]]) -> bytes:
    """Write rows with the template's columns (so an export imports back unchanged)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    for idx, column in enumerate(importer.columns, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = column.width
    ws.append([c.header for c in importer.columns])
    from openpyxl.cell import WriteOnlyCell

    for values in rows:
        out = []
        for column in importer.columns:
            cell = WriteOnlyCell(ws, value=_cell_value(column, values.get(column.field)))
            if column.is_text:
                cell.number_format = "@"
            elif column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            out.append(cell)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def error_workbook(importer: Importer, fileobj_or_rows, errors: list[CellError]) -> bytes:
    """The uploaded rows with an extra 错误原因 column (rows without errors left out)."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _write_header(ws, importer, extra=(ERROR_HEADER,))
    by_row: dict[int, list[str]] = {}
    for err in errors:
        by_row.setdefault(err.row, []).append(
            f"{err.column}：{err.message}" if err.column else err.message)
    raw_rows: dict[int, dict[str, Any]] = {}
    if isinstance(fileobj_or_rows, list):
        raw_rows = {r.number: r.raw for r in fileobj_or_rows}
    for number in sorted(by_row):
        raw = raw_rows.get(number, {})
        ws.append([escape_formula(raw.get(c.header)) for c in importer.columns]
                  + ["；".join(by_row[number])])
    _apply_formats(ws, importer, ws.max_row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def errors_json(errors: list[CellError]) -> str:
    return json.dumps([e.as_dict() for e in errors], ensure_ascii=False, indent=2)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_registry: dict[str, type[Importer]] = {}


def register(importer_cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer reachable by name (CLI ``kechuang import NAME``)."""
    _registry[importer_cls.name] = importer_cls
    return importer_cls


def get_importer(name: str) -> Importer:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    try:
        return _registry[name]()
    except KeyError as exc:
        names = "、".join(sorted(_registry))
        raise KeyError(f"未知的数据类型“{name}”，可选：{names}") from exc


def importer_names() -> list[str]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    return sorted(_registry)
