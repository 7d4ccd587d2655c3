"""The site's own middleware.

``ApiLanguageMiddleware`` answers the API in the language a client asks for (``?lang=``, else
``Accept-Language``), which the entries' texts and the vocabularies' labels are given in.
``RejectControlCharactersMiddleware`` refuses input no database can store, or that has no place in
the platform's text, before it reaches a view: control characters in the path, query parameters,
form fields and JSON bodies (see ``lib.text``). ``CompressPagesMiddleware`` gzip-compresses HTML
pages and the API's JSON and GeoJSON, except what shows a secret (``lib.compression``).
``DeviceRequestsMiddleware`` sends the devices' OpenRosa requests straight to their views.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import resolve
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from mercuryhub.lib.compression import shows_secret
from mercuryhub.lib.text import field_problem, has_control_character, json_problems
from mercuryhub.review.translations import content_languages, language_of, suffix

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# What is compressed: pages, and the data the maps and API clients read (the country outlines of
# the maps' basemap, the facilities of the map page, the OpenAPI description).
COMPRESSED_TYPES = ("text/html", "application/json", "application/geo+json")


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
            detail = "Control characters are not allowed: " + "; ".join(m for _, m in problems)
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
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
        detail = "Control characters are not allowed: " + "; ".join(
            message for _, message in problems
        )
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
