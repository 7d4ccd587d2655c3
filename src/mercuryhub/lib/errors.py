"""The exceptions that domain actions raise, which the web pages and the API turn into responses in
one place each: bad input (a message per field) and an action that does not apply in the current
state of what it acts on."""


class InvalidInputError(ValueError):
    """Input that cannot be saved; ``errors`` maps a field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


class StateError(Exception):
    """The action does not apply to the current state of what it acts on (the API answers 409).
    ``errors`` may list (field, message) pairs that explain it."""

    errors: list[tuple[str, str]] = []
