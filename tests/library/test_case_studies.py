"""Case studies validated criterion by criterion against the published criteria, and found by
their circumstances."""

import json

import pytest
from django.utils import translation

from mercuryhub.library import actions as library_actions
from mercuryhub.library.models import CriterionJudgement, ValidationCriterion
from mercuryhub.library.queries import active_criteria
from mercuryhub.review import actions
from mercuryhub.review.errors import WorkflowError
from tests.conftest import make_user
from tests.library.criteria import judge_every_criterion, validate

pytestmark = pytest.mark.django_db

WIMMIS = {
    "name": "Lamp collection in Wimmis",
    "country": "CHE",
    "organization": "batrec-industrie-ag",
    "place": "Wimmis, canton of Bern",
    "period": "2015–2019",
    "description": "Municipal collection of fluorescent tubes for recycling.",
    "results": "412 tonnes of lamps collected; 38 kg of mercury recovered.",
    "waste_categories": ["lamps"],
    "phases": ["collection"],
    "nap_elements": ["b"],
}


def _submitted(owner, **data):
    entry = actions.do_create_draft("case_study", owner, {**WIMMIS, **data})
    return actions.do_submit_entry("case_study", owner, entry)


def _published(owner, reviewer, **data):
    return validate("case_study", reviewer, _submitted(owner, **data))


# The criteria, kept as data ----------------------------------------------------------------


def test_the_criteria_are_loaded_from_their_data_file_with_their_translations():
    shipped = json.loads(library_actions.CRITERIA_FILE.read_text(encoding="utf-8"))["criteria"]
    criteria = list(active_criteria())
    assert [c.code for c in criteria] == [c["code"] for c in shipped]
    assert "basel-guidelines" in {c.code for c in criteria}
    source = ValidationCriterion.objects.get(code="source-named")
    for language in ("fr", "es", "ru", "zh-hans", "ar"):
        with translation.override(language):
            assert source.localized_label == shipped[0]["translations"][language]["label"]
            assert source.localized_label != source.label
    with translation.override("fr"):
        assert source.localized_label == "La source est citée"


def test_loading_again_changes_nothing_and_a_criterion_taken_out_becomes_inactive(tmp_path):
    before = list(ValidationCriterion.objects.values_list("code", "label", "position"))
    assert library_actions.do_load_validation_criteria() == len(before)
    assert list(ValidationCriterion.objects.values_list("code", "label", "position")) == before

    shipped = json.loads(library_actions.CRITERIA_FILE.read_text(encoding="utf-8"))
    shipped["criteria"] = shipped["criteria"][1:]
    shorter = tmp_path / "criteria.json"
    shorter.write_text(json.dumps(shipped), encoding="utf-8")
    library_actions.do_load_validation_criteria(path=shorter)
    assert not ValidationCriterion.objects.get(code="source-named").active
    assert "source-named" not in {c.code for c in active_criteria()}


def test_a_criterion_without_its_translations_is_refused_by_name(tmp_path):
    shipped = json.loads(library_actions.CRITERIA_FILE.read_text(encoding="utf-8"))
    del shipped["criteria"][1]["translations"]["ar"]
    broken = tmp_path / "criteria.json"
    broken.write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(ValueError, match="results-measured has no label or description in ar"):
        library_actions.do_load_validation_criteria(path=broken)


def test_the_published_criteria_page_lists_them_in_the_readers_language(client):
    page = client.get("/library/case-studies/criteria/").content.decode()
    assert "The results are measured" in page and "Basel" in page
    page = client.get("/fr/library/case-studies/criteria/").content.decode()
    assert "Les résultats sont mesurés" in page


# Judging, criterion by criterion -----------------------------------------------------------


def test_a_reviewer_judges_each_criterion_on_the_review_page(client, organization, owner, reviewer):
    case_study = _submitted(owner)
    client.force_login(reviewer)
    page = client.get(f"/review/case_study/{case_study.pk}/").content.decode()
    assert page.count('name="judgement" value="met"') == active_criteria().count()
    assert "criteria are not judged yet" in page

    response = client.post(
        f"/library/case-studies/{case_study.pk}/judgements/",
        {"criterion": "results-measured", "judgement": "met", "note": "412 t collected"},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"/review/case_study/{case_study.pk}/#criterion-results-measured")
    judgement = CriterionJudgement.objects.get(case_study=case_study)
    assert (judgement.criterion.code, judgement.judgement, judgement.note) == (
        "results-measured",
        "met",
        "412 t collected",
    )
    assert (judgement.version, judgement.judged_by) == (case_study.version, reviewer)

    # Judged again, the judgement changes rather than doubles.
    client.post(
        f"/library/case-studies/{case_study.pk}/judgements/",
        {"criterion": "results-measured", "judgement": "not_met", "note": "No figures"},
    )
    judgement = CriterionJudgement.objects.get(case_study=case_study)
    assert (judgement.judgement, judgement.note) == ("not_met", "No figures")


