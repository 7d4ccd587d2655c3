"""The maps' basemap: the world's coarse outlines, and cells of the detailed ones cut to their
box, small enough for a slow connection."""

import gzip
import json

import pytest

pytestmark = pytest.mark.django_db


def _decoded(encoded, scale):
    points, x, y = [], 0, 0
    for index in range(0, len(encoded), 2):
        x += encoded[index]
        y += encoded[index + 1]
        points.append((x / scale, y / scale))
    return points


@pytest.mark.parametrize(("west", "south"), [(0, 40), (170, 60), (-180, 60), (-60, -90)])
def test_a_cell_holds_the_outlines_cut_to_its_box(client, west, south):
    response = client.get(f"/basemap/cell.json?west={west}&south={south}")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    cell = response.json()
    assert cell["polygons"], "every one of these cells has land"
    points = [
        point
        for polygon in cell["polygons"]
        for ring in polygon
        for point in _decoded(ring, cell["scale"])
    ]
    assert all(west - 0.001 <= x <= west + 10.001 for x, _y in points)
    assert all(south - 0.001 <= y <= south + 10.001 for _x, y in points)
    assert cell["lines"]


def test_the_detailed_cell_around_switzerland_is_light(client):
    response = client.get("/basemap/cell.json?west=0&south=40", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 8_000
    assert json.loads(gzip.decompress(response.content))["scale"] == 1000


def test_the_world_outlines_are_a_fraction_of_the_vendored_file(client):
    response = client.get("/basemap/world.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert len(response.content) < 35_000  # the 1:110m GeoJSON file: 65 KB compressed
    world = json.loads(gzip.decompress(response.content))
    assert len(world["polygons"]) > 200
    assert "lines" not in world


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("west=5&south=40", "west"),
        ("west=0&south=90", "south"),
        ("west=x&south=0", "west"),
        ("", "west"),
    ],
)
def test_a_cell_that_does_not_exist_is_refused_with_a_clear_message(client, query, field):
    response = client.get(f"/basemap/cell.json?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in [error["field"] for error in body["errors"]]
    assert "must be a multiple of 10" in body["detail"]
