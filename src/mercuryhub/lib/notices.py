"""The e-mails that tell people of a change (a NAP's peer review, an assistance request, a request
to join a working group and its answer). They leave after the change is committed, one message
per address (people do not see each other's addresses); a message the mail server does not take
waits in the outbox (accounts.mail) and never undoes the change it tells of."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def notify(subject: str, template: str, context: dict, addresses) -> None:
    """E-mail ``template`` (rendered with ``context`` and the site's address) to each address,
    once the current transaction commits."""
    addresses = sorted({address for address in addresses if address})
    if not addresses:
        return
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    subject = f"[MercuryHub] {subject}"

    def send():
        for address in addresses:
            send_mail(subject, body, None, [address])

    transaction.on_commit(send)
