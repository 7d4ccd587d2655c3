"""The needs a respondent declares in the WMA needs questionnaire (the built-in form
``wma_needs``), written as needs of the exchange: what ``actions.do_post_questionnaire_needs``
posts when a submission whose respondent consented is approved.

One need per type of support asked for: a training provider, a technology holder and a funder
answer different needs, each is matched, offered on and closed on its own, and the secretariat
sees at a glance which kind of help is asked where. Each carries the answer's country, all its
waste categories and phases, and one type of support; its title says the support, the wastes and
the country; its description is the respondent's own words, then their challenges phase by
phase, then who answered. The questionnaire's choices are the taxonomy's codes, so they map as
they are. A need for funding is "seeking funding"; the others "no funding" (the questionnaire
does not ask)."""

from mercuryhub.taxonomy.models import Country, Term

FORM_ID = "wma_needs"
CONSENT = "consent_exchange"
TITLE_LENGTH = 300


def has_consent(data: dict) -> bool:
    return str(data.get(CONSENT, "")).strip() == "yes"


def _codes(data: dict, name: str) -> list[str]:
    return str(data.get(name, "")).split()


def _labels(vocabulary: str, codes: list[str]) -> dict[str, str]:
    found = dict(
        Term.objects.filter(vocabulary__name=vocabulary, code__in=codes).values_list(
            "code", "label"
        )
    )
    return {code: found.get(code, code) for code in codes}


def _listed(labels) -> str:
    labels = [label[:1].lower() + label[1:] for label in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def needs_from_answers(data: dict) -> list[tuple[str, dict]]:
    """(support type code, the need's data as the need kind checks it), one per support type."""
    wastes, phases = _codes(data, "waste_categories"), _codes(data, "phases")
    waste_labels = _labels("waste_categories", wastes)
    phase_labels = _labels("management_phases", phases)
    supports = _labels("support_types", _codes(data, "support_types"))
    country = Country.objects.filter(iso3=str(data.get("country", "")).strip()).first()
    where = country.name if country else str(data.get("country", ""))
    description = _description(data, phase_labels, waste_labels)
    needs = []
    for code, label in supports.items():
        title = f"{label} for {_listed(waste_labels.values())} in {where}"
        needs.append(
            (
                code,
                {
                    "name": title[:TITLE_LENGTH],
                    "description": description,
                    "country": str(data.get("country", "")).strip(),
                    "waste_categories": wastes,
                    "phases": phases,
                    "support_types": [code],
                    "funding_status": "seeking-funding" if code == "funding" else "no-funding",
                    "visibility": "public",
                },
            )
        )
    return needs


def _description(data: dict, phase_labels: dict, waste_labels: dict) -> str:
    parts = []
    if own := str(data.get("needs_description", "")).strip():
        parts.append(own)
    challenges = [
        f"- {label}: {text}"
        for code, label in phase_labels.items()
        if (text := str(data.get("challenge_" + code.replace("-", "_"), "")).strip())
    ]
    if challenges:
        parts.append("Challenges by management phase:\n" + "\n".join(challenges))
    respondent = str(data.get("organization", "")).strip()
    kind = _labels("stakeholder_types", _codes(data, "stakeholder_type"))
    who = respondent or "a respondent"
    if kind:
        who += f" ({_listed(kind.values())})"
    summary = f"Declared in the WMA needs questionnaire by {who}"
    summary += f"; waste categories: {_listed(waste_labels.values())}"
    if phase_labels:
        summary += f"; management phases: {_listed(phase_labels.values())}"
    parts.append(summary + ".")
    return "\n\n".join(parts)
