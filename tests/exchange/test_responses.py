"""The response list: open needs grouped by type of support, with the resources that answer them
and the notes the secretariat adds."""

import pytest

from mercuryhub.exchange.models import Need, NeedNote
from mercuryhub.review import actions

pytestmark = pytest.mark.django_db


def _need(owner, name, **extra):
    data = {
        "name": name,
        "description": "Schools replace fluorescent tubes.",
        "country": "GHA",
        "waste_categories": ["lamps"],
        "funding_status": "funded",
        "organization": "batrec-industrie-ag",
        **extra,
    }
    draft = actions.do_create_draft("need", owner, data)
    return Need.objects.get(pk=actions.do_submit_entry("need", owner, draft).pk)


def test_open_needs_are_grouped_by_support_with_the_resources_that_answer_them(
    client, world, owner, organization
):
    training = _need(owner, "Training on lamp collection", support_types=["capacity-building"])
    plain = _need(owner, "Lamps from hospitals")
    closed = _need(owner, "Old lamps", support_types=["capacity-building"])
    closed.state = Need.State.CLOSED
    closed.save()
    page = client.get("/exchange/responses/").content.decode()
    building = page.index("Capacity-building and training")
    other = page.index("Other needs")
    assert building < page.index(training.name) < other < page.index(plain.name)
    assert closed.name not in page
    assert "Collecting fluorescent lamps in municipalities" in page  # a resource on lamps
    only = client.get("/exchange/responses/?support=capacity-building").content.decode()
    assert training.name in only and plain.name not in only


def test_the_secretariat_adds_notes_that_the_response_list_shows(
    client, world, owner, organization, reviewer
):
    need = _need(owner, "Lamps from hospitals")
    client.force_login(owner)
    assert client.post(f"/exchange/needs/{need.pk}/notes/", {"text": "x"}).status_code == 403
    client.force_login(reviewer)
    assert (
        "Add a note for the response list" in client.get(need.get_absolute_url()).content.decode()
    )
    client.post(f"/exchange/needs/{need.pk}/notes/", {"text": "  "})
    assert NeedNote.objects.count() == 0
    client.post(f"/exchange/needs/{need.pk}/notes/", {"text": "Batrec can take them."})
    note = NeedNote.objects.get()
    assert (note.author, note.text) == (reviewer, "Batrec can take them.")
    client.logout()
    assert "Batrec can take them." in client.get("/exchange/responses/").content.decode()
