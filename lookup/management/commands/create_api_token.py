"""python manage.py create_api_token BODY_CODE NAME [--user USERNAME]: prints the key once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lookup.api.auth import create_api_token
from lookup.models import CertificationBody


class Command(BaseCommand):
    help = "Create a reporting API key for a certification body and print it. Only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("body", help="certification body code, e.g. 001")
        parser.add_argument("name", help="what the key is for, e.g. the body's reporting system")
        parser.add_argument("--user", help="username of the person responsible for the key (audit log)")

    def handle(self, *args, body, name, user=None, **options):
        try:
            certification_body = CertificationBody.objects.get(code=body.strip())
        except CertificationBody.DoesNotExist:
            raise CommandError(f"No certification body has the code {body!r}.") from None
        owner = None
        if user:
            try:
                owner = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user is called {user!r}.") from None
        token, key = create_api_token(certification_body, name.strip(), owner)
        self.stderr.write(
            f"Key {token.key_prefix}… for {certification_body.code} {certification_body.name_zh}: "
            "copy it now, it is not shown again."
        )
        self.stdout.write(key)
