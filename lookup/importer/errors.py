"""What an import reports: file-level and row-level problems."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one cell: the row as numbered in the file (the header is
    row 1), the column, the value as read, and the reason in words."""

    row: int
    field: str
    value: str
    reason: str

    def as_dict(self):
        return asdict(self)

    def __str__(self):
        where = f"row {self.row}, {self.field}" if self.field else f"row {self.row}"
        if self.value:
            return f"{where}: {self.reason} (value: {self.value!r})"
        return f"{where}: {self.reason}"


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, wrong encoding, no header."""

    def __init__(self, message, *, row=0):
        super().__init__(message)
        self.message = str(message)
        self.row = row

    def as_row_error(self):
        return RowError(self.row, "", "", self.message)
