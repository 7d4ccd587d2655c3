"""``mercuryhub open_review_reports --year 2026 --due 2027-01-31 --by EMAIL``: open the year's
review report of each working group, as the secretariat's reviewer given."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from mercuryhub.accounts.models import User
from mercuryhub.partnership.work_actions import do_open_review_reports


class Command(BaseCommand):
    help = "Open the year's review report of each working group, kept by its leaders."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--due", type=datetime.date.fromisoformat, required=True)
        parser.add_argument("--by", required=True, help="e-mail address of a reviewer")

    def handle(self, *args, **options):
        user = User.objects.filter(email__iexact=options["by"]).first()
        if user is None:
            raise CommandError(f"No account {options['by']!r}")
        result = do_open_review_reports(user, options["year"], options["due"])
        self.stdout.write(
            f"Opened {len(result.opened)} report(s); {len(result.existing)} already open; "
            f"{len(result.without_leaders)} group(s) without leaders."
        )
