"""Realistic answers to the built-in forms of the project ``demo`` (deployed by
``actions.do_deploy_builtin_forms``, as ``mercuryhub serve`` does): three mining sites for the
ASGM baseline, with their points, numbers and practices, and four organizations' needs, received
from a field team's phone and from a person on the web, one of them approved. For the pages that
show submissions: their tables, summaries, charts and map, in the browser tests."""

from decimal import Decimal

from mercuryhub.forms import actions
from mercuryhub.forms.analysis import survey_of
from mercuryhub.forms.models import Form, Project, ProjectMembership
from mercuryhub.forms.webform.answers import GeoPoint
from mercuryhub.forms.webform.instances import instance_xml, new_instance_id

SITES = [
    {
        "site_name": "Kamituga - Mobale",
        "site_code": "COD-SK-001",
        "location": GeoPoint(Decimal("-3.0617"), Decimal("28.1833")),
        "region": "africa",
        "country": "COD",
        "admin_area": "South Kivu",
        "deposit_type": "hard_rock",
        "miners": 850,
        "women": 120,
        "children": 15,
        "processing_methods": ["gravity", "amalgamation"],
        "amalgamation": "whole_ore",
        "retort_use": "never",
        "burning_place": ["open_air", "homes"],
        "mercury_kg_per_month": Decimal("4.5"),
        "mercury_source": ["local_dealer", "gold_buyer"],
        "gold_g_per_month": Decimal("1800"),
        "licensing_status": "unlicensed",
        "worst_practices_observed": ["whole-ore-amalgamation", "open-burning"],
        "health_observations": "Tremors reported by two amalgam burners.",
    },
    {
        "site_name": "Kibi - Apapam",
        "site_code": "GHA-EA-014",
        "location": GeoPoint(Decimal("6.17"), Decimal("-0.55")),
        "region": "africa",
        "country": "GHA",
        "deposit_type": "alluvial",
        "miners": 120,
        "women": 40,
        "children": 0,
        "processing_methods": ["gravity", "amalgamation"],
        "amalgamation": "concentrate",
        "retort_use": "sometimes",
        "burning_place": ["fume_hood"],
        "mercury_kg_per_month": Decimal("0.8"),
        "mercury_source": ["gold_buyer"],
        "gold_g_per_month": Decimal("650"),
        "licensing_status": "in_process",
    },
    {
        "site_name": "Madre de Dios - La Pampa",
        "site_code": "PER-MD-102",
        "location": GeoPoint(Decimal("-12.93"), Decimal("-69.98")),
        "region": "americas",
        "country": "PER",
        "deposit_type": "alluvial",
        "miners": 2400,
        "women": 300,
        "children": 60,
        "processing_methods": ["gravity", "amalgamation", "cyanidation"],
        "amalgamation": "concentrate",
        "retort_use": "always",
        "burning_place": ["open_air"],
        "cyanidation_of_mercury_tailings": "yes",
        "mercury_kg_per_month": Decimal("12"),
        "mercury_source": ["imported", "unknown"],
        "gold_g_per_month": Decimal("9000"),
        "licensing_status": "licensed",
        "worst_practices_observed": ["cyanide-on-mercury-tailings"],
    },
]

NEEDS = [
    {
        "stakeholder_type": "government",
        "organization": "Ministère de l'Environnement, RDC",
        "region": "africa",
        "country": "COD",
        "waste_categories": ["lamps", "batteries"],
        "phases": ["collection", "storage"],
        "challenge_storage": "No interim store in the province.",
        "support_types": ["technical-assistance", "funding"],
        "needs_description": "A pilot collection scheme for fluorescent lamps in Bukavu.",
        "consent_exchange": "yes",
    },
    {
        "stakeholder_type": "ngo",
        "organization": "Kivu Recyclers",
        "region": "africa",
        "country": "COD",
        "waste_categories": ["lamps"],
        "phases": ["collection"],
        "challenge_collection": "Households do not know where to bring broken lamps.",
        "support_types": ["capacity-building"],
        "consent_exchange": "yes",
    },
    {
        "stakeholder_type": "private-sector",
        "organization": "Dental Care Andina",
        "region": "americas",
        "country": "PER",
        "waste_categories": ["dental-amalgam"],
        "phases": ["source-separation", "treatment"],
        "support_types": ["guidance-tools"],
        "consent_exchange": "no",
    },
    {
        "stakeholder_type": "academia",
        "organization": "Universidad Nacional de San Agustín",
        "region": "americas",
        "country": "PER",
        "waste_categories": ["laboratory-healthcare", "measuring-devices"],
        "phases": ["storage", "disposal"],
        "challenge_storage": "Old thermometers kept in a corridor cupboard.",
        "support_types": ["legal-regulatory", "collaboration"],
        "consent_exchange": "yes",
    },
]


def _submit(form: Form, values: dict, **sender):
    xml = instance_xml(survey_of(form), values, new_instance_id()).encode()
    return actions.do_receive_submission(form.project, xml, **sender)[0]


def add_demo_submissions(manager) -> dict:
    """The sites and needs above, as submissions of the demo project's built-in forms (deployed
    already), the first of each approved by ``manager``, made a manager of the project. Returns
    the project, the forms, an app user and a submission of each form by name."""
    project = Project.objects.get(slug=actions.DEMO_PROJECT)
    actions.do_set_project_member(None, project, manager.email, ProjectMembership.Role.MANAGER)
    baseline = project.forms.get(xml_form_id="asgm_site_baseline")
    needs = project.forms.get(xml_form_id="wma_needs")
    app_user = actions.do_create_app_user(manager, project, "Field team, South Kivu")
    sites = [_submit(baseline, values, app_user=app_user) for values in SITES]
    needs_sent = [_submit(needs, values, user=manager) for values in NEEDS]
    for submission in (sites[0], needs_sent[0]):
        actions.do_review_submission(manager, submission, "approved", "Checked on site.")
    return {
        "project": project,
        "baseline": baseline,
        "needs": needs,
        "app_user": app_user,
        "site": sites[0],
        "need": needs_sent[0],
    }
