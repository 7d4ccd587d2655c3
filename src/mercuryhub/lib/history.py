"""The records' history: who made each change, and the tables that keep it.

Requests are attributed by simple-history's middleware; API, command-line and background writes go
through actions, which call ``attribute_change`` so that history always says who made a change.
Every model with a history declares it as ``History()``.
"""

from simple_history.models import HistoricalRecords


def attribute_change(instance, user) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


class History(HistoricalRecords):
    """simple-history's records of a model, indexed by what they are read by: the entry's key
    (an entry's history) and the date of each record. simple-history would copy every index of
    the model's own fields (its foreign keys, states, codes: 14 on a facility's), which no read
    of history uses and every write keeps up: an import writes three to four records a row."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields
