from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lookup.synthetic import BATCH_SIZE, GenerationError, generate_certificates


def non_negative_integer(text):
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Add synthetic, realistic certificates (with organisations, status history and trace codes) for "
        "demos and benchmarks. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=non_negative_integer, required=True, help="certificates to add")
        parser.add_argument("--trace-codes", type=non_negative_integer, default=0, help="trace codes per certificate")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="certificates per transaction")

    def handle(self, *args, count, trace_codes, seed, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError(_("The batch size is at least 1."))

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(_("%(done)s / %(total)s certificates") % {"done": done, "total": total})

        try:
            result = generate_certificates(
                count, trace_codes=trace_codes, seed=seed, batch_size=batch_size, progress=progress
            )
        except GenerationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Added %(certificates)s certificates, %(trace_codes)s trace codes, %(changes)s status changes and "
                "%(organisations)s organisations in %(seconds).1f s (seed %(seed)s)."
            )
            % {
                "certificates": result.certificates,
                "trace_codes": result.trace_codes,
                "changes": result.status_changes,
                "organisations": result.organisations,
                "seconds": result.seconds,
                "seed": seed,
            }
        )
