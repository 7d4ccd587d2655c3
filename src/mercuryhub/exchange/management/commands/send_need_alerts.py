"""``mercuryhub send_need_alerts``: e-mail each subscribed partner the new needs that fit their
alert (from cron, daily or weekly)."""

from django.core.management.base import BaseCommand

from mercuryhub.exchange.actions import do_send_need_alerts


class Command(BaseCommand):
    help = "E-mail each subscribed partner the needs published since their last alert that fit it."

    def handle(self, *args, **options):
        sent = do_send_need_alerts()
        self.stdout.write(self.style.SUCCESS(f"{sent} alerts sent"))
