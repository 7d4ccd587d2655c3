"""axe-core, run in Chromium on every kind of page, in English and in Arabic: no serious or
critical violation, the API docs, the admin and the field-data pages (the built-in forms of the
demo project, with submissions) included. axe-core is vendored under
tests/browser/vendor/ (see its README) and injected into each page, never fetched."""

import functools
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mercuryhub.accounts.actions import do_set_membership
from mercuryhub.accounts.models import Membership, Organization, User
from mercuryhub.asgm.models import Site
from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_expert, clean_offering
from mercuryhub.forms.actions import do_deploy_builtin_forms
from mercuryhub.library import actions as library_actions
from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses
from mercuryhub.review import actions as review_actions
from mercuryhub.review.campaigns import do_open_campaign
from tests.asgm.conftest import WORKED_EXAMPLE, record_sites
from tests.browser.conftest import watch_requests
from tests.catalogue.conftest import FACILITIES, LAMP_LINE, make_facility
from tests.conftest import make_user
from tests.exchange.needs.conftest import LAMPS as NEED
from tests.forms.demo_submissions import add_demo_submissions
from tests.inventory.conftest import published_years
from tests.library.criteria import judge_every_criterion

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}

# name: (address, who is signed in); {…} are filled in from the catalogue built below.
PAGES = {
    "home": ("/", None),
    "catalogue home": ("/catalogue/", None),
    "search with results and filters": ("/catalogue/search/?q=mercury&status=operating", None),
    "search across every type": ("/catalogue/search/?q=batrec", None),
    "library resources": ("/library/resources/?kind=training&kind=video", None),
    "map": ("/catalogue/map/?status=operating", None),
    "finder with results": ("/catalogue/finder/?waste=lamps&country=CHE", None),
    "facility": ("/catalogue/facilities/{facility}/", None),
    "offering": ("/catalogue/offerings/{offering}/", None),
    "expert": ("/catalogue/experts/{expert}/", None),
    "reference data": ("/taxonomy/", None),
    "vocabulary": ("/taxonomy/waste-categories/", None),
    "countries": ("/taxonomy/countries/", None),
    "open data": ("/open-data/", None),
    "organizations": ("/organizations/", None),
    "organization": ("/organizations/{organization}/", None),
    "wheel of knowledge": ("/library/wheel/?wheel=nap&segment=e", None),
    "wheel on a phase": ("/library/wheel/?wheel=phases&segment=treatment", None),
    "factsheets": ("/library/factsheets/", None),
    "factsheet": ("/library/factsheets/lamps/", None),
    "sign-in": ("/accounts/login/", None),
    "sign-up": ("/accounts/signup/", None),
    "not found": ("/catalogue/facilities/999999/", None),
    "case studies": ("/library/case-studies/?region=Western+Europe", None),
    "case study criteria": ("/library/case-studies/criteria/", None),
    "case study": ("/library/case-studies/{case_study}/", None),
    "response list": ("/exchange/responses/", None),
    "alerts": ("/exchange/alerts/", "editor"),
    "what do you need": ("/exchange/what-do-you-need/?waste_categories=lamps&country=CHE", None),
    "needs": ("/exchange/needs/?waste=containing", None),
    "need": ("/exchange/needs/{need}/", None),
    "own need": ("/exchange/needs/{need}/", "editor"),
    "new need form": ("/catalogue/new/need/", "editor"),
    "my entries": ("/catalogue/mine/", "editor"),
    "edit form": ("/catalogue/facility/{draft}/edit/", "editor"),
    "new facility form": ("/catalogue/new/facility/", "editor"),
    "new resource form": ("/catalogue/new/resource/", "editor"),
    "profile": ("/profile/", "editor"),
    "review queue": ("/review/", "reviewer"),
    "review entry": ("/review/facility/{draft}/", "reviewer"),
    "review case study": ("/review/case_study/{waiting_case_study}/", "reviewer"),
    "campaigns": ("/review/campaigns/", "reviewer"),
    "campaign dashboard": ("/review/campaigns/{campaign}/", "reviewer"),
    "ASGM countries": ("/asgm/", None),
    "ASGM national overview": ("/asgm/COD/", None),
    "ASGM overview with wrong filters": ("/asgm/COD/?admin_area=Atlantis&since=2025-13-01", None),
    "ASGM overview for the secretariat": ("/asgm/COD/", "reviewer"),
    "ASGM site": ("/asgm/sites/{asgm_site}/", None),
    "ASGM site for its project's manager": ("/asgm/sites/{asgm_site}/", "reviewer"),
    "NAP list": ("/nap/", None),
    "NAP plan": ("/nap/plans/{nap_plan}/", None),
    "NAP start a plan": ("/nap/new/", "editor"),
    "NAP builder": ("/nap/plans/{nap_plan}/builder/", "editor"),
    "NAP section with guidance and the schedule": (
        "/nap/plans/{nap_plan}/builder/sections/k/",
        "editor",
    ),
    "NAP baseline section": ("/nap/plans/{nap_plan}/builder/sections/d/", "editor"),
    "NAP actions": ("/nap/plans/{nap_plan}/builder/actions/", "editor"),
    "NAP action form": ("/nap/plans/{nap_plan}/builder/actions/1/", "editor"),
    "NAPs around the world": ("/nap/world/", None),
    "NAP country page": ("/nap/countries/COD/", None),
    "NAP budgets compared": ("/nap/budgets/", None),
    "inventory solutions": ("/inventory/{inventory}/solutions/", None),
    "inventory solutions for its team": ("/inventory/{inventory}/solutions/", "editor"),
    "factor sets": ("/inventory/factors/", None),
    "factor set": ("/inventory/factors/example-set/", None),
    "inventories": ("/inventory/", None),
    "inventory with its charts": ("/inventory/{inventory}/", None),
    "inventories to compare": ("/inventory/compare/", None),
    "inventories compared": ("/inventory/compare/?inventory={inventory}&inventory={earlier}", None),
    "projects with their map": ("/partnership/projects/", None),
    "projects filtered": ("/partnership/projects/?status=ongoing&from=2020&region=Europe", None),
    "project": ("/partnership/projects/{project}/", None),
    "inventory editor with the spreadsheets": ("/inventory/{inventory}/edit/", "editor"),
    "inventory import of lines": ("/inventory/{inventory}/import/", "editor"),
    "Partnership": ("/partnership/", None),
    "partners with their map": ("/partnership/partners/", None),
    "working groups": ("/partnership/groups/", None),
    "working group with its leaders' balance": ("/partnership/groups/wg1/", None),
    "working group for a lead": ("/partnership/groups/wg1/", "reviewer"),
    "working group join form": ("/partnership/groups/wg2/", "editor"),
    "working group leaders": ("/partnership/groups/wg1/leaders/", "reviewer"),
    "workplan": ("/partnership/workplans/{workplan}/", "editor"),
    "workplan editor": ("/catalogue/workplan/{workplan}/edit/", "editor"),
    "review report": ("/partnership/reports/{report}/", None),
    "opening the year's review reports": ("/partnership/reports/open/", "reviewer"),
    "partners' digest": ("/partnership/digest/", "editor"),
    "Partnership events with their map": ("/partnership/events/", None),
    "Partnership events filtered": ("/partnership/events/?place=in-person&when=past", None),
    "Partnership event": ("/partnership/events/{event}/", None),
    "Partnership event for a person registered": ("/partnership/events/{event}/", "reviewer"),
    "Partnership event registrations": ("/partnership/events/{event}/registrations/", "editor"),
    "new event form": ("/catalogue/new/event/", "editor"),
    "API docs": ("/api/v1/docs", None),
    "admin index": ("/admin/", "administrator"),
    "admin changelist": ("/admin/catalogue/facility/", "administrator"),
    "admin change form": ("/admin/catalogue/facility/{facility}/change/", "administrator"),
}
# The field-data pages, seen by the demo project's manager; {…} are filled in from the
# submissions made below.
_FORM = "/projects/demo/forms/"
FIELD_DATA_PAGES = {
    "field-data project": "/projects/demo/",
    "form": _FORM + "asgm_site_baseline/",
    "web form of the mining-site baseline": _FORM + "asgm_site_baseline/fill/",
    "web form of the needs questionnaire": _FORM + "wma_needs/fill/",
    "submissions table": _FORM + "wma_needs/submissions/",
    "submission": _FORM + "asgm_site_baseline/submissions/{site}/",
    "summary with charts and a map": _FORM + "asgm_site_baseline/summary/",
    "summary with a cross-tabulation": _FORM
    + "wma_needs/summary/?rows=stakeholder_type&columns=waste_categories",
    "submission import": _FORM + "wma_needs/import/",
    "app users": "/projects/demo/app-users/",
    "app user and its QR code": "/projects/demo/app-users/{app_user}/",
}
# The API docs have one address, in English whatever the browser asks for.
UNPREFIXED = ("/api/",)


