"""``mercuryhub send_report_reminders``: remind the leaders of each working group whose review
report is not submitted, 14, 7 and 1 days before its due date and 1, 7 and 14 days after. Run it
daily from cron; a second run on the same day sends nothing."""

import datetime

from django.core.management.base import BaseCommand

from mercuryhub.partnership.work_actions import do_send_report_reminders


class Command(BaseCommand):
    help = "Remind the working groups' leaders of the review reports due or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        sent = do_send_report_reminders(options["today"])
        for reminder in sent:
            self.stdout.write(
                f"Reminded {len(reminder.recipients)} leader(s) of {reminder.report.name}."
            )
        if not sent:
            self.stdout.write("No reminder due today.")
