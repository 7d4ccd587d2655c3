"""Every page in each of the six languages, in a real Chromium, shows no interface string left in
English. The English strings looked for are the msgids of the catalogues the site uses (its own,
django-allauth's and Django's) whose translation differs from the English, the English labels of
the vocabularies and a few strings of the vendored map library; text that people wrote (marked
``dir="auto"``, ``<bdi>`` or ``data-user-content``) and text in another declared language (the
language switcher's own names) is not interface text and is left out."""

import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import allauth
import django
import pytest
from django.utils import timezone

from mercuryhub.accounts.actions import do_create_organization, do_update_organization
from mercuryhub.accounts.models import User
from mercuryhub.asgm.models import Site
from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.catalogue.fields import clean_expert, clean_offering
from mercuryhub.inventory.actions import do_create_inventory
from mercuryhub.inventory.reference import do_load_factor_sets
from mercuryhub.nap.actions import do_create_plan, do_publish_plan
from mercuryhub.nap.reference import do_load_budget_lines, do_load_plan_statuses
from mercuryhub.partnership.event_actions import do_register_for_event
from mercuryhub.review import actions as review_actions
from mercuryhub.review.campaigns import do_open_campaign
from mercuryhub.taxonomy.models import Term
from tests.asgm.conftest import WORKED_EXAMPLE, record_sites
from tests.catalogue.conftest import FACILITIES, LAMP_LINE, make_facility
from tests.conftest import PASSWORD, make_user
from tests.exchange.needs.conftest import LAMPS as NEED
from tests.inventory.conftest import DATA as INVENTORY_DATA
from tests.inventory.conftest import content as inventory_example
from tests.inventory.conftest import published_years
from tests.library.criteria import validate
from tests.nap.conftest import complete_content
from tests.partnership.events_setup import published_event
from tests.partnership.work import make_group_work

pytestmark = pytest.mark.browser

CASE_STUDY = {
    "name": "Lamp collection in Wimmis",
    "country": "CHE",
    "organization": "batrec-industrie-ag",
    "place": "Wimmis",
    "description": "Municipal collection of fluorescent tubes.",
    "waste_categories": ["lamps"],
    "phases": ["collection"],
}

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "mercuryhub"
NON_LATIN = {"ru", "zh-hans", "ar"}
LANGUAGES = {"en": "", "fr": "fr", "es": "es", "ru": "ru", "zh-hans": "zh_Hans", "ar": "ar"}
CATALOGUES = [
    PACKAGE / "locale",
    Path(allauth.__file__).parent / "locale",
    Path(django.__file__).parent / "conf" / "locale",
    Path(django.__file__).parent / "contrib" / "auth" / "locale",
]
# Strings of the vendored map library (Leaflet), which the pages must replace by translations.
LIBRARY_STRINGS = ["Zoom in", "Zoom out", "Close popup"]
ISOLATED = re.compile("\u2068[^\u2069]*\u2069")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{\w*\}|<[^>]+>|\n")

# Every visible or spoken text of the page: text nodes, accessible names, placeholders, titles.
COLLECT_TEXT = """() => {
  const pageLanguage = document.documentElement.lang;
  const excluded = (element) => {
    const data = "script, style, noscript, template, code, [dir=auto], bdi, [data-user-content]";
    if (element.closest(data)) {
      return true;
    }
    const declared = element.closest("[lang]");
    return declared !== null && declared.lang !== pageLanguage;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text && !excluded(node.parentElement)) texts.push(text);
  }
  const attributes = ["title", "aria-label", "placeholder", "alt", "aria-roledescription"];
  for (const element of document.querySelectorAll("*")) {
    if (excluded(element)) continue;
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value && value.trim()) texts.push(value.replace(/\\s+/g, " ").trim());
    }
    if (element.matches("input[type=submit], input[type=button]") && element.value) {
      texts.push(element.value);
    }
  }
  const typed = [];  // what form fields hold: people's data or choices the other checks cover
  for (const field of document.querySelectorAll("textarea, option")) {
    typed.push(field.textContent.replace(/\\s+/g, " ").trim());
  }
  return {texts, typed, title: document.title};
}"""


