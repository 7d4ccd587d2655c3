"""The exchange's pages open to everyone: "What do you need?", the match preview."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from mercuryhub.exchange.previews import PreviewLimitError, client_address, preview
from mercuryhub.exchange.profiles import DIMENSIONS
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import registry
from mercuryhub.review.organizations import ORGANIZATIONS
from mercuryhub.taxonomy.queries import countries_by_name, languages, term_tree

_FIELDS = ("title", "description", "country", *DIMENSIONS, "languages")
_LISTS = (*DIMENSIONS, "languages")
_LEGENDS = {
    "waste_categories": gettext_lazy("Waste categories"),
    "phases": gettext_lazy("Management phases"),
    "support_types": gettext_lazy("Types of support"),
}


def _type_labels() -> dict[str, str]:
    labels = {kind.name: kind.label for kind in registry.kinds()}
    labels[ORGANIZATIONS.name] = ORGANIZATIONS.label
    return labels


def match_items(matches) -> list[dict]:
    """The matches as the pages list them: each with its type's label and its score as a share
    of the best one's (the bar beside it)."""
    best = max((match.score for match in matches), default=0) or 1
    labels = _type_labels()
    return [
        {
            "match": match,
            "label": labels.get(match.type, match.type),
            "share": round(100 * match.score / best),
        }
        for match in matches
    ]


def what_do_you_need(request):
    """A need's fields in a form; the matches, best first, with their reasons."""
    asked = any(request.GET.get(name) for name in _FIELDS)
    need = {
        name: request.GET.getlist(name) if name in _LISTS else request.GET.get(name, "").strip()
        for name in _FIELDS
    }
    matches, errors, status = [], {}, 200
    if asked:
        try:
            matches = preview(need, client=client_address(request))
        except InvalidInputError as error:
            errors = error.errors
            status = 400
        except PreviewLimitError as error:
            errors = {"need": str(error)}
            status = 429
    return render(
        request,
        "exchange/what_do_you_need.html",
        {
            "need": need,
            "asked": asked,
            "errors": errors,
            "matches": match_items(matches),
            "countries": countries_by_name(),
            "term_groups": [
                {
                    "name": name,
                    "legend": _LEGENDS[name],
                    "terms": [
                        (term, depth, term.code in need[name])
                        for term, depth in term_tree(vocabulary)
                    ],
                }
                for name, vocabulary in DIMENSIONS.items()
            ],
            "languages": languages(un_only=True).order_by("name"),
        },
        status=status,
    )
