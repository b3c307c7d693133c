"""Plain ``INSERT`` of many new rows, for the import's bulk of new certificates.

``QuerySet.bulk_create`` compiles every value of every object through the field and
the SQL compiler; for a file of new certificates that was most of the import's time.
:class:`RowInserter` prepares each field once (its database adapter, its default) and
sends rows built from plain dicts with ``executemany``. It writes exactly what
``bulk_create`` would (``get_db_prep_save`` for every value that needs adapting,
``auto_now`` fields set), but sends no signals and returns no ids: read them back
by a unique key.
"""

from django.db import connections, router

# Fields whose Python values the database drivers take as they are.
PLAIN_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "ForeignKey",
        "OneToOneField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
    }
)
BATCH_SIZE = 1000


class RowInserter:
    def __init__(self, model):
        self.model = model
        self.connection = connections[router.db_for_write(model)]
        self.fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Names come from the model and are quoted; values go as parameters.
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def _preparers(self, now):
        """Per field: the dict key, a converter (or None), and the prepared default."""
        preparers = []
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                preparers.append((None, None, field.get_db_prep_save(now, self.connection)))
                continue
            convert = None if field.get_internal_type() in PLAIN_TYPES else self._converter(field)
            default = field.get_default()
            if convert is not None and default is not None:
                default = convert(default)
            preparers.append((field.attname, convert, default))
        return preparers

    def _converter(self, field):
        connection = self.connection

        def convert(value):
            return field.get_db_prep_save(value, connection)

        return convert

    def insert(self, rows, now):
        """Insert ``rows``, dicts of attribute name to Python value; a missing key takes
        the field's default."""
        preparers = self._preparers(now)
        missing = object()
        prepared = []
        for values in rows:
            row = []
            for attname, convert, default in preparers:
                value = missing if attname is None else values.get(attname, missing)
                if value is missing:
                    row.append(default)
                elif convert is None or value is None:
                    row.append(value)
                else:
                    row.append(convert(value))
            prepared.append(row)
        with self.connection.cursor() as cursor:
            for start in range(0, len(prepared), BATCH_SIZE):
                cursor.executemany(self.sql, prepared[start : start + BATCH_SIZE])
