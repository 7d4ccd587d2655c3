"""Resources as partners and the secretariat keep them: imported from the shipped list, added and
edited on the web as drafts, validated, linked to their versions in other languages."""

from datetime import timedelta
from importlib import resources as package_files

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from mercuryhub.catalogue.spreadsheets.importing import import_entries
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library.models import Resource
from mercuryhub.review import actions, campaigns, registry
from mercuryhub.review.models import ReviewState
from mercuryhub.search import engine
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SHIPPED = package_files.files("mercuryhub.library") / "data" / "resources.csv"


def _import(**options):
    with package_files.as_file(SHIPPED) as path:
        return import_entries("resource", path, **options)


def test_the_shipped_resources_are_imported_once_and_found():
    dry = _import(dry_run=True)
    assert (dry.created, Resource.objects.count()) == (34, 0)

    report = _import()
    assert (report.created, report.updated) == (34, 0)
    again = _import()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 34)

    basel = Resource.objects.get(external_id="basel-tg-mercury")
    assert basel.published and basel.review_state == ReviewState.IMPORTED
    assert basel.kind.code == "technical-guideline"
    assert sorted(language.code for language in basel.languages.all()) == [
        "ar", "en", "es", "fr", "ru", "zh",
    ]  # fmt: skip
    assert {term.code for term in basel.phases.all()} >= {"storage", "treatment", "disposal"}
    page = Client().get(basel.get_absolute_url()).content.decode()
    assert "From public sources; not yet validated by the secretariat" in page
    assert "Not yet confirmed by those who keep it current" in page
    assert engine.matches("sourcebook", ["resource"], cap=10)["resource"] == [
        Resource.objects.get(external_id="unep-iswa-sourcebook").pk
    ]