def _po_entries(path: Path) -> list[tuple[list[str], list[str], bool]]:
    """(English texts, translations, fuzzy) of each entry of a .po file."""
    entries, english, translated, field, fuzzy, fuzzy_entry = [], [], [], None, False, False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(("msgid ", "msgid_plural ")):
            if line.startswith("msgid ") and english:
                entries.append((english, translated, fuzzy_entry))
                english, translated = [], []
            english.append(_unquote(line.split(" ", 1)[1]))
            field, fuzzy_entry = "msgid", fuzzy
        elif line.startswith("msgstr"):
            translated.append(_unquote(line.split(" ", 1)[1]))
            field, fuzzy = "msgstr", False
        elif line.startswith('"') and field == "msgid":
            english[-1] += _unquote(line)
        elif line.startswith('"') and field == "msgstr":
            translated[-1] += _unquote(line)
    if english:
        entries.append((english, translated, fuzzy_entry))
    return [entry for entry in entries if entry[0][0]]  # not the header


def _unquote(quoted: str) -> str:
    text = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _fragments(english: str, translations: list[str]) -> list[str]:
    """The literal parts of an English string (between placeholders and tags) that its
    translation does not itself contain: "Page %(n)s of %(total)s" gives "Page", "of"."""
    parts = [" ".join(part.split()) for part in PLACEHOLDER.split(english)]
    return [
        part
        for part in parts
        if re.search(r"[A-Za-z]{2}", part)
        and not any(part.lower() in text.lower() for text in translations)
    ]


@cache
def english_strings(language: str) -> frozenset[str]:
    """The English interface strings whose translation into ``language`` reads otherwise."""
    found, seen = set(), set()
    for root in CATALOGUES:  # the first catalogue that translates a string is the one used
        po = root / LANGUAGES[language] / "LC_MESSAGES" / "django.po"
        for english, translations, fuzzy in _po_entries(po):
            if fuzzy or not any(translations) or english[0] in seen:
                continue  # a catalogue without this string: no translation to expect from it
            seen.add(english[0])
            for text in english:
                found.update(_fragments(text, translations))
    found.update(LIBRARY_STRINGS)
    return frozenset(found)


def vocabulary_labels(language: str) -> frozenset[str]:
    labels = set()
    for term in Term.objects.all():
        translated = (term.translations.get(language) or {}).get("label", "")
        if translated and translated != term.label:
            labels.add(" ".join(term.label.split()))
    return frozenset(labels)


def untranslated(texts: list[str], english: frozenset[str]) -> list[tuple[str, str]]:
    """(text, English string) for each text that is or holds an English interface string. A
    one-word string counts only as the whole text (around punctuation and numbers); longer ones
    also inside a text."""
    long = [s for s in english if " " in s]
    pattern = (
        re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(long, key=len))) + r")(?!\w)", re.I)
        if long
        else None
    )
    words = {s.lower() for s in english if " " not in s}
    found = []
    for text in dict.fromkeys(texts):
        bare = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)
        if bare.lower() in words:
            found.append((text, bare))
        elif pattern and (match := pattern.search(text)):
            found.append((text, match.group(1)))
    return found


def _partnership_groups(owner, reviewer, organization):
    """Batrec a member of WG1 and its editor one of WG1's leaders (the balance's charts)."""
    from mercuryhub.partnership import group_actions
    from mercuryhub.partnership.models import WorkingGroup

    wg1 = WorkingGroup.objects.get(term__code="wg1")
    membership = group_actions.do_request_group_membership(owner, wg1, organization)
    group_actions.do_decide_group_membership(reviewer, membership, approve=True)
    group_actions.do_appoint_leader(
        reviewer,
        wg1,
        person=owner,
        organization=organization,
        gender="man",
        started_on=timezone.localdate(),
    )


