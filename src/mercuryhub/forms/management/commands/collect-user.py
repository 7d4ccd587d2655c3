"""``mercuryhub collect-user PROJECT NAME``."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mercuryhub.forms import actions
from mercuryhub.forms.collect_settings import server_url
from mercuryhub.forms.models import Project


class Command(BaseCommand):
    help = (
        "Create an app user (a device's account) in a field-data project and print the server "
        "address, with its key, to give ODK Collect. The address is the only credential: share "
        "it as a secret; revoke it on the project's app users page."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="The project's short name (slug), e.g. demo")
        parser.add_argument("name", help="The app user's name, e.g. 'Field team 1'")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project '{options['project']}'")
        app_user = actions.do_create_app_user(None, project, options["name"])
        self.stdout.write(server_url(settings.SITE_URL, app_user))