def test_a_bad_row_is_named_and_nothing_is_imported(tmp_path):
    path = tmp_path / "resources.csv"
    path.write_text(
        "external_id,title,kind,url,year,audiences\n"
        "good,A good guide,guidance,https://example.org/guide,2020,policymakers\n"
        "bad,A bad guide,pamphlet,,3020,nobody\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("import", "resources", str(path), verbosity=0)
    message = str(raised.value)
    assert "nothing saved" in message
    assert "'pamphlet'" in message and "'nobody'" in message
    assert "3020" in message
    assert Resource.objects.count() == 0


def test_a_resource_needs_an_address_or_a_file(owner):
    with pytest.raises(InvalidInputError) as raised:
        actions.do_create_draft("resource", owner, {"name": "Nowhere", "kind": "guidance"})
    assert raised.value.errors == {"url": "Give the resource's address or upload its file"}
    assert Resource.objects.count() == 0


def test_anyone_signed_in_proposes_a_resource_that_is_public_once_validated(client, reviewer):
    person = make_user("ama.mensah@epa.example.gh")
    client.login(email=person.email, password=PASSWORD)

    form = client.get("/catalogue/new/resource/")
    assert form.status_code == 200
    assert "Add a resource" in form.content.decode()
    posted = client.post(
        "/catalogue/new/resource/",
        {
            "name": "Guide to collecting broken thermometers",
            "kind": "guidance",
            "description": "How health centres collect and store broken thermometers.",
            "url": "https://epa.example.gh/thermometers",
            "year": "2024",
            "audiences": ["health-workers"],
            "waste_categories": ["measuring-devices"],
            "content_language": "en",
            "name_fr": "Guide de collecte des thermomètres cassés",
            "submit_for_review": "1",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    resource = Resource.objects.get()
    assert (resource.owner, resource.review_state) == (person, ReviewState.SUBMITTED)
    assert client.get(resource.get_absolute_url()).status_code == 404  # not public yet

    actions.do_validate_entry("resource", reviewer, resource)
    client.logout()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Guide to collecting broken thermometers" in page
    french = client.get(f"/fr{resource.get_absolute_url()}").content.decode()
    assert "Guide de collecte des thermomètres cassés" in french
    assert engine.matches("thermomètres", ["resource"], cap=10)["resource"] == [resource.pk]


def test_a_bad_year_is_named_beside_the_field_and_nothing_is_saved(client):
    person = make_user("ama.mensah@epa.example.gh")
    client.login(email=person.email, password=PASSWORD)
    response = client.post(
        "/catalogue/new/resource/",
        {"name": "A guide", "kind": "guidance", "url": "https://example.org", "year": "19x4"},
    )
    assert response.status_code == 200
    assert "&#x27;19x4&#x27; is not a number" in response.content.decode()
    assert Resource.objects.count() == 0


def test_the_language_versions_of_a_resource_offer_each_other(owner, reviewer):
    _import()
    english = Resource.objects.get(external_id="basel-tg-mercury")
    french = actions.do_create_draft(
        "resource",
        owner,
        {
            "name": "Directives techniques sur les déchets de mercure",
            "kind": "technical-guideline",
            "url": "https://basel.example/fr",
            "languages": ["fr"],
            "content_language": "fr",
            "language_version_of": "basel-tg-mercury",
        },
    )
    actions.do_submit_entry("resource", owner, french)
    actions.do_validate_entry("resource", reviewer, french)
    assert registry.get("resource").serialize(french)["language_version_of"] == english.pk

    page = Client().get(english.get_absolute_url()).content.decode()
    assert "Also in other languages" in page and french.get_absolute_url() in page
    page = Client().get(french.get_absolute_url()).content.decode()
    assert english.get_absolute_url() in page

    with pytest.raises(InvalidInputError) as raised:
        actions.do_create_draft(
            "resource",
            owner,
            {
                "name": "x",
                "kind": "guidance",
                "url": "https://x.example",
                "language_version_of": "nope",
            },
        )
    assert raised.value.errors["language_version_of"] == (
        "No resource 'nope' (give its external_id, its number or its page's address)"
    )


def test_the_web_form_links_a_language_version_by_the_address_of_its_page(owner, reviewer):
    _import()
    english = Resource.objects.get(external_id="basel-tg-mercury")
    client = Client()
    client.force_login(owner)
    form = client.get("/catalogue/new/resource/").content.decode()
    assert 'name="language_version_of"' in form
    response = client.post(
        "/catalogue/new/resource/",
        {
            "name": "Directrices técnicas sobre desechos de mercurio",
            "kind": "technical-guideline",
            "url": "https://basel.example/es",
            "languages": ["es"],
            "content_language": "es",
            "language_version_of": f"http://testserver{english.get_absolute_url()}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    spanish = Resource.objects.get(name__startswith="Directrices")
    assert spanish.language_version_of == english
    response = client.post(
        f"/catalogue/resource/{spanish.pk}/edit/",
        {
            "name": spanish.name,
            "kind": "technical-guideline",
            "url": "https://basel.example/es",
            "language_version_of": "/library/resources/999999/",
            "base_version": spanish.version,
        },
    )
    assert response.status_code == 200
    assert "No resource &#x27;999999&#x27;" in response.content.decode()


def test_case_studies_are_imported_from_a_spreadsheet_and_again_unchanged(tmp_path, capsys):
    path = tmp_path / "case_studies.csv"
    path.write_text(
        "external_id,title,country,period,summary,lessons_learned,waste_categories,source\n"
        "montevideo-lamps,Lamp collection in Montevideo,URY,2016–2019,Municipal lamp "
        "collection.,Start with hospitals.,lamps,Municipal report 2020\n",
        encoding="utf-8",
    )
    call_command("import", "case_studies", str(path))
    call_command("import", "case_studies", str(path))
    out = capsys.readouterr().out
    assert "Case studies: 1 created, 0 updated, 0 unchanged" in out
    assert "Case studies: 0 created, 0 updated, 1 unchanged" in out
    case = registry.get("case_study").model.objects.get()
    assert (case.country_id, case.period, case.lessons_learned) == (
        "URY",
        "2016–2019",
        "Start with hospitals.",
    )
    assert case.published and engine.matches("hospitals", ["case_study"], cap=5)


def test_the_annual_update_asks_the_person_who_keeps_a_resource_to_confirm_it(client, reviewer):
    person = make_user("ama.mensah@epa.example.gh")
    resource = actions.do_create_draft(
        "resource",
        person,
        {"name": "Thermometer guide", "kind": "guidance", "url": "https://epa.example.gh/t"},
    )
    actions.do_submit_entry("resource", person, resource)
    actions.do_validate_entry("resource", reviewer, resource)
    today = timezone.localdate()
    campaign = campaigns.do_open_campaign(
        reviewer, name="Annual update", year=today.year, deadline=today + timedelta(days=60)
    )

    asked = dict(campaigns.entries_to_confirm_by_person())
    assert [(e.kind, e.pk) for e in asked[person]] == [("resource", resource.pk)]
    progress = campaigns.campaign_progress(campaign)
    assert [(row.label, row.entries) for row in progress.organizations] == [
        ("Entries without an organization", 1)
    ]

    client.login(email=person.email, password=PASSWORD)
    response = client.post(f"/review/resource/{resource.pk}/reconfirm/")
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.last_confirmed_at == today
    assert campaigns.campaign_progress(campaign).confirmed == 1
