from django.conf import settings


def site(request):
    """What every page's layout needs: the interface languages and the map configuration."""
    return {
        "interface_languages": settings.LANGUAGES,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
