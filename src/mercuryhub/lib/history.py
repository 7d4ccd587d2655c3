"""Attribute a write to the person who made it, in the record's history.

Requests are attributed by simple-history's middleware; API, command-line and background writes go
through actions, which call this so that history always says who made a change.
"""


def attribute_change(instance, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
