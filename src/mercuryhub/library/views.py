"""The library's public pages: its home, a resource, a case study."""

from django.shortcuts import render

from mercuryhub.library import queries
from mercuryhub.review import queries as review_queries


def library_home(request):
    return render(request, "library/home.html", {"latest": queries.latest(request.user)})


def resource_detail(request, pk):
    resource = queries.get_resource_for_user(request.user, pk)
    return render(
        request,
        "library/resource_detail.html",
        {
            "resource": resource,
            "entry": resource,
            "language_versions": queries.language_versions(request.user, resource),
            "stale": review_queries.is_stale(resource),
        },
    )


def case_study_detail(request, pk):
    case_study = queries.get_case_study_for_user(request.user, pk)
    return render(
        request,
        "library/case_study_detail.html",
        {
            "case_study": case_study,
            "entry": case_study,
            "validation": queries.published_judgements(case_study),
            "stale": review_queries.is_stale(case_study),
        },
    )
