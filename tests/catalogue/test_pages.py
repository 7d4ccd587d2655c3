import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_catalogue_home_counts_entries_and_links_the_tools(client, facilities, expert):
    page = client.get("/catalogue/").content.decode()
    assert "Catalogue of Technologies and Services on Mercury Waste Management" in page
    assert '<a href="/catalogue/search/?type=facility">5</a>' in page
    assert "/catalogue/finder/" in page and "/catalogue/map/" in page


def test_the_facility_page_shows_the_essentials_a_map_and_related_entries(client, facilities):
    mayasa = facilities["mayasa"]
    page = client.get(mayasa.get_absolute_url()).content.decode()
    assert "MAYASA Almadén stabilization plant" in page
    assert "Stabilization to mercury sulfide" in page
    assert "<bdi>Almadén</bdi>, Spain" in page
    assert "From public sources; not yet validated by the secretariat" in page
    assert 'data-lat="38.77"' in page or "38.77" in page
    related = page.split("Facilities accepting the same wastes")[1]
    assert "econ mobile vacuum thermal desorption" in related


def test_an_unpublished_facility_is_not_found(client, facilities):
    econ = facilities["econ"]
    econ.published = False
    econ.save()
    assert client.get(econ.get_absolute_url()).status_code == 404
    assert client.get("/catalogue/facilities/999999/").status_code == 404


def test_a_facility_not_confirmed_for_a_year_says_so(client, facilities):
    from datetime import date

    batrec = facilities["batrec"]
    batrec.last_confirmed_at = date(2024, 3, 1)
    batrec.save()
    page = client.get(batrec.get_absolute_url()).content.decode()
    assert "Not confirmed since 1 March 2024" in page


def test_the_organization_page_lists_its_entries(client, facilities):
    operator = facilities["batrec"].operator
    page = client.get(operator.get_absolute_url()).content.decode()
    assert "In the catalogue" in page
    assert "Batrec Wimmis plant" in page


def test_the_expert_page_never_shows_the_email_address(client, expert):
    page = client.get(expert.get_absolute_url()).content.decode()
    assert "Ana Pereira" in page
    assert "ana.pereira@example.org" not in page
    assert "Contact <bdi>Ana Pereira</bdi>" in page


MESSAGE = {
    "name": "Kwame Mensah",
    "email": "kwame@epa.example.gh",
    "organization": "Environmental Protection Agency, Ghana",
    "message": "We collect broken thermometers from hospitals; could you advise on storage?",
}


def test_a_visitor_contacts_an_expert_who_receives_an_email_to_reply_to(client, expert):
    response = client.post(f"/catalogue/experts/{expert.pk}/contact/", MESSAGE, follow=True)
    assert "Your message has been sent" in response.content.decode()
    [sent] = mail.outbox
    assert sent.to == ["ana.pereira@example.org"]
    assert sent.reply_to == ["kwame@epa.example.gh"]
    assert "broken thermometers" in sent.body
    assert "ana.pereira@example.org" not in response.content.decode()


def test_the_contact_form_names_the_missing_fields(client, expert):
    response = client.post(
        f"/catalogue/experts/{expert.pk}/contact/", {**MESSAGE, "email": "nope", "message": "hi"}
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Ensure this value has at least 20 characters" in page
    assert mail.outbox == []


def test_the_contact_form_is_rate_limited(client, expert):
    for _ in range(5):
        client.post(f"/catalogue/experts/{expert.pk}/contact/", MESSAGE)
    response = client.post(f"/catalogue/experts/{expert.pk}/contact/", MESSAGE)
    assert response.status_code == 429
    assert "several messages in the last hour" in response.content.decode()
    assert len(mail.outbox) == 5


def test_the_offering_page(client, offering):
    page = client.get(offering.get_absolute_url()).content.decode()
    assert "Lamp recycling system" in page
    assert "Equipment" in page
    assert "Africa, Asia" in page


def test_a_bad_filter_on_the_search_page_is_explained(client):
    response = client.get("/catalogue/search/", {"waste": "quicksilver", "lat": "200"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown waste code &#x27;quicksilver&#x27;" in page
    assert "Latitude must be between -90 and 90" in page


def test_user_written_text_takes_its_own_direction_in_an_arabic_page(client, facilities):
    path = facilities["mayasa"].get_absolute_url()
    page = client.get(f"/ar{path}").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<h1 dir="auto" lang="en">MAYASA Almadén stabilization plant</h1>' in page
    assert '<p dir="auto" lang="en">Stabilizes surplus mercury' in page
    results = client.get("/ar/catalogue/search/?q=almaden").content.decode()
    assert '<h2 class="hit-title" dir="auto">' in results
    assert "<bdi>MAYASA</bdi>" in results
