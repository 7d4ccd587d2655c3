"""``mercuryhub send_partner_digests``: e-mail each person of a partner organization what is
new for partners since their last digest, weekly or monthly as they chose. Run it daily from
cron: each person receives one digest per period, none when nothing is new."""

import datetime

from django.core.management.base import BaseCommand

from mercuryhub.partnership.digest_actions import do_send_partner_digests


class Command(BaseCommand):
    help = "E-mail the partners' digests due for the current week or month."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        run = do_send_partner_digests(options["today"])
        self.stdout.write(
            f"Sent {len(run.sent)} digest(s); nothing new for {len(run.nothing_new)} person(s)."
        )
