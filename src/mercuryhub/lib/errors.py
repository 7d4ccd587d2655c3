"""The one exception that domain actions raise for bad input, carrying a message per field."""


class InvalidInputError(ValueError):
    """Input that cannot be saved; ``errors`` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
