"""The wheel of knowledge's page: both wheels, and what is tagged with the chosen segment."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language_bidi

from mercuryhub.library import tagging
from mercuryhub.library.wheel import WHEELS, segments, wheel_named
from mercuryhub.taxonomy.queries import terms_of

# Entries of each kind listed under a chosen segment; "see all" pages through the rest.
SHOWN_PER_KIND = 8
PAGE_SIZE = 25


def _chosen(request):
    """The chosen wheel, term and kind from the address, or Http404 naming what is unknown."""
    key, code = request.GET.get("wheel"), request.GET.get("segment")
    if not key and not code:
        return None, None, None
    wheel = wheel_named(key)
    if wheel is None:
        known = ", ".join(wheel.key for wheel in WHEELS)
        raise Http404(f"Unknown wheel {key!r}; the wheels are: {known}")
    term = terms_of(wheel.vocabulary).filter(code=code or "").first() if code else None
    if code and term is None:
        raise Http404(f"The wheel {key!r} has no segment {code!r}")
    kind_name = request.GET.get("type") or None
    if kind_name and term is None:
        raise Http404("Choose a segment before a type of entry")
    return wheel, term, kind_name


def wheel_page(request):
    wheel, term, kind_name = _chosen(request)
    right_to_left = get_language_bidi()
    wheels = [
        (
            one,
            segments(
                one,
                request.user,
                term.code if term and one == wheel else None,
                right_to_left=right_to_left,
            ),
        )
        for one in WHEELS
    ]
    context = {"wheels": wheels, "wheel": wheel, "term": term, "kind_name": kind_name}
    if term is not None and kind_name:
        queryset = tagging.tagged_queryset(wheel.vocabulary, term, request.user, kind_name)
        if queryset is None:
            raise Http404(f"No entries of type {kind_name!r} are tagged with this wheel's terms")
        context["page"] = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        context["kind"] = next(
            kind
            for kind, _field in tagging.tagging_kinds(wheel.vocabulary)
            if kind.name == kind_name
        )
        context["segment_address"] = "?" + urlencode({"wheel": wheel.key, "segment": term.code})
    elif term is not None:
        groups = tagging.groups(wheel.vocabulary, term, request.user, limit=SHOWN_PER_KIND)
        for group in groups:
            group.see_all = "?" + urlencode(
                {"wheel": wheel.key, "segment": term.code, "type": group.name}
            )
        context["groups"] = groups
    return render(request, "library/wheel.html", context)
