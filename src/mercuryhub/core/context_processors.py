from django.conf import settings


def site(request):
    """What every page's layout needs: the interface languages and the map configuration."""
    return {
        "interface_languages": settings.LANGUAGES,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Catalogue pages with a navigation link of their own (not "Catalogue").
        "catalogue_tool_pages": _TOOL_PAGES,
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
