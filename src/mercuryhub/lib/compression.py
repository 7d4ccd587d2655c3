"""Which pages may be compressed.

A page that shows a secret (a new API token) is sent uncompressed: the length of a compressed
page that holds both a secret and text an attacker chose would tell the attacker, guess by guess,
how much of the secret they have found (BREACH).
"""


def mark_secret(response):
    """Mark a response that shows a secret, so that it is never compressed; returns it."""
    response.shows_secret = True
    return response


def shows_secret(response) -> bool:
    return getattr(response, "shows_secret", False)
