from tests.catalogue.conftest import facilities  # noqa: F401