@pytest.fixture
def catalogue(live_site, settings, tmp_path):
    """A little of everything the pages show: published facilities, an offering and an expert,
    a partner organization with an editor, an entry waiting for review, an open campaign and
    ASGM mining sites (the worked example, its first site observed twice)."""
    settings.SITE_URL = live_site.url
    settings.FORMS_ODK_VALIDATE = False
    owner = make_user("owen.owner@batrec.example")
    reviewer = make_user("rita.reviewer@unep.example", User.Role.REVIEWER)
    organization = do_create_organization(
        owner,
        {
            "name": "Batrec Industrie AG",
            "stakeholder_type": "private-sector",
            "country": "CHE",
            "website": "https://www.batrec.ch",
        },
    )
    do_update_organization(
        reviewer, organization, {"is_partner": True, "partnership_areas": ["waste-management"]}
    )
    facilities = {row[0]: make_facility(*row) for row in FACILITIES}
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
                "regions_served": "Africa;Asia",
                "languages": "en;sv",
                "description": "Crushes and separates fluorescent tubes.",
            }
        ),
        review_state="imported",
        published=True,
    )
    expert = do_save_entry(
        "expert",
        clean_expert(
            {
                "name": "Ana Pereira",
                "email": "ana.pereira@example.org",
                "country": "URY",
                "languages": "es;pt;en",
                "waste_categories": "lamps;measuring-devices",
                "support_types": "technical-assistance",
                "consent_to_publication": "yes",
                "biography": "Chemical engineer; advised hospitals on thermometers.",
            }
        ),
        review_state="imported",
        published=True,
    )
    draft = review_actions.do_create_draft(
        "facility",
        owner,
        LAMP_LINE,
    )
    review_actions.do_submit_entry("facility", owner, draft)
    case_study = review_actions.do_create_draft("case_study", owner, CASE_STUDY)
    case_study = validate(
        "case_study", reviewer, review_actions.do_submit_entry("case_study", owner, case_study)
    )
    waiting_case_study = review_actions.do_submit_entry(
        "case_study",
        owner,
        review_actions.do_create_draft("case_study", owner, {**CASE_STUDY, "name": "Tube round"}),
    )
    need = review_actions.do_submit_entry(
        "need", owner, review_actions.do_create_draft("need", owner, NEED)
    )
    campaign = do_open_campaign(
        reviewer,
        name="Campaign 2026",
        year=timezone.localdate().year,
        deadline=timezone.localdate() + timedelta(days=30),
    )
    record_sites(reviewer, [*WORKED_EXAMPLE, {**WORKED_EXAMPLE[0], "miners": "900"}])
    # Named as the country names it: an English title would hold the interface's words.
    nap_content = complete_content(
        name="Plan d'action national EMAPE de la RDC 2027–2031",
        country="COD",
        organization=organization.slug,
    )
    nap_plan = do_publish_plan(owner, do_create_plan(owner, nap_content))
    inventories = published_years(owner, reviewer, country="CHE", organization=organization.slug)
    do_load_plan_statuses()
    do_load_budget_lines()
    _partnership_groups(owner, reviewer, organization)
    # The example factor set, named in French: its name is the page's title.
    sets = (INVENTORY_DATA / "example_sets.csv").read_text(encoding="utf-8")
    (tmp_path / "sets.csv").write_text(
        sets.replace("Example factor set", "Jeu de facteurs d'exemple"), encoding="utf-8"
    )
    do_load_factor_sets(tmp_path / "sets.csv", INVENTORY_DATA / "example_factors.csv")
    inventory_content = inventory_example(
        name="Inventaire des déchets de mercure de la Suisse",
        country="CHE",
        organization=organization.slug,
    )
    inventory = review_actions.do_validate_entry(
        "inventory",
        reviewer,
        review_actions.do_submit_entry(
            "inventory", owner, do_create_inventory(owner, inventory_content)
        ),
    )
    workplan, report = make_group_work(owner, reviewer, organization)
    # A workshop of Batrec's, titled in French (its title is the page's), and the reviewer
    # registered for it.
    event = published_event(
        owner, reviewer, organization, name="Atelier sur le stockage des déchets de mercure"
    )
    do_register_for_event(reviewer, event)
    # Named and described in French, as the organization wrote it.
    project = review_actions.do_create_draft(
        "project",
        owner,
        {
            "name": "Reprise des lampes dans le commerce suisse",
            "summary": "Les commerces reprennent les tubes fluorescents usagés.",
            "content_language": "fr",
            "organization": organization.slug,
            "countries": ["CHE"],
            "funder": "OFEV",
            "first_year": 2015,
            "status": "ongoing",
            "waste_categories": ["lamps"],
        },
    )
    project = review_actions.do_validate_entry(
        "project", reviewer, review_actions.do_submit_entry("project", owner, project)
    )
    return {
        "workplan": workplan,
        "report": report,
        "event": event,
        "project": project,
        "inventory": inventory,
        "nap_plan": nap_plan,
        "inventories": inventories,
        "mining_site": Site.objects.get(code="A"),
        "owner": owner,
        "reviewer": reviewer,
        "organization": organization,
        "facility": facilities["batrec"],
        "offering": offering,
        "expert": expert,
        "draft": draft,
        "campaign": campaign,
        "case_study": case_study,
        "waiting_case_study": waiting_case_study,
        "need": need,
    }


