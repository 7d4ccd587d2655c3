from django.core.management.base import BaseCommand, CommandError

from mercuryhub.accounts.actions import do_create_api_token
from mercuryhub.accounts.models import User


class Command(BaseCommand):
    help = "Manage API tokens: `token create EMAIL [--name NAME]` prints a new token."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        create = subcommands.add_parser("create", help="Create a token for a user and print it")
        create.add_argument("email")
        create.add_argument("--name", default="command line")

    def handle(self, *args, **options):
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {options['email']!r}")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is deactivated")
        _token, raw = do_create_api_token(user, options["name"])
        self.stdout.write(raw)
