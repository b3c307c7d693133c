import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lookup.engines import indexing
from lookup.engines.base import EngineUnavailable, get_engine

BAR_WIDTH = 30


class ProgressBar:
    """A text progress bar: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, stream, interactive):
        self.stream = stream
        self.interactive = interactive
        self.started = time.monotonic()
        self.last_tenth = -1

    def __call__(self, done, total):
        fraction = done / total if total else 1.0
        tenth = int(fraction * 10)
        if not self.interactive and tenth == self.last_tenth and done != total:
            return
        self.last_tenth = tenth
        filled = int(fraction * BAR_WIDTH)
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:4.0%} {done}/{total} ({rate:.0f}/s)"
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        else:
            self.stream.write(line)


class Command(BaseCommand):
    help = (
        "Rebuild the lookup index of the configured engine from the database. Searches keep "
        "answering from the current index until the new one is swapped in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only index the certificates that writes failed to index (a search server down): "
            "quick, for a timer every few minutes.",
        )

    def handle(self, *args, verbosity, **options):
        if options["pending"]:
            self.index_pending()
            return
        engine = get_engine()
        pending = indexing.read_pending()
        interactive = verbosity >= 1 and sys.stdout.isatty()
        progress = ProgressBar(self.stdout, interactive) if verbosity >= 1 else None
        self.stdout.write(_("Rebuilding the %(engine)s lookup index…") % {"engine": engine.name})
        started = time.monotonic()
        try:
            count = engine.rebuild(progress=progress)
        except EngineUnavailable as error:
            raise CommandError(_("The lookup index could not be rebuilt: %(error)s") % {"error": error}) from error
        indexing.clear_pending(pending)
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            _("Indexed %(count)s certificates in %(seconds).1f s.")
            % {"count": count, "seconds": time.monotonic() - started}
        )

    def index_pending(self):
        numbers = indexing.read_pending()
        if not numbers:
            self.stdout.write(_("No certificate is waiting to be indexed."))
            return
        if not indexing.flush(set()):
            raise CommandError(
                _("The lookup index is still unavailable: %(count)s certificates stay pending.")
                % {"count": len(numbers)}
            )
        self.stdout.write(_("Indexed %(count)s pending certificates.") % {"count": len(numbers)})
