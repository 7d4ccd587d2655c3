"""The wheel of knowledge: its counts (published entries only, a narrower term counting for its
broader one), its drawing, and the segment chosen in the address."""

import math
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.html import escape

from mercuryhub.library import tagging
from mercuryhub.library.wheel import OUTER, WHEELS, segment_path, segments
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.django_db


def _by_code(counts, vocabulary):
    return {term.code: counts[term.pk] for term in Term.objects.filter(vocabulary__name=vocabulary)}


def test_the_counts_take_published_entries_only_and_narrower_terms_count_for_broader(
    tagged_world,
):
    wastes = _by_code(tagging.counts("waste_categories", AnonymousUser()), "waste_categories")
    assert wastes["lamps"] == {"facility": 1, "resource": 1}
    # The guide and facility on lamps, the thermometer service and the amalgam case study are
    # all wastes "containing" mercury; the drafts are nowhere.
    assert wastes["containing"] == {"facility": 1, "resource": 1, "offering": 1, "case_study": 1}
    assert wastes["contaminated"] == {"expert": 1}
    assert wastes["consisting"] == {}

    nap = _by_code(tagging.counts("nap_elements", AnonymousUser()), "nap_elements")
    assert nap["e"] == {"resource": 1, "expert": 1}
    assert nap["h"] == {"case_study": 1}
    assert nap["a"] == {}

    phases = _by_code(tagging.counts("management_phases", AnonymousUser()), "management_phases")
    assert phases["treatment"] == {"resource": 1, "facility": 1}
    assert phases["collection"] == {"case_study": 1, "offering": 1}


def test_a_draft_counts_once_published(tagged_world, owner, reviewer):
    from mercuryhub.review import actions as review_actions

    draft = review_actions.do_submit_entry("resource", owner, tagged_world["draft guide"])
    review_actions.do_validate_entry("resource", reviewer, draft)
    nap = _by_code(tagging.counts("nap_elements", AnonymousUser()), "nap_elements")
    assert nap["e"] == {"resource": 2, "expert": 1}


def test_the_kinds_tagged_from_each_vocabulary_are_read_from_the_models():
    names = {
        vocabulary: [kind.name for kind, _field in tagging.tagging_kinds(vocabulary)]
        for vocabulary in ("nap_elements", "management_phases", "waste_categories")
    }
    assert names["nap_elements"] == ["expert", "resource", "case_study"]
    assert set(names["management_phases"]) == {
        "facility",
        "offering",
        "expert",
        "resource",
        "case_study",
    }
    assert "facility" in names["waste_categories"]


def test_a_segment_is_the_ring_between_its_two_angles():
    path = segment_path(0, math.pi / 2)
    assert path.startswith(f"M0 -{OUTER:g}A150 150 0 0 1 150 0")
    assert "L62 0A62 62 0 0 0 0 -62Z" in path
    assert " 0 1 1 " in segment_path(0, 1.5 * math.pi)  # the large arc past a half turn


def test_the_wheels_have_one_segment_per_broader_term_in_order_mirrored_right_to_left(db):
    nap, phases = WHEELS
    drawn = segments(nap, AnonymousUser(), "c", right_to_left=False)
    assert [segment.key for segment in drawn] == [*"abcdefghijk", "+"]
    assert [segment.chosen for segment in drawn].index(True) == 2
    assert drawn[0].url == "?wheel=nap&segment=a"
    mirrored = segments(nap, AnonymousUser(), None, right_to_left=True)
    assert float(drawn[1].label_x) > 0 > float(mirrored[1].label_x)
    assert len(segments(phases, AnonymousUser(), None, right_to_left=False)) == 7


def test_the_page_draws_both_wheels_with_a_link_and_a_name_per_segment(client, tagged_world):
    html = client.get("/library/wheel/").content.decode()
    assert html.count('class="wheel-drawing"') == 2
    assert 'role="group"' in html and '<title id="wheel-nap-title">' in html
    assert 'aria-label="e. Strategies for promoting the reduction of emissions' in html
    assert re.search(r'aria-label="e\. [^"]*: 2 entries"', html)
    assert 'href="?wheel=phases&amp;segment=treatment#results"' in html
    assert "aria-current" not in html.split('id="results"')[0].split("</nav>", 1)[1]
    assert "Choose a segment of a wheel" in html


def test_the_chosen_segment_lives_in_the_address_and_lists_what_is_tagged(client, tagged_world):
    response = client.get("/library/wheel/", {"wheel": "nap", "segment": "e"})
    html = response.content.decode()
    drawing, results = html.split('id="results"')
    assert drawing.count('aria-current="true"') == 2  # the segment and its line in the list
    assert re.search(r'aria-label="e\.[^"]*"\s+aria-current="true"', drawing)
    assert "Guide to recycling fluorescent lamps" in results
    assert "Kofi Mensah" in results
    assert tagged_world["guide"].get_absolute_url() in results
    assert "Secret draft" not in html
    assert "Amalgam separators" not in results


def test_a_broader_waste_lists_what_its_narrower_ones_hold_and_see_all_pages(client, tagged_world):
    one_kind = client.get(
        "/library/wheel/", {"wheel": "phases", "segment": "treatment", "type": "facility"}
    )
    html = one_kind.content.decode()
    assert "Batrec lamp line" in html and "Guide to recycling" not in html
    assert "Secret draft plant" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"wheel": "colours", "segment": "e"},
        {"wheel": "nap", "segment": "zz"},
        {"wheel": "nap", "segment": "treatment"},
        {"wheel": "nap", "segment": "e", "type": "organization"},
        {"wheel": "nap", "type": "resource"},
    ],
)
def test_an_unknown_wheel_segment_or_type_is_not_found(client, db, query):
    assert client.get("/library/wheel/", query).status_code == 404


def test_the_wheel_speaks_french_and_arabic(client, tagged_world):
    french = client.get("/fr/library/wheel/", {"wheel": "nap", "segment": "e"}).content.decode()
    label = Term.objects.get(vocabulary__name="nap_elements", code="e").translations["fr"]
    assert escape(label["label"]) in french
    arabic = client.get("/ar/library/wheel/").content.decode()
    assert 'dir="rtl"' in arabic


def test_the_library_home_links_to_the_wheel_and_the_factsheets(client, db):
    html = client.get("/library/").content.decode()
    assert 'href="/library/wheel/"' in html and 'href="/library/factsheets/"' in html
