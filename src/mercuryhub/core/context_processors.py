from django.conf import settings
from django.urls import reverse, translate_url

from mercuryhub.forms.queries import takes_part_in_projects


def site(request):
    """What every page's layout needs: the interface languages with this page's address in each,
    and the map configuration."""
    return {
        "interface_languages": settings.LANGUAGES,
        "language_alternates": _alternates(request),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Catalogue pages with a navigation link of their own (not "Catalogue").
        "catalogue_tool_pages": _TOOL_PAGES,
        # Called by the layout only for signed-in people: one query, on the pages that ask.
        "shows_projects": lambda: takes_part_in_projects(request.user),
        # Registered by the layout; not with debug on, where static files change in place.
        "service_worker_url": "" if settings.DEBUG else reverse("core-service-worker"),
    }


_TOOL_PAGES = {
    "catalogue-map",
    "catalogue-finder",
    "catalogue-my-entries",
    "review-queue",
    "review-entry",
    "review-campaigns",
    "review-campaign-detail",
    "catalogue-entry-create",
    "catalogue-entry-edit",
    "catalogue-entry-delete",
    "catalogue-expert-nominate",
    "catalogue-bulk-upload",
}


def _alternates(request) -> list[tuple[str, str]]:
    """(language code, absolute address of this page in that language), for ``hreflang`` links
    and the language switcher; empty where the page has no address per language."""
    path = request.get_full_path()
    found = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if translated == path and code != _language_of(path):
            return []  # not a page with an address per language (the API, the admin)
        found.append((code, request.build_absolute_uri(translated)))
    return found


def _language_of(path: str) -> str:
    from django.utils.translation import get_language_from_path

    return get_language_from_path(path) or settings.LANGUAGE_CODE
