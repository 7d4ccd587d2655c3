"""Working groups' work for the pages' tests: WG1 led by Batrec's editor, its published
workplan and its published review report."""

import datetime

from django.utils import timezone

from mercuryhub.partnership.group_reference import do_load_working_groups
from mercuryhub.partnership.models import Leadership, WorkingGroup
from mercuryhub.partnership.work_actions import do_open_review_reports
from mercuryhub.review import actions as review


def working_groups() -> dict:
    """The working groups as ``serve`` loads them, by code."""
    do_load_working_groups()
    return {group.code: group for group in WorkingGroup.objects.select_related("term")}


def make_group_work(owner, reviewer, organization):
    """WG1 led by ``owner`` for ``organization``; its workplan and its report, published.
    Titles and activities are named in French: text people wrote, not the interface's."""
    group = working_groups()["wg1"]
    Leadership.objects.get_or_create(
        group=group,
        person=owner,
        defaults={"organization": organization, "started_on": datetime.date(2025, 1, 1)},
    )
    year = timezone.localdate().year
    data = {
        "name": "Plan de travail du GT1",
        "content_language": "fr",
        "summary": "Ce que fait le groupe.",
        "group": "wg1",
        "organization": organization.slug,
        "first_year": year,
        "last_year": year + 2,
        "activities": [
            {"year": year, "name": "Guide de collecte des lampes", "lead": "Batrec"},
            {"year": year + 1, "name": "Webinaire régional", "status": "ongoing"},
        ],
    }
    workplan = review.do_create_draft("workplan", owner, data)
    workplan = review.do_submit_entry("workplan", owner, workplan)
    workplan = review.do_validate_entry("workplan", reviewer, workplan)
    due = timezone.localdate() + datetime.timedelta(days=30)
    [report] = do_open_review_reports(reviewer, year - 1, due).opened
    report = review.do_edit_entry(
        "review_report",
        owner,
        report,
        {"name": "Rapport d'examen du GT1", "content_language": "fr", "outputs": "Deux guides."},
        base_version=report.version,
    )
    report = review.do_submit_entry("review_report", owner, report)
    report = review.do_validate_entry("review_report", reviewer, report)
    return workplan, report
