"""The site's own middleware.

``ApiLanguageMiddleware`` answers the API in the language a client asks for (``?lang=``, else
``Accept-Language``), which the entries' texts and the vocabularies' labels are given in, and
turns every error of the API that is not yet JSON (an unknown address, a method no operation
takes, a failure) into its JSON shape.
``RejectControlCharactersMiddleware`` refuses input no database can store, or that has no place in
the platform's text, before it reaches a view: control characters in the path, query parameters,
form fields and JSON bodies (see ``lib.text``). ``CompressPagesMiddleware`` gzip-compresses HTML
pages and the API's JSON and GeoJSON, except what shows a secret (``lib.compression``).
``DeviceRequestsMiddleware`` sends the devices' OpenRosa requests straight to their views.
``ContentSecurityPolicyMiddleware`` sends the Content Security Policy: scripts only from the
site's own files (no inline script, no ``on…`` attribute), tiles from ``MAP_TILE_URL``'s host.
``QueuedMailNoticeMiddleware`` tells the user of a page that sent an e-mail the mail server did
not take that it will go later (``accounts.mail``).
``DatabaseBusyMiddleware`` answers 503 with Retry-After, never 500, when a write cannot get the
database's lock in time (SQLite, while a long import writes): ``database_busy_response``, which
the API's error handlers and the server-error view use too.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.urls import resolve
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from mercuryhub.accounts.mail import queued_in_request
from mercuryhub.lib.api import error_response
from mercuryhub.lib.busy import busy_message, database_busy, retry_after
from mercuryhub.lib.compression import shows_secret
from mercuryhub.lib.text import field_problem, has_control_character, json_problems
from mercuryhub.review.translations import content_languages, language_of, suffix

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# What is compressed: pages, and the data the maps and API clients read (the country outlines of
# the maps' basemap, the facilities of the map page, the OpenAPI description).
COMPRESSED_TYPES = ("text/html", "application/json", "application/geo+json")
JSON_TYPES = ("application/json", "application/problem+json")


def database_busy_response(request, exception):
    """A 503 with Retry-After when ``exception`` is the database being busy (None otherwise):
    JSON for the API and the devices, a page in the visitor's language for the rest. Nothing of
    the request was saved: its transaction could not begin."""
    if not database_busy(exception):
        return None
    if request.path.startswith(("/api/", DEVICE_PREFIX)):
        response = error_response(503, busy_message())
    else:
        page = render_to_string(
            "503.html", {"message": busy_message(), "retry_after": retry_after()}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after())
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_busy_response(request, exception)


# Where ODK Collect and KoBoCollect talk to the platform (forms/openrosa_urls.py).
DEVICE_PREFIX = "/v1/key/"


class DeviceRequestsMiddleware:
    """ODK Collect's requests (the OpenRosa server, under ``/v1/key/``) go straight to their
    views: a device has no session, cookie, CSRF token or signed-in account, and sends hundreds
    of instances in a row, so the middleware that pages need is left out. What still applies:
    the host check, the refusal of control characters, and the language its Accept-Language
    header asks for (the messages Collect shows)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(DEVICE_PREFIX):
            return self.get_response(request)
        request.get_host()  # DisallowedHost (a 400) for a host the site does not serve
        problems, _status = _problems(request)
        if problems:
            detail = "Characters not allowed: " + "; ".join(m for _, m in problems)
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        match = resolve(request.path_info)
        request.resolver_match = match
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = match.func(request, *match.args, **match.kwargs)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        asked = request.GET.get("lang", "").strip()
        if asked:
            language = language_of(asked)
            if language is None:
                message = f"Unknown language {asked!r}; use one of: " + ", ".join(
                    suffix(code) for code in content_languages()
                )
                errors = [{"field": "lang", "message": message}]
                return JsonResponse({"detail": message, "errors": errors}, status=422)
        else:
            language = _accepted_language(request.headers.get("Accept-Language", ""))
        with translation.override(language):
            response = _as_json_error(self.get_response(request))
        response.headers.setdefault("Content-Language", language)
        return response


def _as_json_error(response):
    """Every error of the API in its JSON shape: also those answered before or around its
    operations (an address no operation serves, a method it does not take, a failure)."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or content_type.startswith(JSON_TYPES):
        return response
    converted = error_response(response.status_code, response.reason_phrase)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            converted[header] = response[header]
    return converted


def _accepted_language(header: str) -> str:
    """The first content language the header accepts ("fr-CH, fr;q=0.9" gives French),
    else English."""
    for code, _quality in parse_accept_lang_header(header):
        language = language_of(code) or language_of(code.split("-")[0])
        if language:
            return language
    return "en"


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problems, status = _problems(request)
        if not problems:
            return self.get_response(request)
        detail = "Characters not allowed: " + "; ".join(message for _, message in problems)
        if request.path.startswith("/api/"):
            errors = [{"field": field, "message": message} for field, message in problems]
            return JsonResponse({"detail": detail, "errors": errors}, status=status)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def _problems(request) -> tuple[list[tuple[str, str]], int]:
    if has_control_character(request.path):
        return [("path", "The address contains a control character")], 400
    found = [
        (f"query.{name}", message)
        for name, values in request.GET.lists()
        for value in values
        if (message := field_problem(name, value))
    ]
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.method == "POST" and request.content_type in FORM_TYPES:
            found += [
                (f"form.{name}", message)
                for name, values in request.POST.lists()
                for value in values
                if (message := field_problem(name, value))
            ]
        elif request.content_type == "application/json":
            body = _json(request)
            if found or body is None:
                return found[:10], 400
            return list(json_problems(body))[:10], 422
    return found[:10], 400


def _json(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None  # the API's own parsing reports a malformed body


class CompressPagesMiddleware(GZipMiddleware):
    """Django's gzip compression (with its random padding against BREACH), for pages and JSON.

    Static files come compressed from whitenoise; a response showing a secret stays uncompressed.
    The API authenticates with a token in a header, never a cookie, and shows no secret.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSED_TYPES) or shows_secret(response):
            return response
        return super().process_response(request, response)


class QueuedMailNoticeMiddleware:
    """A page (or the page it redirects to) that sent an e-mail now kept in the outbox says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = queued_in_request.set([])
        try:
            response = self.get_response(request)
            shown = response.status_code in {301, 302, 303} or response.get(
                "Content-Type", ""
            ).startswith("text/html")
            if queued_in_request.get() and shown and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    translation.gettext(
                        "The e-mail could not be sent now; it will be sent again shortly."
                    ),
                )
            return response
        finally:
            queued_in_request.reset(token)


def content_security_policy() -> str:
    """The site's policy. Styles may be inline (Leaflet and the pages' bars place elements with
    style attributes); images may also be data: URIs (Leaflet, Chart.js) and the configured tile
    server's (``{s}`` in its host stands for any subdomain)."""
    images = ["'self'", "data:"]
    if settings.MAP_TILE_URL:
        tiles = urlsplit(settings.MAP_TILE_URL)
        host = tiles.netloc.replace("{s}", "*")
        images.append(f"{tiles.scheme}://{host}" if tiles.scheme else host)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Every response gets the site's policy, unless its view set a stricter one (a library
    file is served sandboxed)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
