import pytest
from django.core.management import CommandError, call_command

from mercuryhub.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_token_on_the_profile_page_and_sees_it_once(signed_in, owner):
    client = signed_in(owner)
    page = client.post("/profile/", {"name": "nightly export"}).content.decode()
    token = ApiToken.objects.get(user=owner)
    assert "Copy your new token now" in page
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith(token.prefix)
    assert raw not in client.get("/profile/").content.decode()
    assert token.key_hash != raw

    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200
    assert me.json()["email"] == owner.email


def test_a_revoked_token_no_longer_authenticates(signed_in, owner):
    client = signed_in(owner)
    page = client.post("/profile/", {"name": "laptop"}).content.decode()
    raw = page.split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=owner)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    client.logout()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")


def test_a_user_cannot_revoke_someone_elses_token(signed_in, owner, outsider):
    from mercuryhub.accounts.actions import do_create_api_token

    token, _raw = do_create_api_token(owner, "mine")
    response = signed_in(outsider).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_token_command_prints_a_working_token(owner, client, capsys):
    call_command("token", "create", owner.email)
    raw = capsys.readouterr().out.strip()
    assert (
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["email"] == owner.email
    )


def test_the_token_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user with the e-mail address 'nobody@example.org'"):
        call_command("token", "create", "nobody@example.org")


def test_an_empty_token_name_is_refused(signed_in, owner):
    page = signed_in(owner).post("/profile/", {"name": "  "}).content.decode()
    assert "This field is required" in page
    assert not ApiToken.objects.exists()


def test_the_database_never_holds_the_plain_token(signed_in, owner):
    from django.db import connection

    page = signed_in(owner).post("/profile/", {"name": "nightly export"}).content.decode()
    raw = page.split('id="new-token">')[1].split("<")[0]
    secret = raw.removeprefix(ApiToken.objects.get(user=owner).prefix)
    assert len(secret) >= 20
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if "token" not in table:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(secret in str(value) for value in row), table
