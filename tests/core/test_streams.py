"""Streamed CSV and GeoJSON (lib.streams): what a spreadsheet program would run as a formula is
written as text, and the files read back as written."""

import csv
import io
import json

from mercuryhub.lib.streams import csv_lines, geojson_chunks, spreadsheet_safe


def test_a_text_that_would_run_as_a_formula_gets_an_apostrophe():
    assert spreadsheet_safe('=HYPERLINK("http://x.example","click")') == (
        '\'=HYPERLINK("http://x.example","click")'
    )
    assert spreadsheet_safe("+41 22 917 82 71") == "'+41 22 917 82 71"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-1+2") == "'-1+2"


def test_numbers_and_plain_texts_stay_as_they_are():
    assert spreadsheet_safe("-3.06") == "-3.06"
    assert spreadsheet_safe(-3.06) == -3.06
    assert spreadsheet_safe("Kamituga") == "Kamituga"
    assert spreadsheet_safe(None) is None


def test_the_csv_reads_back_with_its_byte_order_mark_and_safe_cells():
    text = "".join(csv_lines(["name", "miners"], [["=1+1", 3], ["Kibi, Ghana", "-2"]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["name", "miners"], ["'=1+1", "3"], ["Kibi, Ghana", "-2"]]


def test_the_geojson_is_one_feature_collection_whatever_the_number_of_features():
    for count in (0, 1, 3):
        features = (
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [n, n]}}
            for n in range(count)
        )
        collection = json.loads("".join(geojson_chunks(features)))
        assert collection["type"] == "FeatureCollection"
        assert len(collection["features"]) == count
