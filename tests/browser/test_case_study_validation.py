"""A reviewer validates a case study in a real browser: validation is refused while a
criterion is not judged, the reviewer judges each criterion with a note, validates, and the
public page shows the criteria met and not met with the notes and the reviewer."""

import pytest

from mercuryhub.accounts.actions import do_create_organization
from mercuryhub.accounts.models import User
from mercuryhub.library.queries import active_criteria
from mercuryhub.review import actions as review_actions
from tests.browser.test_review_flow import _sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

CASE_STUDY = {
    "name": "Lamp collection in Wimmis",
    "country": "CHE",
    "organization": "batrec-industrie-ag",
    "place": "Wimmis",
    "results": "412 tonnes of lamps collected.",
    "waste_categories": ["lamps"],
}


@pytest.fixture
def submitted(live_site):
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    reviewer.name = "Rita Keller"
    reviewer.save()
    do_create_organization(
        owner,
        {"name": "Batrec Industrie AG", "stakeholder_type": "private-sector", "country": "CHE"},
    )
    case_study = review_actions.do_create_draft("case_study", owner, CASE_STUDY)
    return reviewer, review_actions.do_submit_entry("case_study", owner, case_study)


def test_a_reviewer_judges_a_case_study_criterion_by_criterion_then_validates_it(
    browser, live_site, submitted
):
    reviewer, case_study = submitted
    review_url = f"{live_site.url}/review/case_study/{case_study.pk}/"
    page = _sign_in(browser, live_site, reviewer)
    page.goto(review_url)
    criteria = list(active_criteria())
    assert page.locator("#criteria li.entry-card").count() == len(criteria)

    # Validating before judging is refused, naming what is missing.
    page.get_by_role("button", name="Validate and publish").click()
    page.wait_for_url(review_url)
    refusal = page.locator(".messages .message-error").inner_text()
    assert "Not judged yet:" in refusal and "The source is named" in refusal

    outcomes = {"replicable-costed": "not_met", "basel-guidelines": "not_applicable"}
    for criterion in criteria:
        card = page.locator(f"#criterion-{criterion.code}")
        outcome = outcomes.get(criterion.code, "met")
        card.locator(f"#judgement-{criterion.code}-{outcome}").check()
        card.locator("textarea").fill(f"Note on {criterion.label.lower()}")
        with page.expect_navigation():
            card.get_by_role("button", name="Record the judgement").click()
        assert page.locator(f"#criterion-{criterion.code} .tag").count() == 1
    assert "Every criterion is judged." in page.locator("#criteria").inner_text()

    page.get_by_role("button", name="Validate and publish").click()
    page.wait_for_url("**/review/")
    assert "Validated and published" in page.locator(".messages").inner_text()

    page.goto(f"{live_site.url}/library/case-studies/{case_study.pk}/")
    validation = page.locator("section[aria-labelledby=validation-heading]")
    text = validation.inner_text()
    assert "Validated against the published criteria by Rita Keller on" in text
    assert "Note on the results are measured" in text
    not_met = validation.locator("ul[aria-labelledby=criteria-not-met]").inner_text()
    assert "Replicable, with its costs" in not_met and "Note on replicable" in not_met
    not_applicable = validation.locator("ul[aria-labelledby=criteria-not-applicable]")
    assert "Basel" in not_applicable.inner_text()
    validation.get_by_role("link", name="published criteria").click()
    page.wait_for_url("**/library/case-studies/criteria/")
    assert page.locator("main ol li").count() == len(criteria)
    page.context.close()
