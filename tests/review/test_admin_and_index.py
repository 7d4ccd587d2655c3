"""Every write goes through the review layer's actions, the administration included: an
administrator's change is a new version, recorded and found by search; a change of vocabulary
reindexes the entries it affects; ``mercuryhub reindex`` rebuilds the index and says how much."""

import json
import shutil
from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import RequestFactory

from mercuryhub.catalogue.models import Facility
from mercuryhub.review.models import EntryVersion, ReviewDecision
from mercuryhub.search import engine
from mercuryhub.search.models import SearchEntry
from mercuryhub.taxonomy.actions import default_taxonomy_path, do_load_taxonomy
from mercuryhub.taxonomy.models import Term

pytestmark = pytest.mark.django_db


def _admin_post_data(administrator, entry, **changes) -> dict:
    """What the administration's change form posts for the entry, with ``changes`` typed in."""
    request = RequestFactory().get("/")
    request.user = administrator
    form = site._registry[type(entry)].get_form(request, entry, change=True)
    data = {}
    for name, value in model_to_dict(entry, fields=list(form.base_fields)).items():
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    data.update(changes)
    return data


def _found(words: str) -> set[int]:
    return set(engine.matches(words, ["facility"], cap=50).get("facility", ()))


def test_an_administrators_change_is_a_version_published_and_found_by_search(
    signed_in, administrator, facilities
):
    batrec = facilities["batrec"]
    assert batrec.pk not in _found("cinnabar")
    data = _admin_post_data(
        administrator, batrec, description="Stabilizes mercury as cinnabar before disposal."
    )
    response = signed_in(administrator).post(f"/admin/catalogue/facility/{batrec.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    batrec.refresh_from_db()
    assert batrec.description == "Stabilizes mercury as cinnabar before disposal."
    assert batrec.published_version == batrec.version == 2
    newest = EntryVersion.objects.get(kind="facility", object_id=batrec.pk, number=2)
    assert newest.note == "corrected in the administration"
    assert newest.created_by == administrator
    assert ReviewDecision.objects.get(kind="facility", object_id=batrec.pk).action == "corrected"
    # A correction is neither a validation nor a confirmation by the operator.
    assert (batrec.review_state, batrec.last_confirmed_at) == ("imported", None)
    assert batrec.pk in _found("cinnabar")


def test_an_administrators_change_that_breaks_a_rule_is_refused_and_changes_nothing(
    signed_in, administrator, facilities
):
    batrec = facilities["batrec"]
    data = _admin_post_data(administrator, batrec, accepted_wastes=[])
    response = signed_in(administrator).post(f"/admin/catalogue/facility/{batrec.pk}/change/", data)
    assert response.status_code == 200
    assert "accepted_wastes" in response.content.decode()
    assert not EntryVersion.objects.filter(kind="facility", object_id=batrec.pk).exists()
    assert Facility.objects.get(pk=batrec.pk).accepted_wastes.count() == 3


def test_entries_are_not_added_nor_deleted_in_the_administration(signed_in, administrator):
    client = signed_in(administrator)
    assert client.get("/admin/catalogue/facility/add/").status_code == 403


def test_a_synonym_added_in_the_administration_finds_the_tagged_facilities(
    signed_in, administrator, facilities
):
    lamps = Term.objects.get(vocabulary__name="waste_categories", code="lamps")
    assert not _found("quecksilberlampe")
    response = signed_in(administrator).post(
        f"/admin/taxonomy/term/{lamps.pk}/change/",
        {
            "vocabulary": lamps.vocabulary_id,
            "code": lamps.code,
            "label": lamps.label,
            "parent": lamps.parent_id or "",
            "synonyms": json.dumps([*lamps.synonyms, "Quecksilberlampe"]),
            "attributes": json.dumps(lamps.attributes),
            "position": lamps.position,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Batrec and Montevideo accept lamps.
    assert _found("quecksilberlampe") == {facilities["batrec"].pk, facilities["montevideo"].pk}


def test_a_synonym_changed_in_the_taxonomy_file_finds_the_tagged_facilities(tmp_path, facilities):
    data = json.loads(default_taxonomy_path().read_text())
    for term in data["waste_categories"]:
        if term["code"] == "chlor-alkali":
            term["synonyms"] = [*term.get("synonyms", []), "Chloralkalischlamm"]
    changed = tmp_path / "taxonomy.json"
    changed.write_text(json.dumps(data))
    shutil.copytree(default_taxonomy_path().parent / "translations", tmp_path / "translations")
    assert not _found("chloralkalischlamm")

    report = do_load_taxonomy(changed)

    assert report.updated == 1
    assert _found("chloralkalischlamm") == {
        facilities[name].pk for name in ("econ", "mayasa", "santos")
    }


def test_reindex_rebuilds_the_index_and_reports_counts(facilities, expert, offering):
    SearchEntry.objects.all().delete()
    assert not _found("batrec")
    out = StringIO()

    call_command("reindex", stdout=out)

    assert "facility: 5 indexed of 5" in out.getvalue()
    assert "offering: 1 indexed of 1" in out.getvalue()
    assert "expert: 1 indexed of 1" in out.getvalue()
    assert "7 entries indexed" in out.getvalue()
    assert _found("batrec") == {facilities["batrec"].pk}


def test_reindex_of_one_kind_leaves_the_others(facilities, expert):
    out = StringIO()
    call_command("reindex", "expert", stdout=out)
    assert out.getvalue().splitlines()[0] == "expert: 1 indexed of 1"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/catalogue/review/?type=facility", "/review/?type=facility"),
        ("/catalogue/review/facility/7/", "/review/facility/7/"),
        ("/catalogue/facility/7/versions/?a=1&b=2", "/review/facility/7/versions/?a=1&b=2"),
        ("/catalogue/expert/7/reconfirm/", "/review/expert/7/reconfirm/"),
        ("/catalogue/campaigns/3/", "/review/campaigns/3/"),
    ],
)
def test_the_former_review_addresses_lead_to_the_new_ones(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_reindex_names_an_unknown_kind():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown kind of entry 'factory'; choose from facility"):
        call_command("reindex", "factory")