@pytest.fixture
def site(live_site):
    """A small catalogue with one of each kind, a submission waiting for review and a campaign."""
    editor = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    administrator = make_user("ada.admin@unep.example", User.Role.ADMINISTRATOR)
    facilities = {row[0]: make_facility(*row) for row in FACILITIES}
    organization = Organization.objects.get(name="Batrec Industrie AG")
    do_set_membership(administrator, organization, editor, Membership.Role.EDITOR)
    expert = do_save_entry(
        "expert",
        clean_expert(
            {
                "name": "Ana Pereira",
                "email": "ana.pereira@example.org",
                "country": "URY",
                "languages": "es;en",
                "waste_categories": "lamps",
                "support_types": "technical-assistance",
                "consent_to_publication": "yes",
                "biography": "Chemical engineer; advised hospitals on replacing thermometers.",
            }
        ),
        review_state="imported",
        published=True,
    )
    offering = do_save_entry(
        "offering",
        clean_offering(
            {
                "name": "Lamp recycling system",
                "provider": "MRT System",
                "provider_country": "SWE",
                "kind": "equipment",
                "waste_categories": "lamps",
                "technologies": "lamp-processing",
                "languages": "en",
                "description": "Crushes fluorescent tubes and CFL with mercury distillation.",
            }
        ),
        review_state="imported",
        published=True,
    )
    draft = review_actions.do_create_draft(
        "facility",
        editor,
        {**LAMP_LINE, "operator": organization.slug},
    )
    review_actions.do_submit_entry("facility", editor, draft)
    case_study = {
        "name": "Lamp collection in Wimmis",
        "country": "CHE",
        "organization": organization.slug,
        "description": "Municipal collection of fluorescent tubes.",
        "waste_categories": ["lamps"],
    }
    published = review_actions.do_create_draft("case_study", editor, case_study)
    published = review_actions.do_submit_entry("case_study", editor, published)
    judge_every_criterion(reviewer, published, "met", "Figures from the municipal report")
    published = review_actions.do_validate_entry("case_study", reviewer, published)
    waiting = review_actions.do_create_draft("case_study", editor, {**case_study, "name": "Tubes"})
    review_actions.do_submit_entry("case_study", editor, waiting)
    library_actions.do_judge_criterion(reviewer, waiting, "source-named", "met", "Named")
    need = review_actions.do_create_draft("need", editor, NEED)
    need = review_actions.do_submit_entry("need", editor, need)
    today = timezone.localdate()
    campaign = do_open_campaign(
        reviewer,
        name=f"Annual update {today.year}",
        year=today.year,
        deadline=today.replace(month=12, day=31),
    )
    return {
        "url": live_site.url,
        "people": {"editor": editor, "reviewer": reviewer, "administrator": administrator},
        "ids": {
            "facility": facilities["batrec"].pk,
            "offering": offering.pk,
            "expert": expert.pk,
            "organization": organization.slug,
            "draft": draft.pk,
            "campaign": campaign.pk,
            "case_study": published.pk,
            "waiting_case_study": waiting.pk,
            "need": need.pk,
        },
    }


