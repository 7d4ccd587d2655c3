"""Shared pieces of the JSON API: one error body shape, the exception handlers that turn every
domain exception into it (registered once, for every route), and the list pagination.

Every error the API returns has the body ``{"detail": "...", "errors": [{"field", "message"}]}``;
every list is ``{"count": N, "items": [...]}`` paginated with ``limit`` and ``offset``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination

from mercuryhub.lib.errors import InvalidInputError, StateError

# Deeper than any list will go, and small enough for every database's integer type.
MAX_OFFSET = 1_000_000_000


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    detail: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """Raised by API routes for a failure a client can act on."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def field_error(status: int, field: str, message: str) -> ApiError:
    return ApiError(status, message, [{"field": field, "message": message}])


ERROR_RESPONSES = {400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody}


def _location(loc) -> str:
    parts = [str(part) for part in loc if part not in ("body", "payload")]
    return ".".join(parts) or "body"


def install_error_handlers(api) -> None:
    def respond(request, status, detail, errors=()):
        return api.create_response(
            request, {"detail": detail, "errors": list(errors)}, status=status
        )

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        return respond(request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(ValidationError)
    def _validation_error(request, exc):
        errors = [
            {"field": _location(error.get("loc", ())), "message": error.get("msg", "invalid")}
            for error in exc.errors
        ]
        names = ", ".join(error["field"] for error in errors)
        return respond(request, 422, f"Invalid input: {names}", errors)

    @api.exception_handler(AuthenticationError)
    def _authentication_error(request, exc):
        return respond(
            request, 401, "Authentication required: send 'Authorization: Bearer <token>'"
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(InvalidInputError)
    def _invalid_input(request, exc):
        # A read's input is its query string; a write's, its body.
        prefix = "query." if request.method in {"GET", "HEAD"} else ""
        detail = "Invalid input: " + "; ".join(f"{f}: {m}" for f, m in exc.errors.items())
        errors = [{"field": f"{prefix}{f}", "message": m} for f, m in exc.errors.items()]
        return respond(request, 422, detail, errors)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return respond(request, 403, str(exc) or "You are not allowed to do this")

    @api.exception_handler(StateError)
    def _state(request, exc):
        errors = [{"field": field, "message": message} for field, message in exc.errors]
        return respond(request, 409, str(exc), errors)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, str(exc) or "Not found")


class ListQuery(Schema):
    """What every list of entries takes besides its own filters: the language of the answer and
    the page (``limit``, ``offset``)."""

    lang: str | None = Field(
        None,
        pattern="^(en|fr|es|ru|zh|zh-hans|ar)?$",
        description="The language of the answer: en, fr, es, ru, zh or ar",
    )
    limit: int = Field(20, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    """``limit`` (1 to 200, default 20) and ``offset``; the body is ``{"count", "items"}``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=200, description="How many items to return (1 to 200)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip")
