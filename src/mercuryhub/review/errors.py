"""The review layer's domain exceptions; the web and the API turn them into responses in one place
each (``lib.api`` for the API)."""

from mercuryhub.lib.errors import StateError


class WorkflowError(StateError):
    """The action does not apply to the entry's review state."""


class ConflictError(StateError):
    """Someone saved the entry since the version this edit started from."""

    def __init__(self, entry, base_version: int, their_changes: list):
        self.entry = entry
        self.base_version = base_version
        self.current_version = entry.version
        self.their_changes = their_changes
        super().__init__(
            f"This entry was changed by someone else since version {base_version} "
            f"(it is now at version {entry.version}); your changes were not saved."
        )

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(name, f"changed from {old!r} to {new!r}") for name, old, new in self.their_changes]
