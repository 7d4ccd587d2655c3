"""People of a plan's peer review and of assistance requests, built through the project's own
actions: a published expert of the catalogue (Kofi, who has an account with the expert's
address) and a refusing mail server."""

from mercuryhub.review import actions as review_actions
from tests.conftest import make_user

EXPERT_EMAIL = "kofi.mensah@asgm-experts.example"


def published_expert(reviewer, name="Kofi Mensah", email=EXPERT_EMAIL, *, with_account=True):
    """An expert of the catalogue, published; with an account at the expert's address unless
    ``with_account`` is false."""
    author = make_user(email) if with_account else make_user(f"author.{email}")
    data = {"name": name, "email": email, "country": "GHA", "consent_to_publication": True}
    expert = review_actions.do_create_draft("expert", author, data)
    expert = review_actions.do_submit_entry("expert", author, expert)
    return review_actions.do_validate_entry("expert", reviewer, expert)


def refusing_mail_server(settings):
    """Mail goes to a port where no server listens: every message waits in the outbox."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
