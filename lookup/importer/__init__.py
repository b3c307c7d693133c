"""Bulk import of certificates in the exchange format of ``certificate-data.md``.

``import_file(file, name=..., origin=..., user=..., body=...)`` imports one CSV or
XLSX file, all or nothing, and returns its :class:`~lookup.models.ImportRun`. Rows
are read as a stream twice: a first pass checks every row and collects every error,
a second writes the file in batches inside one transaction.
"""

from .errors import ImportFileError, RowError
from .report import format_error, write_report_csv
from .runner import import_file
from .signals import certificates_imported

__all__ = ["ImportFileError", "RowError", "certificates_imported", "format_error", "import_file", "write_report_csv"]