@pytest.fixture
def field_data(live_site, settings):
    """The built-in forms in the demo project, as `serve` deploys them, with the submissions of
    tests/forms/demo_submissions.py; the project's manager is a reviewer."""
    settings.FORMS_ODK_VALIDATE = False
    do_deploy_builtin_forms()
    manager = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    made = add_demo_submissions(manager)
    return {
        "url": live_site.url,
        "people": {"manager": manager},
        "ids": {"site": made["site"].instance_id, "app_user": made["app_user"].pk},
    }


@pytest.fixture
def asgm_site(site, settings):
    """ASGM mining sites for the pages under /asgm/: the worked example, its first site
    observed twice (so that its managers may split it)."""
    settings.FORMS_ODK_VALIDATE = False
    reviewer = site["people"]["reviewer"]
    record_sites(reviewer, [*WORKED_EXAMPLE, {**WORKED_EXAMPLE[0], "miners": "900"}])
    site["ids"]["asgm_site"] = Site.objects.get(code="A").pk
    return site


@pytest.fixture
def nap_plan(site):
    """A National Action Plan of Batrec's editor, published, with its tables and schedule."""
    from mercuryhub.nap.actions import do_create_plan, do_publish_plan
    from tests.nap.conftest import complete_content

    content = complete_content(country="COD", organization=site["ids"]["organization"])
    plan = do_create_plan(site["people"]["editor"], content)
    site["ids"]["nap_plan"] = do_publish_plan(site["people"]["editor"], plan).pk
    return site


