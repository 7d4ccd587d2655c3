"""E-mail that cannot be sent now never fails the page that sends it: ``EMAIL_BACKEND`` is
``QueueingEmailBackend``, which hands each message to the real backend
(``EMAIL_DELIVERY_BACKEND``, the one the environment's ``EMAIL_BACKEND`` names) and keeps the ones
the mail server does not take in the outbox (``QueuedEmail``); ``mercuryhub send_queued_mail``
(from cron, every few minutes) sends them again with growing waits. A page that queued a message
tells its user so (core.middleware.QueuedMailNoticeMiddleware)."""

import base64
import logging
from contextvars import ContextVar
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

# Errors of a mail server that does not answer, refuses or drops the connection.
DELIVERY_ERRORS = (SMTPException, OSError)

# The messages queued while the current request is answered (None outside a request).
queued_in_request: ContextVar[list | None] = ContextVar("queued_in_request", default=None)


def delivery_connection():
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)


def message_data(message) -> dict:
    """What rebuilds ``message`` (an EmailMessage) in ``rebuilt_message``."""
    attachments = []
    for attachment in message.attachments:
        name, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else content
        attachments.append([name, base64.b64encode(data).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def rebuilt_message(data: dict, connection) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(pair) for pair in data["alternatives"]],
        attachments=[
            (name, base64.b64decode(content), mimetype)
            for name, content, mimetype in data["attachments"]
        ],
        connection=connection,
    )


class QueueingEmailBackend(BaseEmailBackend):
    """Sends through the delivery backend; queues, and never raises for, what it cannot send."""

    def send_messages(self, email_messages):
        from mercuryhub.accounts.actions import do_queue_email

        if not email_messages:
            return 0
        connection = delivery_connection()
        try:
            connection.open()
        except DELIVERY_ERRORS as error:
            for message in email_messages:
                do_queue_email(message_data(message), error)
            return 0
        sent = 0
        try:
            for message in email_messages:
                try:
                    sent += connection.send_messages([message]) or 0
                except DELIVERY_ERRORS as error:
                    do_queue_email(message_data(message), error)
        finally:
            try:
                connection.close()
            except DELIVERY_ERRORS:
                logger.warning("The mail server's connection did not close cleanly")
        return sent
