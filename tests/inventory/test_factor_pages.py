"""The factor sets an inventory may use, each with its source, and each factor with where in the
source its value stands; the pages say that the platform ships only cited factors."""

import pytest


@pytest.mark.django_db
def test_with_no_factor_set_loaded_the_page_says_none_is_shipped(client):
    page = client.get("/inventory/factors/").text
    assert "No factor set is shipped yet" in page
    assert "MercuryHub ships only factors it can cite" in page


def test_the_list_gives_each_set_with_its_source(client, example_factors):
    page = client.get("/inventory/factors/").text
    assert 'href="/inventory/factors/example-set/"' in page
    assert "Example factor set" in page and "MercuryHub tests" in page
    assert "A factor set made up for the platform&#x27;s tests, not a published source" in page
    assert 'href="https://mercuryhub.example/factors"' in page
    assert "3 factors" in page
    assert "MercuryHub ships only factors it can cite" in page


def test_a_set_lists_its_factors_with_where_each_stands_in_the_source(client, example_factors):
    page = client.get("/inventory/factors/example-set/").text
    assert "MercuryHub ships only factors it can cite" in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    # In the order of the source categories: thermometers, lamps, batteries.
    assert ["Medical thermometers" in rows[0], "Other mercury lamps" in rows[1]] == [True, True]
    assert "Mercury oxide batteries" in rows[2]
    assert "0.5–1.5 g/item" in rows[0] and "Table 2" in rows[0]
    assert 'Air: <bdi dir="ltr">10 %</bdi>' in rows[0]
    assert "Land" not in rows[0]  # a share of nothing is left out
    assert "none given: a line using this factor gives its own" in rows[1]
    assert "Table 3 (input factor only)" in rows[1]


def test_an_unknown_set_is_not_found(client, example_factors):
    assert client.get("/inventory/factors/no-such-set/").status_code == 404


def test_the_inventory_list_leads_to_the_factor_sets(client, db):
    assert 'href="/inventory/factors/"' in client.get("/inventory/").text