@pytest.fixture
def group_work(site):
    """WG1 led by Batrec's editor, with its published workplan and review report."""
    from tests.partnership.work import make_group_work

    organization = Organization.objects.get(slug=site["ids"]["organization"])
    Organization.objects.filter(pk=organization.pk).update(is_partner=True)
    people = site["people"]
    workplan, report = make_group_work(people["editor"], people["reviewer"], organization)
    site["ids"] |= {"workplan": workplan.pk, "report": report.pk}
    return site


@pytest.fixture
def inventories(site):
    """Two years of Batrec's inventory of Switzerland, published, and the example factor set
    (made up for the tests)."""
    from mercuryhub.inventory.reference import do_load_factor_sets
    from tests.inventory.conftest import DATA

    do_load_factor_sets(DATA / "example_sets.csv", DATA / "example_factors.csv")
    earlier, later = published_years(
        site["people"]["editor"],
        site["people"]["reviewer"],
        country="CHE",
        organization=site["ids"]["organization"],
    )
    site["ids"] |= {"earlier": earlier.pk, "inventory": later.pk}
    return site


@pytest.fixture
def partnership_groups(site):
    """Batrec a partner and a member of WG1, its editor one of WG1's leaders, a request of
    Batrec's waiting in WG3."""
    from datetime import date

    from mercuryhub.accounts.actions import do_update_organization
    from mercuryhub.accounts.models import Organization
    from mercuryhub.partnership import group_actions
    from mercuryhub.partnership.models import WorkingGroup

    editor, reviewer = site["people"]["editor"], site["people"]["reviewer"]
    organization = do_update_organization(
        reviewer,
        Organization.objects.get(slug=site["ids"]["organization"]),
        {"is_partner": True, "partnership_areas": ["waste-management"]},
    )
    groups = {group.code: group for group in WorkingGroup.objects.select_related("term")}
    for code in ("wg1", "wg3"):
        group_actions.do_request_group_membership(editor, groups[code], organization, "Lamps.")
    wg1 = organization.group_memberships.get(group=groups["wg1"])
    group_actions.do_decide_group_membership(reviewer, wg1, approve=True)
    group_actions.do_appoint_leader(
        reviewer,
        groups["wg1"],
        person=editor,
        organization=organization,
        gender="woman",
        started_on=date(2024, 3, 1),
    )
    return site


@pytest.fixture
def partnership_events(site):
    """The WMA's past meetings (the starter data) and an upcoming workshop of Batrec's in Vienna
    with two places, one taken by the secretariat's reviewer."""
    from importlib import resources

    from mercuryhub.catalogue.spreadsheets.importing import import_entries
    from mercuryhub.partnership.event_actions import do_register_for_event
    from tests.partnership.events_setup import published_event

    with resources.as_file(
        resources.files("mercuryhub.partnership") / "data" / "events.csv"
    ) as path:
        import_entries("event", path)
    editor, reviewer = site["people"]["editor"], site["people"]["reviewer"]
    organization = Organization.objects.get(slug=site["ids"]["organization"])
    event = published_event(editor, reviewer, organization)
    do_register_for_event(reviewer, event)
    site["ids"]["event"] = event.pk
    return site


@pytest.fixture
def projects(site):
    """A project of Batrec's, validated by the secretariat."""
    from mercuryhub.review import actions as review_actions

    editor, reviewer = site["people"]["editor"], site["people"]["reviewer"]
    project = review_actions.do_create_draft(
        "project",
        editor,
        {
            "name": "Lamp take-back in Swiss retail",
            "summary": "Retailers collect spent fluorescent tubes.",
            "lessons_learned": "Collection grew where shops were paid per kilogram.",
            "organization": site["ids"]["organization"],
            "countries": ["CHE", "AUT"],
            "funder": "Swiss Federal Office for the Environment",
            "first_year": 2015,
            "status": "ongoing",
            "budget": "120000",
            "budget_currency": "CHF",
            "waste_categories": ["lamps"],
            "partnership_areas": ["waste-management"],
        },
    )
    project = review_actions.do_submit_entry("project", editor, project)
    site["ids"]["project"] = review_actions.do_validate_entry("project", reviewer, project).pk
    return site


def _signed_in_context(browser, site, who, language, width=1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="ar" if language == "ar" else "en-GB",
        bypass_csp=False,  # the policy applies: _check fails on any violation
    )
    if who:
        client = Client()
        client.force_login(site["people"][who])
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": site["url"],
                }
            ]
        )
    return context


def _address(site, path, language):
    path = path.format(**site["ids"])
    if language == "ar" and not path.startswith(UNPREFIXED):
        path = "/ar" + path
    return site["url"] + path


