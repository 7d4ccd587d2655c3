"""Bearer-token authentication for the API (``Authorization: Bearer <token>``)."""

from ninja.security import HttpBearer

from mercuryhub.accounts.actions import do_use_api_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = do_use_api_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = BearerToken()


def request_user(request):
    """The person behind a request: the bearer token's user when one is sent, else the session's
    (anonymous when neither). For public reads that show more to staff."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = do_use_api_token(header[7:].strip())
        if user is not None:
            return user
    return request.user
