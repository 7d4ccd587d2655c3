"""The maps' basemap, drawn without a tile server: the whole world's 1:110m outlines for maps
zoomed out (30 KB compressed), and cells of the 1:50m outlines for maps zoomed in, so that a
small map downloads only the few cells around its place (see ``lib.world``)."""

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from mercuryhub.lib.world import CELL_DEGREES, cell_outlines, coarse_outlines

_CACHED_FOR = 7 * 24 * 3600  # the outlines change only with a new release


def _answer(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = f"public, max-age={_CACHED_FOR}"
    return response


@functools.cache
def _world_body() -> bytes:
    return json.dumps(coarse_outlines(), separators=(",", ":")).encode()


@functools.lru_cache(maxsize=1024)
def _cell_body(west: int, south: int) -> bytes:
    return json.dumps(cell_outlines(west, south), separators=(",", ":")).encode()


@require_GET
def world(request):
    return _answer(_world_body())


@require_GET
def cell(request):
    """?west=<longitude>&south=<latitude>: the cell with that south-west corner."""
    errors = []
    corner = {}
    for name, low, high in (("west", -180, 180 - CELL_DEGREES), ("south", -90, 90 - CELL_DEGREES)):
        text = request.GET.get(name, "")
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high or value % CELL_DEGREES:
            errors.append(
                {
                    "field": name,
                    "message": f"{name} must be a multiple of {CELL_DEGREES} "
                    f"from {low} to {high}, got {text!r}",
                }
            )
        corner[name] = value
    if errors:
        return JsonResponse(
            {"detail": "; ".join(error["message"] for error in errors), "errors": errors},
            status=400,
        )
    return _answer(_cell_body(corner["west"], corner["south"]))