def _describe(violations) -> str:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    {violation['helpUrl']}\n"
            + "".join(f"    at {target}\n" for target in targets[:8])
            + (f"    … and {len(targets) - 8} more\n" if len(targets) > 8 else "")
        )
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _blocking_violations(page) -> list[dict]:
    # Through the browser's debugging protocol: the page's policy allows no script tag it did
    # not ship.
    page.evaluate(_axe_source())
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


# Each page is checked in English and in Arabic (right to left) on the same data, made once for
# each part of the site (its first path segment): one test per part, naming every page that fails.
LANGUAGES = ("en", "ar")


def _part(path: str) -> str:
    return path.strip("/").split("/")[0] or "home"


PARTS = sorted({_part(path) for path, _who in PAGES.values()})


@pytest.fixture
def contexts(browser):
    """``contexts(site, who, language)``: one browser context per person and language, shared
    by the pages that one test checks (each in a page of its own), closed when the test ends."""
    opened = {}

    def context(site, who, language):
        if (who, language) not in opened:
            opened[who, language] = _signed_in_context(browser, site, who, language)
        return opened[who, language]

    yield context
    for opened_context in opened.values():
        opened_context.close()


@pytest.mark.parametrize("part", PARTS)
def test_axe_finds_no_serious_or_critical_violation(contexts, site, part, request):
    found = []
    for name, (path, who) in PAGES.items():
        if _part(path) != part:
            continue
        if path.startswith("/asgm/"):
            request.getfixturevalue("asgm_site")  # made only for these pages: it takes a while
        if path.startswith("/inventory/"):
            request.getfixturevalue("inventories")
        if path.startswith("/partnership/"):
            request.getfixturevalue("partnership_groups")
        if "{workplan}" in path or "{report}" in path:
            request.getfixturevalue("group_work")
        if path.startswith("/partnership/events/"):
            request.getfixturevalue("partnership_events")
        if path.startswith("/partnership/projects/"):
            request.getfixturevalue("projects")
        if path.startswith("/nap/"):
            request.getfixturevalue("nap_plan")
            do_load_plan_statuses()  # the NAP reference data, loaded only for these pages
            do_load_budget_lines()
        found += _check_in_each_language(contexts, site, name, path, who)[0]
    assert not found, "\n".join(found)


def _check_in_each_language(contexts, site, name, path, who) -> tuple[list[str], list[str]]:
    """Each language's blocking violations (none expected) and the addresses the page ended at.
    A page of one address whatever the language (the API docs) is checked once."""
    found, shown = [], []
    for language in LANGUAGES if not path.startswith(UNPREFIXED) else LANGUAGES[:1]:
        blocking, address = _check(contexts, site, name, path, who, language)
        shown.append(address)
        if blocking:
            found.append(f"axe-core on {name} ({language}, {path}):\n{_describe(blocking)}")
    return found, shown


def _check(contexts, site, name, path, who, language) -> tuple[list, str]:
    """axe-core's blocking violations on the page; the address it ended at. The page also
    answers with the Content Security Policy, and nothing on it breaks the policy."""
    page = contexts(site, who, language).new_page()
    page.set_default_timeout(15_000)
    wait_until_quiet = watch_requests(page)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        response = page.goto(_address(site, path, language))
        assert response.status < 500, f"{name} ({language}) answered {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self';" in policy, f"{name} ({language}): no script policy"
        wait_until_quiet()
        assert not refused, f"{name} ({language}) breaks the policy: {refused}"
        if language == "ar" and not path.startswith(UNPREFIXED):
            assert page.locator("html").get_attribute("dir") == "rtl", "not an Arabic page"
        blocking = _blocking_violations(page)
        shown = page.url
    finally:
        page.close()
    return blocking, shown


def test_axe_finds_no_serious_or_critical_violation_on_the_field_data_pages(contexts, field_data):
    found = []
    for name, path in FIELD_DATA_PAGES.items():
        violations, shown = _check_in_each_language(contexts, field_data, name, path, "manager")
        assert not any("/accounts/login/" in address for address in shown), f"{name}: not signed in"
        found += violations
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_axe_finds_no_serious_violation_in_the_filter_dialog_of_a_phone(browser, site, language):
    path = PAGES["search with results and filters"][0]
    context = _signed_in_context(browser, site, None, language, width=390)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(_address(site, path, language))
        page.locator("#filters-toggle").click()
        page.get_by_role("dialog").wait_for()
        blocking = _blocking_violations(page)
    finally:
        context.close()
    assert not blocking, f"axe-core on the filter dialog ({language}):\n{_describe(blocking)}"
