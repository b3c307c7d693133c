from django.core.management.base import BaseCommand

from frontend.icons import write_icons


class Command(BaseCommand):
    help = "Draw the installable site's icons from the site mark into frontend/static/icons/."

    def handle(self, *args, **options):
        for path in write_icons():
            self.stdout.write(str(path))
