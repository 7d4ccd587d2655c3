"""The starter data set that ``mercuryhub serve`` loads into an empty database, through the same
importers a partner's spreadsheet goes through."""


def load_starter_data(stdout, *, verbosity: int = 1) -> None:
    """Nothing beyond the reference data yet; the catalogue adds its facilities here."""
