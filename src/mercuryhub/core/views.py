from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views import defaults
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mercuryhub.accounts.queries import organizations_visible_to
from mercuryhub.catalogue.queries import published_counts
from mercuryhub.lib.api import error_for_unread_request
from mercuryhub.taxonomy.queries import countries, terms_of


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "organization_count": organizations_visible_to(request.user).count(),
            "catalogue_counts": published_counts(request.user),
            "country_count": countries().count(),
            "waste_category_count": terms_of("waste_categories").count(),
        },
    )


@require_POST
def set_language(request):
    """Django's language switch, with the page's address translated from the language it was in
    (the switch's own address has none), so that the visitor stays on the same page."""
    next_url = request.POST.get("next") or "/"
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        with translation.override(get_language_from_path(next_url) or settings.LANGUAGE_CODE):
            next_url = translate_url(next_url, language)
        request.POST = request.POST.copy()
        request.POST["next"] = next_url
    return django_set_language(request)


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page declares: send them to the site's icon."""
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


def csrf_failure(request, reason=""):
    """A form sent without its security token, or with an expired one (the page was open too
    long, or cookies are blocked): the site's 403 page, saying what to do."""
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def bad_request(request, exception):
    """A request Django refused to read (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a malformed
    multipart body): in the API, a JSON error saying which (413 for the size); elsewhere,
    Django's page."""
    if request.path.startswith("/api/"):
        return error_for_unread_request(exception)
    return defaults.bad_request(request, exception)


def server_error(request):
    """The server-error page, or the busy answer (503, Retry-After) when the error is the
    database refusing a write it could not lock in time."""
    import sys

    from django.views.defaults import server_error as default_server_error

    from mercuryhub.core.middleware import database_busy_response

    return database_busy_response(request, sys.exc_info()[1]) or default_server_error(request)
