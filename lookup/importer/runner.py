"""One import of one file: check every row, then write all of it or none of it."""

import logging
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lookup.models import Certificate, CertificationBody, ImportRun, ProductCategory
from lookup.regions import PROVINCE, divisions
from lookup.status import StatusTransitionError, check_transition

from .columns import check_header
from .errors import ImportFileError, RowError
from .readers import file_sha256, read_rows
from .rows import Reference, RowParser
from .signals import certificates_imported
from .writer import RowRejected, Writer

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_ERRORS = 10_000


class _Rejected(Exception):
    pass


class ErrorList:
    """Every error of a file, up to ``MAX_ERRORS``; past that only counted."""

    def __init__(self):
        self.items = []
        self.dropped = 0

    def extend(self, errors):
        for error in errors:
            if len(self.items) < MAX_ERRORS:
                self.items.append(error)
            else:
                self.dropped += 1

    def __bool__(self):
        return bool(self.items)

    def as_list(self):
        items = [error.as_dict() for error in self.items]
        if self.dropped:
            reason = _("%(count)s more errors not listed; correct the ones above and import again.") % {
                "count": self.dropped
            }
            items.append(RowError(0, "", "", reason).as_dict())
        return items


def load_reference(body=None):
    return Reference(
        body_ids=dict(CertificationBody.objects.values_list("code", "pk")),
        category_ids=dict(ProductCategory.objects.values_list("code", "pk")),
        province_prefixes=frozenset(code[:2] for code, division in divisions().items() if division.level == PROVINCE),
        only_body=body.code if body else None,
    )


def import_file(file, *, name=None, origin=ImportRun.Source.COMMAND, user=None, body=None):
    """Import one CSV or XLSX file in the bulk exchange format.

    ``file`` is a path or a seekable binary stream; ``name`` is the file name shown in
    the report (and whose extension says CSV or XLSX; default: the path's name).
    ``body`` (a :class:`~lookup.models.CertificationBody`) confines the rows to that
    body: rows of another are row errors. ``user`` is recorded as the uploader and
    the author of status changes. Returns the saved
    :class:`~lookup.models.ImportRun`: ``outcome`` imported or rejected, the counts,
    and ``errors`` as ``{"row", "field", "value", "reason"}`` dicts.
    """
    name = name or Path(file).name
    if user is not None and not user.is_authenticated:
        user = None
    run = ImportRun.objects.create(
        file_name=name[:255],
        file_sha256=file_sha256(file),
        source=origin,
        outcome=ImportRun.Outcome.REJECTED,
        uploaded_by=user,
        body=body,
    )
    errors = ErrorList()
    reference = load_reference(body)
    try:
        run.rows_total = check_file(file, name, reference, errors)
        if not errors:
            writer = write_file(file, name, reference, user)
            run.rows_created, run.rows_updated, run.rows_unchanged = writer.created, writer.updated, writer.unchanged
            run.outcome = ImportRun.Outcome.IMPORTED
    except ImportFileError as error:
        errors.extend([error.as_row_error()])
    except _Rejected:
        pass
    except RowRejected as rejected:
        errors.extend([rejected.error])
    except DatabaseError as error:
        logger.exception("Import of %s failed in the database", name)
        errors.extend([RowError(0, "", "", _("The database refused the import: %(error)s") % {"error": error})])
    run.errors = errors.as_list()
    run.finished_at = timezone.now()
    if run.outcome != ImportRun.Outcome.IMPORTED:
        run.rows_created = run.rows_updated = run.rows_unchanged = 0
    run.save()
    if run.outcome == ImportRun.Outcome.IMPORTED:
        transaction.on_commit(lambda: certificates_imported.send(sender=ImportRun, run=run))
    return run


def data_rows(file, name, reference, errors):
    """The parser for the file's header and its non-empty rows; header errors go to
    ``errors`` and stop the import."""
    rows = read_rows(file, name)
    try:
        _number, header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    columns, header_errors = check_header(header)
    if header_errors:
        errors.extend(header_errors)
        rows.close()
        raise _Rejected
    parser = RowParser(columns, reference)
    return parser, ((number, cells) for number, cells in rows if any(cell.strip() for cell in cells if cell))


def check_file(file, name, reference, errors):
    """First pass: check every row, collecting every error. Keeps only the
    certificate numbers seen (as integers, to catch a number given twice) and one
    batch of records at a time. Returns the number of rows."""
    parser, rows = data_rows(file, name, reference, errors)
    seen = set()
    batch = []
    total = 0
    for number, cells in rows:
        total += 1
        record, row_errors = parser.parse(number, cells)
        if row_errors:
            errors.extend(row_errors)
            continue
        key = int(record.number[1:])
        if key in seen:
            errors.extend(
                [RowError(number, "number", record.number, _("This certificate number is already in an earlier row."))]
            )
            continue
        seen.add(key)
        batch.append(record)
        if len(batch) >= BATCH_SIZE:
            errors.extend(check_against_database(batch, reference))
            batch = []
    if batch:
        errors.extend(check_against_database(batch, reference))
    if total == 0 and not errors:
        raise ImportFileError(_("The file has a header but no certificate rows."), row=2)
    return total


def check_against_database(batch, reference):
    """Errors that depend on what is stored: status changes the rules do not allow,
    and certificates of another body. ``batch`` holds checked records."""
    stored = {
        number: (pk, status, body_code)
        for pk, number, status, body_code in Certificate.objects.filter(
            number__in=[record.number for record in batch]
        ).values_list("pk", "number", "status", "body__code")
    }
    errors = []
    for record in batch:
        if record.number not in stored:
            continue
        pk, stored_status, stored_body = stored[record.number]
        if reference.only_body and stored_body != reference.only_body:
            errors.append(
                RowError(record.row, "number", record.number, _("This certificate belongs to another body."))
            )
        if stored_status == record.status:
            continue
        # Judged with the row's dates, which are written before the status changes.
        certificate = Certificate(
            pk=pk,
            status=stored_status,
            issued_on=record.values["issued_on"],
            expires_on=record.values["expires_on"],
        )
        try:
            check_transition(
                certificate,
                record.status,
                changed_on=record.values.get("status_changed_on"),
                reason=record.values.get("status_reason", ""),
            )
        except StatusTransitionError as error:
            if error.code != "same_status":
                errors.append(RowError(record.row, "status", record.status, str(error)))
    return errors


def write_file(file, name, reference, user):
    """Second pass: read the file again and write it in batches, all in one
    transaction. A row that fails now (the file changed since the first pass)
    rolls everything back."""
    errors = ErrorList()
    writer = Writer(user=user)
    with transaction.atomic():
        parser, rows = data_rows(file, name, reference, errors)
        batch = []
        for number, cells in rows:
            record, row_errors = parser.parse(number, cells)
            if row_errors:
                raise ImportFileError(_("The file changed while it was being imported; import it again."), row=number)
            batch.append(record)
            if len(batch) >= BATCH_SIZE:
                writer.write(batch)
                batch = []
        if batch:
            writer.write(batch)
    return writer