def test_a_judgement_must_name_a_criterion_and_an_outcome(client, organization, owner, reviewer):
    case_study = _submitted(owner)
    client.force_login(reviewer)
    response = client.post(
        f"/library/case-studies/{case_study.pk}/judgements/",
        {"criterion": "no-such-criterion", "judgement": "perhaps"},
        follow=True,
    )
    page = response.content.decode()
    assert "Choose one of the published criteria." in page
    assert "Choose met, not met or not applicable." in page
    assert not CriterionJudgement.objects.exists()


def test_only_reviewers_judge(client, organization, owner, reviewer):
    case_study = _submitted(owner)
    path = f"/library/case-studies/{case_study.pk}/judgements/"
    data = {"criterion": "source-named", "judgement": "met"}
    response = client.post(path, data)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(owner)
    assert client.post(path, data).status_code == 403
    with pytest.raises(Exception, match="Only reviewers"):
        library_actions.do_judge_criterion(owner, case_study, "source-named", "met")
    assert not CriterionJudgement.objects.exists()


def test_a_case_study_not_waiting_for_review_cannot_be_judged(organization, owner, reviewer):
    draft = actions.do_create_draft("case_study", owner, WIMMIS)
    with pytest.raises(WorkflowError, match="waiting for review"):
        library_actions.do_judge_criterion(reviewer, draft, "source-named", "met")


# Validation needs every criterion judged ---------------------------------------------------


def test_validation_is_refused_while_a_criterion_is_not_judged(
    client, organization, owner, reviewer
):
    case_study = _submitted(owner)
    for criterion in active_criteria().exclude(code__in=["basel-guidelines", "lessons-stated"]):
        library_actions.do_judge_criterion(reviewer, case_study, criterion.code, "met")
    with pytest.raises(WorkflowError) as refused:
        actions.do_validate_entry("case_study", reviewer, case_study)
    message = str(refused.value)
    assert "Not judged yet:" in message
    assert "The lessons learned are stated" in message
    assert "Consistent with the Basel technical guidelines" in message
    assert "The source is named" not in message

    client.force_login(reviewer)
    response = client.post(
        f"/review/case_study/{case_study.pk}/", {"action": "validate"}, follow=True
    )
    page = response.content.decode()
    assert "Not judged yet:" in page and "The lessons learned are stated" in page
    case_study.refresh_from_db()
    assert not case_study.published and case_study.review_state == "submitted"

    library_actions.do_judge_criterion(reviewer, case_study, "lessons-stated", "not_met")
    library_actions.do_judge_criterion(reviewer, case_study, "basel-guidelines", "not_applicable")
    response = client.post(f"/review/case_study/{case_study.pk}/", {"action": "validate"})
    assert response.status_code == 302
    case_study.refresh_from_db()
    assert case_study.published and case_study.review_state == "validated"


def test_the_published_page_shows_the_judgements_their_notes_and_the_reviewer(
    client, organization, owner, reviewer
):
    reviewer.name = "Rita Reviewer"
    reviewer.save()
    case_study = _submitted(owner)
    judge_every_criterion(reviewer, case_study, "met", "Checked against the report")
    library_actions.do_judge_criterion(
        reviewer, case_study, "replicable-costed", "not_met", "No costs are given"
    )
    library_actions.do_judge_criterion(
        reviewer, case_study, "basel-guidelines", "not_applicable", "Collection only"
    )
    case_study = actions.do_validate_entry("case_study", reviewer, case_study)

    page = client.get(f"/library/case-studies/{case_study.pk}/").content.decode()
    date = case_study.validated_at.strftime("%-d %B %Y")
    assert f"by <bdi>Rita Reviewer</bdi> on {date}" in page
    assert "Validated against the" in page and "published criteria</a>" in page
    met = page.split('id="criteria-met"')[1].split("</ul>")[0]
    assert "The source is named" in met and "Checked against the report" in met
    not_met = page.split('id="criteria-not-met"')[1].split("</ul>")[0]
    assert "Replicable, with its costs" in not_met and "No costs are given" in not_met
    not_applicable = page.split('id="criteria-not-applicable"')[1].split("</ul>")[0]
    assert "Consistent with the Basel technical guidelines" in not_applicable
    assert reviewer.email not in page


