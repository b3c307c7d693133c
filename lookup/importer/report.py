"""An import's row-level report as text and as CSV."""

import csv

from django.utils.translation import gettext as _

REPORT_COLUMNS = ("row", "field", "value", "reason")


def spreadsheet_safe(value):
    """A cell value that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_report_csv(errors, stream):
    """Write ``errors`` (``ImportRun.errors`` dicts) to a text stream as CSV."""
    writer = csv.writer(stream)
    writer.writerow(REPORT_COLUMNS)
    for error in errors:
        writer.writerow([spreadsheet_safe(error.get(column, "")) for column in REPORT_COLUMNS])


def format_error(error):
    """One error as a line of text."""
    parts = []
    if error.get("row"):
        parts.append(_("row %(row)s") % {"row": error["row"]})
    if error.get("field"):
        parts.append(error["field"])
    line = ", ".join(parts)
    line = f"{line}: {error['reason']}" if line else error["reason"]
    if error.get("value"):
        line += " " + _("(value: %(value)s)") % {"value": repr(error["value"])}
    return line