def _pages(catalogue) -> dict[str, list[str]]:
    """Addresses (without the language prefix) by who opens them."""
    facility, draft = catalogue["facility"], catalogue["draft"]
    inventories = catalogue["inventories"]
    return {
        "visitor": [
            "/",
            "/catalogue/",
            "/catalogue/search/?q=lamps",
            "/catalogue/search/?waste=lamps&country=CHE&status=operating&kind=facility",
            "/catalogue/search/?q=zzqqxx",
            "/catalogue/search/?q=batrec",
            "/catalogue/search/?q=batrec&type=organization",
            "/library/",
            "/library/resources/",
            "/library/resources/?kind=training&kind=video&sort=newest",
            "/catalogue/map/",
            "/catalogue/finder/",
            "/catalogue/finder/?waste=lamps&lat=46.9&lon=7.4",
            "/catalogue/finder/?waste=nothing",
            f"/catalogue/facilities/{facility.pk}/",
            f"/catalogue/offerings/{catalogue['offering'].pk}/",
            f"/catalogue/experts/{catalogue['expert'].pk}/",
            "/taxonomy/",
            "/taxonomy/waste-categories/",
            "/taxonomy/treatment-technologies/",
            "/taxonomy/countries/",
            "/taxonomy/countries/?region=Africa",
            "/taxonomy/languages/",
            "/open-data/",
            "/organizations/",
            f"/organizations/{catalogue['organization'].slug}/",
            "/library/wheel/?wheel=nap&segment=e",
            "/library/wheel/?wheel=phases&segment=treatment",
            "/library/factsheets/",
            "/library/factsheets/lamps/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/catalogue/no-such-page/",
            "/library/case-studies/",
            "/library/case-studies/?region=Western+Europe&waste=lamps&met=source-named",
            "/library/case-studies/?country=XXX",
            "/library/case-studies/criteria/",
            f"/library/case-studies/{catalogue['case_study'].pk}/",
            "/exchange/needs/",
            "/exchange/needs/?waste=containing&state=open&state=closed",
            f"/exchange/needs/{catalogue['need'].pk}/",
            "/asgm/",
            "/asgm/COD/",
            "/asgm/COD/?admin_area=Atlantis&since=2025-13-01",
            f"/asgm/sites/{catalogue['mining_site'].pk}/",
            "/nap/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/",
            "/nap/world/",
            "/nap/world/?status=submitted",
            "/nap/countries/COD/",
            "/nap/budgets/",
            f"/inventory/{catalogue['inventory'].pk}/solutions/",
            "/inventory/factors/",
            "/inventory/factors/example-set/",
            "/inventory/",
            f"/inventory/{inventories[1].pk}/",
            "/inventory/compare/",
            f"/inventory/compare/?inventory={inventories[0].pk}&inventory={inventories[1].pk}",
            "/partnership/",
            "/partnership/partners/",
            "/partnership/partners/?region=Europe&area=waste-management",
            "/partnership/groups/",
            "/partnership/groups/wg1/",
            f"/partnership/workplans/{catalogue['workplan'].pk}/",
            f"/partnership/reports/{catalogue['report'].pk}/",
            "/partnership/events/",
            "/partnership/events/?place=online",
            f"/partnership/events/{catalogue['event'].pk}/",
            "/partnership/projects/",
            "/partnership/projects/?status=paused",
            f"/partnership/projects/{catalogue['project'].pk}/",
        ],
        "editor": [
            f"/partnership/events/{catalogue['event'].pk}/registrations/",
            "/catalogue/new/event/",
            "/nap/new/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/builder/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/builder/sections/k/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/builder/sections/d/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/builder/actions/",
            f"/nap/plans/{catalogue['nap_plan'].pk}/builder/actions/1/",
            f"/inventory/{catalogue['inventory'].pk}/edit/",
            f"/inventory/{catalogue['inventory'].pk}/import/",
            "/catalogue/mine/",
            f"/catalogue/facility/{facility.pk}/edit/",
            "/catalogue/new/facility/",
            "/catalogue/new/resource/",
            "/catalogue/new/need/",
            f"/exchange/needs/{catalogue['need'].pk}/",
            "/profile/",
            f"/inventory/{catalogue['inventory'].pk}/solutions/",
            "/partnership/groups/wg2/",
            f"/partnership/workplans/{catalogue['workplan'].pk}/",
            f"/catalogue/workplan/{catalogue['workplan'].pk}/edit/",
            "/catalogue/new/review_report/",
            "/partnership/digest/",
        ],
        "reviewer": [
            "/review/",
            f"/review/facility/{draft.pk}/",
            f"/review/facility/{draft.pk}/versions/",
            "/review/campaigns/",
            f"/review/campaigns/{catalogue['campaign'].pk}/",
            f"/review/case_study/{catalogue['waiting_case_study'].pk}/",
            "/asgm/COD/",
            f"/asgm/sites/{catalogue['mining_site'].pk}/",
            "/partnership/groups/wg1/",
            "/partnership/groups/wg1/leaders/",
            "/partnership/reports/open/",
            f"/partnership/events/{catalogue['event'].pk}/",
        ],
    }


