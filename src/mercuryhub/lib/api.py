"""Shared pieces of the JSON API: one error body shape, the exception handlers that turn every
domain exception into it (registered once, for every route), and the list pagination.

Every error the API returns has the body ``{"detail": "...", "errors": [{"field", "message"}]}``;
every list is ``{"count": N, "items": [...]}`` paginated with ``limit`` and ``offset``.
"""

import json
import types
import typing
from typing import Annotated

from annotated_types import MaxLen
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, JsonResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import BaseModel

from mercuryhub.lib.busy import busy_message, database_busy, retry_after
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.lib.text import (
    DOCUMENT_TEXT_FIELDS,
    DOCUMENT_TEXT_MAX_LENGTH,
    LONG_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
    is_long_text,
)

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


JSON = "application/json"


class JsonBodyParser(Parser):
    """The body of every operation that takes JSON: sent as ``application/json`` (anything else
    is refused with 415 rather than guessed at) and valid UTF-8."""

    def parse_body(self, request):
        if request.content_type != JSON:
            sent = request.content_type or "no content type"
            raise ApiError(415, f"Send the body as {JSON}, not {sent}")
        try:
            return json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ApiError(400, f"The body is not valid UTF-8 (byte {error.start + 1})") from error
        except ValueError as error:
            raise ApiError(400, f"The body is not valid JSON: {error}") from error


def error_response(status: int, detail: str, errors=()) -> JsonResponse:
    """An error in the API's shape, for what is answered outside the API's own routes: a body
    Django could not read, an address or a method no operation serves, a failure."""
    return JsonResponse({"detail": detail, "errors": list(errors)}, status=status)


def error_for_unread_request(exception) -> JsonResponse:
    """The answer to a request whose body Django refused to read (too large, malformed)."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(413, "The request body is too large")
    return error_response(400, f"The request body cannot be read: {exception}")


def _location(loc) -> str:
    """Where an invalid input is, as the caller wrote it: ``query.waste.1``, ``path.slug``,
    ``name``. Parameters of an address are flat, so a name after a parameter's is that of the
    schema gathering them (``Query[...]``) in the code, which the caller never sees."""
    loc = list(loc)
    if len(loc) > 2 and loc[0] in {"query", "path"} and isinstance(loc[2], str):
        del loc[1]
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
        if isinstance(exc.__cause__, ApiError):  # from the body's parser (JsonBodyParser)
            return _api_error(request, exc.__cause__)
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

    @api.exception_handler(OperationalError)
    def _database_busy(request, exc):
        if not database_busy(exc):
            raise exc
        response = respond(request, 503, busy_message())
        response["Retry-After"] = str(retry_after())
        return response


def text_max_length(model, name: str) -> int:
    """The longest text the input field ``name`` may hold: the length of the ``model``'s column
    of that name (or of the field a translation ``name_fr`` translates), else the limit of its
    kind of text (lib/text.py)."""
    field = None
    for candidate in (name, name.rsplit("_", 1)[0]):
        try:
            field = model._meta.get_field(candidate) if model else None
            break
        except FieldDoesNotExist:
            continue
    if getattr(field, "max_length", None):
        return field.max_length
    if name in DOCUMENT_TEXT_FIELDS:
        return DOCUMENT_TEXT_MAX_LENGTH
    if field is not None and field.get_internal_type() == "TextField" or is_long_text(name):
        return LONG_TEXT_MAX_LENGTH
    return SHORT_TEXT_MAX_LENGTH


def _bounded(annotation, limit: int):
    """``annotation`` with every ``str`` in it (alone, in a union, a list or a mapping's values)
    limited to ``limit`` characters."""
    if annotation is str:
        return Annotated[str, MaxLen(limit)]
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_bounded(argument, limit) for argument in arguments)]  # noqa: UP007
    if origin is list:
        return list[_bounded(arguments[0], limit)]
    if origin is dict:
        return dict[arguments[0], _bounded(arguments[1], limit)]
    return annotation


def limit_texts(schema: type[Schema], model=None) -> type[Schema]:
    """Gives every text field of an input ``schema`` that declares no length of its own the
    limit ``text_max_length`` gives it from ``model``: too long a text is refused with 422 naming
    the field, before anything reaches the database (PostgreSQL would fail on it)."""
    if _bound_texts(schema, model):
        schema.model_rebuild(force=True)
    return schema


def _bound_texts(schema: type[BaseModel], model) -> bool:
    changed = False
    for name, info in schema.model_fields.items():
        if any(isinstance(constraint, MaxLen) for constraint in info.metadata):
            continue
        bounded = _bounded(info.annotation, text_max_length(model, name))
        if bounded != info.annotation:
            info.annotation, changed = bounded, True
    return changed


def limit_parameters(routers) -> None:
    """Gives every text of a query or path parameter of the ``routers``' operations (those of
    their ``Query[...]`` schemas included) that declares no length of its own the limit of a
    short text: an address of any length is refused with 422 naming the parameter."""
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for parameters in operation.models:
                    if parameters.__ninja_param_source__ in {"query", "path"}:
                        _limit_parameter_model(parameters)


def _limit_parameter_model(parameters: type[BaseModel]) -> None:
    for info in parameters.model_fields.values():
        for nested in _schemas_in(info.annotation):
            _limit_parameter_model(nested)
    _bound_texts(parameters, None)
    # Rebuilt even when only a nested schema changed: its validator holds the nested one's.
    parameters.model_rebuild(force=True)


def _schemas_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for argument in typing.get_args(annotation) for found in _schemas_in(argument)]


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
