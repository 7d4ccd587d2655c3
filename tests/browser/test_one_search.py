"""The header's search box finds every type at once: a person typing a word sees resources,
organizations and catalogue entries together, with a count per type to narrow by."""

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.library.fields import clean_resource
from tests.conftest import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def platform(live_site):
    owner = make_user("owen.owner@quillmark.example")
    organization = do_create_organization(
        owner,
        {"name": "Quillmark Recyclers", "stakeholder_type": "private-sector", "country": "KEN"},
    )
    resource = do_save_entry(
        "resource",
        clean_resource(
            {
                "name": "Quillmark training on lamp crushing",
                "kind": "training",
                "url": "https://example.org/quillmark",
                "audiences": "practitioners",
            }
        ),
        review_state="imported",
        published=True,
    )
    return live_site, organization, resource


def test_the_header_search_finds_a_resource_and_an_organization(page, platform):
    site, organization, resource = platform
    page.goto(site.url + "/")
    page.fill("#header-q", "quillmark")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalogue/search/?q=quillmark")
    titles = set(page.locator(".hit-title").all_inner_texts())
    assert titles == {organization.name, resource.name}
    types = page.locator(".facet-type")
    assert types.get_by_role("checkbox", name="Organizations 1").is_visible()
    assert types.get_by_role("checkbox", name="Resources 1").is_visible()

    # Narrowing to one type changes the results in place.
    types.get_by_role("checkbox", name="Resources 1").check()
    page.wait_for_url("**type=resource")
    assert page.locator(".hit-title").all_inner_texts() == [resource.name]
    page.get_by_role("link", name=resource.name).click()
    page.wait_for_url(f"**/library/resources/{resource.pk}/")
