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
