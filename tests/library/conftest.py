import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, so that a test can count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []
