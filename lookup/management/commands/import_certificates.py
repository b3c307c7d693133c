from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lookup.importer import format_error, import_file
from lookup.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import certificates from CSV or XLSX files in the bulk exchange format. Each file is imported "
        "all or nothing; a rejected file's row-level report goes to standard error."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="CSV (UTF-8) or XLSX files")

    def handle(self, *args, files, **options):
        rejected = 0
        for path in files:
            try:
                with open(path, "rb") as handle:
                    run = import_file(handle, name=path, origin=ImportRun.Source.COMMAND)
            except OSError as error:
                rejected += 1
                self.stderr.write(_("%(file)s: cannot be read: %(error)s") % {"file": path, "error": error.strerror})
                continue
            if run.outcome == ImportRun.Outcome.IMPORTED:
                self.stdout.write(
                    _(
                        "%(file)s: imported %(total)s rows: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "file": path,
                        "total": run.rows_total,
                        "created": run.rows_created,
                        "updated": run.rows_updated,
                        "unchanged": run.rows_unchanged,
                    }
                )
                continue
            rejected += 1
            self.stderr.write(
                _("%(file)s: rejected, nothing imported; %(count)s errors:") % {"file": path, "count": len(run.errors)}
            )
            for error in run.errors:
                self.stderr.write(f"  {format_error(error)}")
        if rejected:
            raise CommandError(
                _("%(rejected)s of %(total)s files rejected.") % {"rejected": rejected, "total": len(files)}
            )
