"""The review layer is exercised on the catalogue's kinds, with the catalogue's fixtures."""

from tests.catalogue.conftest import expert, facilities, offering, people  # noqa: F401
