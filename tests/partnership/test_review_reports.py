"""Review reports: the secretariat opens the year's report of each group, its leaders'
organization drafts and submits it, reviewers validate it; the leaders are reminded 14, 7 and
1 days before the due date and 1, 7 and 14 days after while it is not submitted, once a day."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.partnership.models import DigestPreference, ReviewReport
from mercuryhub.partnership.work_actions import do_open_review_reports, do_send_report_reminders
from mercuryhub.review import actions as review

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
DUE = datetime.date(2027, 1, 31)


def open_report(reviewer):
    return do_open_review_reports(reviewer, 2026, DUE, today=TODAY)


def test_the_secretariat_opens_one_report_per_led_group(led_group, reviewer, working_groups):
    result = open_report(reviewer)
    [report] = result.opened
    assert (report.group, report.year, report.due_on) == (led_group, 2026, DUE)
    assert report.organization.slug == "batrec-industrie-ag" and not report.published
    assert {g.code for g in result.without_leaders} == {"wg2", "wg3"}
    again = open_report(reviewer)
    assert again.opened == [] and again.existing == [report]


def test_only_the_secretariat_opens_reports_and_not_for_a_past_date(led_group, owner, reviewer):
    with pytest.raises(PermissionDenied):
        do_open_review_reports(owner, 2026, DUE, today=TODAY)
    with pytest.raises(InvalidInputError, match="is past"):
        do_open_review_reports(reviewer, 2026, TODAY - datetime.timedelta(days=1), today=TODAY)


def test_leaders_draft_and_submit_and_reviewers_validate(client, led_group, owner, reviewer):
    [report] = open_report(reviewer).opened
    base = report.version
    report = review.do_edit_entry(
        "review_report", owner, report, {"outputs": "Two guides."}, base_version=base
    )
    report = review.do_submit_entry("review_report", owner, report)
    report = review.do_validate_entry("review_report", reviewer, report)
    page = client.get(reverse("partnership-report-detail", args=[report.pk]))
    assert page.status_code == 200 and "Two guides." in page.content.decode()


def test_the_drafters_may_not_move_the_due_date(led_group, owner, reviewer):
    [report] = open_report(reviewer).opened
    with pytest.raises(PermissionDenied, match="due date"):
        review.do_edit_entry(
            "review_report", owner, report, {"due_on": "2027-06-30"}, base_version=report.version
        )


def test_a_draft_report_is_hidden_from_the_public(client, led_group, reviewer):
    [report] = open_report(reviewer).opened
    assert client.get(report.get_absolute_url()).status_code == 404


def reminded_days(reviewer) -> list[int]:
    """The days, relative to the due date, on which a run each day from 20 days before to 20
    days after sends a reminder."""
    open_report(reviewer)
    days = []
    for offset in range(-20, 21):
        today = DUE + datetime.timedelta(days=offset)
        if do_send_report_reminders(today=today):
            days.append(offset)
    return days


def test_reminders_follow_the_schedule(led_group, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminded_days(reviewer) == [-14, -7, -1, 1, 7, 14]
    assert len(mail.outbox) == 6
    assert mail.outbox[0].to == ["owen.owner@batrec.example"]
    assert "due in 14 days" in mail.outbox[0].body
    assert "was due 14 days ago" in mail.outbox[-1].body


def test_at_most_one_reminder_a_day(led_group, reviewer):
    [report] = open_report(reviewer).opened
    day = DUE - datetime.timedelta(days=7)
    assert len(do_send_report_reminders(today=day)) == 1
    assert do_send_report_reminders(today=day) == []
    report.refresh_from_db()
    assert report.last_reminded_on == day


def test_a_submitted_report_is_not_reminded(led_group, owner, reviewer):
    [report] = open_report(reviewer).opened
    review.do_submit_entry("review_report", owner, report)
    assert do_send_report_reminders(today=DUE - datetime.timedelta(days=1)) == []


def test_reminders_are_in_the_leaders_language(
    led_group, owner, reviewer, django_capture_on_commit_callbacks
):
    DigestPreference.objects.create(person=owner, language="fr")
    open_report(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        do_send_report_reminders(today=DUE - datetime.timedelta(days=7))
    assert "Bonjour" in mail.outbox[0].body


def test_the_commands(led_group, reviewer, capsys):
    call_command("open_review_reports", year=2026, due=DUE, by=reviewer.email)
    assert ReviewReport.objects.count() == 1
    call_command("send_report_reminders", today=DUE - datetime.timedelta(days=14))
    assert "Reminded 1 leader(s)" in capsys.readouterr().out


def test_the_secretariats_page_opens_the_reports(signed_in, led_group, reviewer):
    client = signed_in(reviewer)
    url = reverse("partnership-reports-open")
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    response = client.post(url, {"year": "2026", "due_on": due})
    assert response.status_code == 302
    assert ReviewReport.objects.get().group == led_group