def test_a_new_version_needs_new_judgements(client, organization, owner, reviewer):
    case_study = _published(owner, reviewer)
    first = case_study.version
    case_study = actions.do_edit_entry(
        "case_study",
        owner,
        case_study,
        {"results": "450 tonnes collected"},
        base_version=case_study.version,
    )
    case_study = actions.do_submit_entry("case_study", owner, case_study)
    assert case_study.version == first + 1
    with pytest.raises(WorkflowError, match="The source is named"):
        actions.do_validate_entry("case_study", reviewer, case_study)

    client.force_login(reviewer)
    page = client.get(f"/review/case_study/{case_study.pk}/").content.decode()
    assert "7 criteria are not judged yet" in page
    assert page.count(f"Version {first} was judged: Met.") == 7
    # The public page keeps the judgements of the published version meanwhile.
    client.logout()
    assert "Criteria met" in client.get(f"/library/case-studies/{case_study.pk}/").content.decode()

    judge_every_criterion(reviewer, case_study)
    case_study = actions.do_validate_entry("case_study", reviewer, case_study)
    assert case_study.published_version == first + 1
    assert CriterionJudgement.objects.filter(case_study=case_study).count() == 2 * 7


# The list, by circumstance -----------------------------------------------------------------


@pytest.fixture
def three(organization, owner, reviewer):
    """Three published case studies in different circumstances."""
    wimmis = _published(owner, reviewer)
    ghana = _submitted(
        owner,
        name="Retorts for gold miners in Tarkwa",
        country="GHA",
        place="Tarkwa",
        description="Mercury retorts lent to artisanal miners.",
        waste_categories=["elemental-mercury"],
        phases=["prevention"],
        nap_elements=["c"],
    )
    judge_every_criterion(reviewer, ghana, "met")
    library_actions.do_judge_criterion(reviewer, ghana, "results-measured", "not_met")
    ghana = actions.do_validate_entry("case_study", reviewer, ghana)
    peru = _published(
        owner,
        reviewer,
        name="Dental amalgam separators in Lima",
        country="PER",
        description="Amalgam separators fitted in public dental clinics.",
        waste_categories=["dental-amalgam"],
        phases=["treatment"],
        nap_elements=["d"],
    )
    return wimmis, ghana, peru


def _listed(client, query="") -> list[str]:
    response = client.get(f"/library/case-studies/?{query}")
    assert response.status_code == 200, response.content.decode()[:500]
    return [case_study.name for case_study in response.context["page"]]


def test_the_list_filters_case_studies_by_their_circumstances(client, three):
    wimmis, ghana, peru = (c.name for c in three)
    assert sorted(_listed(client)) == sorted([wimmis, ghana, peru])
    assert _listed(client, "country=GHA") == [ghana]
    assert _listed(client, "region=Africa") == [ghana]
    assert _listed(client, "region=Western+Europe") == [wimmis]
    assert _listed(client, "waste=containing") == [peru, wimmis]
    assert _listed(client, "waste=dental-amalgam") == [peru]
    assert _listed(client, "phase=prevention") == [ghana]
    assert _listed(client, "nap=b") == [wimmis]
    assert sorted(_listed(client, "met=results-measured")) == sorted([wimmis, peru])
    assert _listed(client, "met=results-measured&country=PER") == [peru]
    assert _listed(client, "q=retorts") == [ghana]
    assert _listed(client, "q=amalgam+lima") == [peru]


def test_only_case_studies_validated_against_the_criteria_when_asked(client, three, reviewer):
    wimmis, ghana, peru = three
    # An imported case study, published without judgements.
    type(peru).objects.filter(pk=peru.pk).update(published_version=None)
    assert sorted(_listed(client, "validated=1")) == sorted([wimmis.name, ghana.name])
    page = client.get("/library/case-studies/").content.decode()
    assert "6 of 7 criteria met" in page and "7 of 7 criteria met" in page


def test_drafts_are_not_listed_and_unknown_filters_are_named(client, three, owner):
    actions.do_create_draft("case_study", owner, {**WIMMIS, "name": "Secret draft case"})
    assert "Secret draft case" not in client.get("/library/case-studies/").content.decode()
    response = client.get("/library/case-studies/?country=XXX&waste=plastics&met=nothing")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Unknown code XXX for Country" in page
    assert "Unknown code plastics for Waste category" in page and "nothing" in page


def test_the_list_is_paginated(client, organization, owner, reviewer):
    for number in range(22):
        entry = actions.do_create_draft(
            "case_study", owner, {**WIMMIS, "name": f"Collection round {number:02}"}
        )
        type(entry).objects.filter(pk=entry.pk).update(published=True)
    first = client.get("/library/case-studies/")
    assert len(first.context["page"]) == 20 and "Page 1 of 2" in first.content.decode()
    assert len(client.get("/library/case-studies/?page=2").context["page"]) == 2


