"""Reading visited pages again without a connection: the service worker (/sw.js, at the site's
root so that its scope is the whole site) and the offline page it shows for a page never visited.

The worker's script is rendered from ``core/sw.js`` with what it must know of the site: the
address of the static files, the offline page in each language, the private areas it must not
keep and the sign-out address that empties what it kept (see the script's own comment)."""

import functools
import hashlib
import json
import re

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

# Pages of a signed-in person's own areas, under any language prefix: review, profile, account
# and administration pages, the partners' editing pages and the forms that write.
PRIVATE_AREAS = (
    r"(?:review|profile|accounts|admin)/"
    r"|catalogue/(?:mine|new|upload)/"
    r"|organizations/new/"
    r"|.*/(?:edit|contact|partnership|versions|submit|delete|link|revert|reconfirm)/"
)


def _language_prefixes() -> str:
    return "|".join(
        re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    )


def private_pattern() -> str:
    return rf"^/(?:(?:{_language_prefixes()})/)?(?:{PRIVATE_AREAS})"


def _offline_paths() -> dict[str, str]:
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefix = "" if code == settings.LANGUAGE_CODE else code
            paths[prefix] = reverse("core-offline")
    return paths


@functools.cache
def _version() -> str:
    """Changes with the static files: a new deployment starts a new cache of them."""
    hashed = getattr(staticfiles_storage, "hashed_files", None) or {}
    text = json.dumps(sorted(hashed.items())) if hashed else "unhashed"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def service_worker(request):
    with translation.override(settings.LANGUAGE_CODE):
        sign_out = reverse("account_logout")
    context = {
        "version_json": json.dumps(_version()),
        "static_prefix_json": json.dumps(
            settings.STATIC_URL
            if settings.STATIC_URL.startswith("/")
            else "/" + settings.STATIC_URL
        ),
        "offline_paths_json": json.dumps(_offline_paths()),
        "private_pattern_json": json.dumps(private_pattern()),
        "sign_out_pattern_json": json.dumps(
            rf"^/(?:(?:{_language_prefixes()})/)?{re.escape(sign_out.lstrip('/'))}$"
        ),
        "language_pattern_json": json.dumps(rf"^/({_language_prefixes()})/"),
    }
    response = render(request, "core/sw.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # browsers look for a new worker on every visit
    return response


def offline(request):
    return render(request, "core/offline.html")
