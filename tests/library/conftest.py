import pytest

from mercuryhub.catalogue.actions import do_save_entry
from mercuryhub.library.fields import clean_case_study, clean_resource


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, so that a test can count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def make_resource(**data):
    return do_save_entry("resource", clean_resource(data), review_state="imported", published=True)


@pytest.fixture
def resources(db):
    return {
        "guide": make_resource(
            name="Guidance on mercury waste inventories",
            kind="guidance",
            url="https://example.org/inventory",
            description="How to count mercury waste streams in a country.",
            year=2019,
            languages="en;fr",
            audiences="policymakers",
            waste_categories="lamps",
        ),
        "training": make_resource(
            name="Safe handling course for health-care workers",
            kind="training",
            url="https://example.org/course",
            year=2022,
            languages="es",
            audiences="health-workers",
        ),
        "video": make_resource(
            name="Retorts in artisanal mining",
            kind="video",
            url="https://video.example.org/retorts",
            year=2021,
            languages="fr",
            audiences="miners",
            transcript="The miner heats the amalgam under a cover called a zorbatrap retort.",
        ),
    }


@pytest.fixture
def case_study(db):
    return do_save_entry(
        "case_study",
        clean_case_study(
            {
                "name": "Thermometer exchange in Montevideo hospitals",
                "country": "URY",
                "year": 2018,
                "languages": "es",
                "audiences": "health-workers",
            }
        ),
        review_state="imported",
        published=True,
    )
