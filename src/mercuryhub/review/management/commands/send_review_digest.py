"""``mercuryhub send_review_digest``: e-mail each reviewer one message listing the entries
submitted since the last digest. Run it from cron (hourly or daily); a run with nothing new sends
nothing."""

from django.core.management.base import BaseCommand

from mercuryhub.review.digest import do_send_review_digest


class Command(BaseCommand):
    help = (
        "E-mail each reviewer and administrator one digest of the entries submitted for review "
        "since the last digest. Sends nothing when nothing new was submitted."
    )

    def handle(self, *args, **options):
        result = do_send_review_digest()
        if not options["verbosity"]:
            return
        if not result.submissions:
            self.stdout.write("No new submissions since the last digest; nothing sent.")
        elif not result.recipients:
            self.stderr.write(
                f"{len(result.submissions)} new submission(s), but no active reviewer has an "
                "e-mail address; nothing sent."
            )
        else:
            self.stdout.write(
                f"Sent the digest of {len(result.submissions)} submission(s) "
                f"to {len(result.recipients)} reviewer(s)."
            )