def test_reviewers_are_not_named_by_their_email_when_they_gave_no_name(client, organization, owner):
    nameless = make_user("nameless.reviewer@unep.example", "reviewer")
    nameless.name = ""
    nameless.save()
    case_study = _published(owner, nameless)
    page = client.get(f"/library/case-studies/{case_study.pk}/").content.decode()
    assert "by a reviewer of the secretariat on" in page
    assert "nameless.reviewer" not in page


def test_a_revert_keeps_the_judgements_of_the_version_it_restores(
    client, organization, owner, reviewer
):
    case_study = _published(owner, reviewer)
    first = case_study.version
    case_study = actions.do_edit_entry(
        "case_study", owner, case_study, {"results": "No figures"}, base_version=first
    )
    case_study = actions.do_revert_entry("case_study", reviewer, case_study, first)
    assert case_study.published_version == first + 2
    restored = CriterionJudgement.objects.filter(case_study=case_study, version=first + 2)
    assert restored.count() == 7 and {j.judged_by for j in restored} == {reviewer}
    page = client.get(f"/library/case-studies/{case_study.pk}/").content.decode()
    assert "Criteria met" in page


# Judging through the API -------------------------------------------------------------------


def _token(user):
    from mercuryhub.accounts.actions import do_create_api_token

    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(user, 'script')[1]}"}


def test_the_criteria_are_published_through_the_api_in_the_language_asked_for(client):
    answer = client.get("/api/v1/case-study-criteria?lang=fr")
    assert answer.status_code == 200
    codes = [criterion["code"] for criterion in answer.json()]
    assert codes == [criterion.code for criterion in active_criteria()]
    with translation.override("fr"):
        first = active_criteria().first()
        assert answer.json()[0]["label"] == first.localized_label != first.label


def test_a_reviewer_judges_every_criterion_through_the_api_then_validates(
    client, organization, owner, reviewer
):
    case_study = _submitted(owner)
    headers = _token(reviewer)
    path = f"/api/v1/case-studies/{case_study.pk}/judgements"
    listed = client.get(path, **headers).json()
    assert listed == {
        "version": case_study.version,
        "judgements": [],
        "unjudged": [criterion.code for criterion in active_criteria()],
    }
    refused = client.post(f"/api/v1/case-studies/{case_study.pk}/validate", {}, **headers)
    assert refused.status_code == 409 and "Not judged yet" in refused.json()["detail"]

    for criterion in active_criteria():
        answer = client.put(
            f"{path}/{criterion.code}",
            json.dumps({"judgement": "met", "note": "Checked against the report"}),
            content_type="application/json",
            **headers,
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["judged_by"] == reviewer.email
    changed = client.put(
        f"{path}/results-measured",
        json.dumps({"judgement": "not_met", "note": "No figures"}),
        content_type="application/json",
        **headers,
    ).json()
    assert (changed["judgement"], changed["note"]) == ("not_met", "No figures")
    listed = client.get(path, **headers).json()
    assert listed["unjudged"] == []
    assert len(listed["judgements"]) == active_criteria().count()

    validated = client.post(f"/api/v1/case-studies/{case_study.pk}/validate", {}, **headers)
    assert validated.status_code == 200, validated.content
    assert validated.json()["published"] is True


def test_judging_through_the_api_names_what_is_wrong_and_who_may(
    client, organization, owner, reviewer
):
    case_study = _submitted(owner)
    path = f"/api/v1/case-studies/{case_study.pk}/judgements"
    body = json.dumps({"judgement": "perhaps", "note": "x" * 2001})
    answer = client.put(
        f"{path}/no-such-criterion", body, content_type="application/json", **_token(reviewer)
    )
    assert answer.status_code == 422
    fields = {error["field"] for error in answer.json()["errors"]}
    assert fields == {"criterion", "judgement", "note"}
    assert CriterionJudgement.objects.count() == 0

    good = json.dumps({"judgement": "met"})
    answer = client.put(
        f"{path}/source-named", good, content_type="application/json", **_token(owner)
    )
    assert answer.status_code == 403
    assert (
        client.put(f"{path}/source-named", good, content_type="application/json").status_code == 401
    )
    unknown = json.dumps({"judgement": "met", "score": 3})
    answer = client.put(
        f"{path}/source-named", unknown, content_type="application/json", **_token(reviewer)
    )
    assert answer.status_code == 422 and "score" in answer.json()["detail"]
    assert CriterionJudgement.objects.count() == 0
