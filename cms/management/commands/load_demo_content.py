from django.core.management.base import BaseCommand, CommandError

from cms.demo.builder import MissingEnglishText, build


class Command(BaseCommand):
    help = (
        "Build the demonstration site: the page tree in Chinese with its English translation, sample "
        "documents, spot checks, blacklist entries and (with generate_certificates) about 3000 certificates. "
        "Safe to run again: what exists is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-certificates",
            action="store_true",
            help="Do not generate demonstration certificates.",
        )

    def handle(self, *args, **options):
        try:
            report = build(certificates=not options["no_certificates"], stdout=self.stdout)
        except MissingEnglishText as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Pages created: {report.pages_created}; English translations created: {report.translations_created}; "
            f"documents created: {report.documents_created}; spot checks created: {report.spot_checks_created}; "
            f"blacklist entries created: {report.blacklist_entries_created}."
        )
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(
            "No user account is created. To sign in to /admin/, create one with: python manage.py createsuperuser"
        )
