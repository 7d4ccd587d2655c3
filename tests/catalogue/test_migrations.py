"""A database from before the honest dates: its imported entries stop claiming a confirmation
that nobody made, while validated and reconfirmed entries keep theirs."""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from mercuryhub.catalogue.models import Facility
from mercuryhub.review.models import ReviewDecision
from tests.catalogue.conftest import FACILITIES, make_facility

pytestmark = pytest.mark.django_db

MIGRATION = import_module("mercuryhub.catalogue.migrations.0008_imported_entries_are_not_confirmed")


def test_imported_entries_lose_the_date_of_their_import_as_confirmation():
    imported, validated, reconfirmed = (make_facility(*row) for row in FACILITIES[:3])
    Facility.objects.filter(pk=imported.pk).update(last_confirmed_at=date(2026, 11, 22))
    Facility.objects.filter(pk=validated.pk).update(
        review_state="validated", validated_at=timezone.now(), last_confirmed_at=date(2026, 11, 23)
    )
    Facility.objects.filter(pk=reconfirmed.pk).update(last_confirmed_at=date(2026, 11, 24))
    ReviewDecision.objects.create(
        kind="facility", object_id=reconfirmed.pk, version=0, action="reconfirmed"
    )

    MIGRATION.forget_import_dates(apps, None)

    assert dict(Facility.objects.values_list("pk", "last_confirmed_at")) == {
        imported.pk: None,
        validated.pk: date(2026, 11, 23),
        reconfirmed.pk: date(2026, 11, 24),
    }
