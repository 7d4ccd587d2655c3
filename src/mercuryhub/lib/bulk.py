"""Writing many rows at once when nobody needs their keys back (history and link rows)."""

from django.db import connections, router


def insert_rows(model, objects, *, batch_size: int = 5000) -> None:
    """Insert unsaved instances of ``model`` as ``bulk_create`` would, without giving them their
    primary keys: one statement prepared once and run for every row (``executemany``), where
    ``bulk_create`` writes INSERTs of at most 999 values on SQLite, each one put together
    value by value. No signal is sent, as with ``bulk_create``."""
    objects = list(objects)
    if not objects:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    fields = [
        field
        for field in opts.concrete_fields
        if not (field.primary_key and field.db_returning)  # the database numbers the rows
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608, E501 - names from the model, values as parameters
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            cursor.executemany(
                sql,
                [
                    [
                        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                        for field in fields
                    ]
                    for obj in objects[start : start + batch_size]
                ],
            )
