"""Reading an exchange file as a stream of rows, whatever its type.

``read_rows`` yields ``(row_number, cells)`` one row at a time, the header first as
row 1, so that a file of any length is read in constant memory. CSV cells are strings;
XLSX cells are turned into the same text a person sees in the spreadsheet.
"""

import csv
import hashlib
import io
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _

from .errors import ImportFileError

CSV = "csv"
XLSX = "xlsx"
EXTENSIONS = {".csv": CSV, ".xlsx": XLSX}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
SNIFF_BYTES = 64 * 1024
# What the parts of a workbook may unpack to in all: far above what a 50 MB workbook
# of certificates holds, far below a "zip bomb" that would fill memory and disk.
MAX_XLSX_UNPACKED_BYTES = 1024 * 1024 * 1024


def file_format(file_name, head):
    """The format of a file, judged by its extension and checked against its first bytes."""
    extension = Path(file_name).suffix.lower()
    if extension == ".xls" or head.startswith(OLE_MAGIC):
        raise ImportFileError(_("This is an old Excel (.xls) workbook: save it as .xlsx or as CSV UTF-8."))
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ImportFileError(
            _("“%(name)s” is neither a .csv nor a .xlsx file.") % {"name": Path(file_name).name or file_name}
        )
    if kind == XLSX and not head.startswith(ZIP_MAGIC):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    if kind == CSV and (head.startswith(ZIP_MAGIC) or b"\x00" in head):
        raise ImportFileError(_("The file is named .csv but is not text: is it a workbook with the wrong name?"))
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    return kind


@contextmanager
def open_binary(source):
    """A seekable binary stream positioned at the start; a path is opened and closed
    here, a stream the caller passes stays open."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield handle
    else:
        source.seek(0)
        yield source


def read_rows(source, file_name):
    """Yield ``(row_number, cells)`` for every row of a CSV or XLSX file, header first."""
    with open_binary(source) as stream:
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        kind = file_format(file_name, head)
        if kind == CSV:
            yield from _csv_rows(stream, head)
        else:
            yield from _xlsx_rows(stream)


def _encoding_error(head):
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        guess = ""
    else:
        guess = _(" It looks like GBK/GB18030, which Excel uses for “CSV” on Chinese Windows.")
    return ImportFileError(
        _("The file is not UTF-8 text.%(guess)s Save it as “CSV UTF-8” and try again.") % {"guess": guess}
    )


def _csv_rows(stream, head):
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    row_number = 0
    try:
        for row_number, cells in enumerate(csv.reader(text), start=1):  # noqa: B007
            yield row_number, cells
    except UnicodeDecodeError as error:
        raise _encoding_error(head) from error
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read after row %(row)s: %(error)s") % {"row": row_number, "error": error},
            row=row_number + 1,
        ) from error
    finally:
        text.detach()


def _check_unpacked_size(stream):
    """Refuse a workbook whose parts unpack to more than ``MAX_XLSX_UNPACKED_BYTES``,
    judged from the sizes its zip directory declares (Python's zip reader never
    unpacks a part past its declared size), before any part is read."""
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from error
    finally:
        stream.seek(0)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(limit)s MB, which no file of certificates needs.")
            % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(stream):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_unpacked_size(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportFileError(_("The workbook cannot be opened: %(error)s") % {"error": error}) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_number, [cell_text(value) for value in values]
    finally:
        workbook.close()


def cell_text(value):
    """The text of a spreadsheet cell: whole numbers without ``.0``, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def file_sha256(source):
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open_binary(source) as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
        stream.seek(0)
    return digest.hexdigest()
