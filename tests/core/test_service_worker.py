"""The service worker's script and what it is told to keep and not to keep."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from mercuryhub.core.offline_views import private_pattern


@pytest.mark.django_db
def test_the_service_worker_is_served_at_the_root_as_a_script(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert '"fr": "/fr/offline/"' in script
    assert "&quot;" not in script


@pytest.mark.django_db
def test_the_offline_page_is_in_each_language(client):
    assert "<h1>You are offline</h1>" in client.get("/offline/").content.decode()
    assert "<h1>Vous êtes hors ligne</h1>" in client.get("/fr/offline/").content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh-hans"])
def test_private_areas_are_recognized_in_every_language(language):
    pattern = re.compile(private_pattern())
    with translation.override(language):
        private = [
            reverse("accounts-profile"),
            reverse("catalogue-my-entries"),
            reverse("review-queue"),
            reverse("catalogue-entry-edit", args=["facility", 3]),
            reverse("catalogue-entry-create", args=["facility"]),
            reverse("accounts-organization-edit", args=["batrec"]),
            reverse("account_login"),
        ]
        public = [
            reverse("core-home"),
            reverse("catalogue-search"),
            reverse("catalogue-facility-detail", args=[3]),
            reverse("accounts-organization-detail", args=["batrec"]),
            reverse("taxonomy-countries"),
        ]
    assert [path for path in private if not pattern.match(path)] == []
    assert [path for path in public if pattern.match(path)] == []