def _open(browser, live_site, prefix: str, user=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if user is not None:
        page.goto(f"{live_site.url}{prefix}/accounts/login/")
        page.fill("#id_login", user.email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    return page


# In Russian, Chinese and Arabic pages, three Latin words in a row are English left over, even
# a string no catalogue knows (names of formats and standards are one or two words: "ISO 639-1").
LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}")


def latin_runs(texts: list[str]) -> list[tuple[str, str]]:
    return [(text, match.group(0)) for text in texts if (match := LATIN_RUN.search(text))]


def _problems(page, english) -> list[str]:
    collected = page.evaluate(COLLECT_TEXT)
    # Text between Unicode's isolate marks (U+2068 … U+2069) was inserted as data.
    for key in ("texts", "typed"):
        collected[key] = [ISOLATED.sub("", text) for text in collected[key]]
    texts = collected["texts"] + [collected["title"]]
    found = untranslated(texts, english)
    if page.evaluate("document.documentElement.lang") in NON_LATIN:
        # A page's title names what the page shows (a facility's name), field contents are data.
        typed = set(collected["typed"])
        found += latin_runs([text for text in collected["texts"] if text not in typed])
    return [f"{page.url}: {text!r} holds {string!r}" for text, string in found]


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_page_shows_its_interface_in_the_language_asked(
    browser, live_site, catalogue, language
):
    english = english_strings(language) | vocabulary_labels(language)
    prefix = f"/{language}"
    problems = []
    for person, addresses in _pages(catalogue).items():
        user = {"visitor": None, "editor": catalogue["owner"], "reviewer": catalogue["reviewer"]}
        page = _open(browser, live_site, prefix, user[person])
        for address in addresses:
            page.goto(live_site.url + prefix + address)
            page.wait_for_load_state("load")
            assert page.locator("html").get_attribute("lang") == language, page.url
            direction = "rtl" if language == "ar" else "ltr"
            assert page.locator("html").get_attribute("dir") == direction, page.url
            problems += _problems(page, english)
        if person == "visitor":
            # Form errors: a failed sign-in and an incomplete sign-up.
            page.goto(f"{live_site.url}{prefix}/accounts/login/")
            page.fill("#id_login", "nobody@example.org")
            page.fill("#id_password", "wrong password")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            problems += _problems(page, english)
            page.goto(f"{live_site.url}{prefix}/accounts/signup/")
            page.fill("#id_email", "not an address")
            page.fill("#id_password1", "short")
            page.evaluate("document.querySelector('main form').noValidate = true")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            problems += _problems(page, english)
        page.context.close()
    assert not problems, "\n".join(problems)


def test_the_check_finds_an_english_string_where_a_translation_is_missing():
    english = frozenset({"Waste category", "Search", "Zoom in"})
    assert untranslated(["Catégorie de déchets", "Rechercher", "Zoom avant"], english) == []
    assert untranslated(["Waste category:", "Search", "Filtrer par Waste category 3"], english) == [
        ("Waste category:", "Waste category"),
        ("Search", "Search"),
        ("Filtrer par Waste category 3", "Waste category"),
    ]
    # A one-word string inside a longer text is not taken for it: "Search" in "Searching".
    assert untranslated(["Searching the catalogue"], frozenset({"Search"})) == []
