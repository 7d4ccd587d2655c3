"""Match previews without an account, for the API and the "What do you need?" page: a need's
fields in, the best matches out, at most PREVIEWS_PER_MINUTE per client address."""

from django.utils.translation import gettext as _

from mercuryhub.exchange.matching import Match, top_matches
from mercuryhub.exchange.profiles import profile_from_data
from mercuryhub.lib.ratelimit import count_within

PREVIEWS_PER_MINUTE = 30
RETRY_AFTER_SECONDS = 60


class PreviewLimitError(Exception):
    """Too many previews from one address in a minute (the API answers 429)."""


def preview(data: dict, *, client: str, limit: int = 10) -> list[Match]:
    """The best matches for the fields of a need, or InvalidInputError naming the bad fields,
    or PreviewLimitError when the address asked too often."""
    if count_within(f"match-preview:{client}", RETRY_AFTER_SECONDS) > PREVIEWS_PER_MINUTE:
        raise PreviewLimitError(
            _("Too many previews from your address in a minute: please try again in a minute.")
        )
    return top_matches(profile_from_data(data), limit=limit)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")
