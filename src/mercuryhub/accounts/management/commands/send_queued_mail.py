"""``mercuryhub send_queued_mail``: send again the e-mails the mail server did not take when they
were sent (accounts/mail.py). Run it from cron every few minutes; each message waits longer after
each failure and is given up after ``EMAIL_MAX_ATTEMPTS`` attempts (logged)."""

from django.core.management.base import BaseCommand

from mercuryhub.accounts.actions import do_send_queued_emails


class Command(BaseCommand):
    help = (
        "Send again the queued e-mails whose time has come; give up on those that failed "
        "EMAIL_MAX_ATTEMPTS times."
    )

    def handle(self, *args, **options):
        counts = do_send_queued_emails()
        if options["verbosity"]:
            self.stdout.write(
                f"Sent {counts['sent']} queued e-mail(s); {counts['waiting']} wait for another "
                f"attempt; gave up on {counts['given_up']}."
            )
