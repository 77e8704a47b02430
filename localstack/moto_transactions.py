"""TransactWriteItems for moto's DynamoDB at the cost of the items it names, not of its tables.

moto's `DynamoDBBackend.transact_write_items` keeps, for a rollback, a deep copy of every table a
transaction names, made before each transaction. With 10,000 executions in the executions table,
every slot claim (a transaction over the leases and executions tables) copies them all: the
emulator slows down as the table grows and its memory climbs by megabytes a second, past 20 GiB
in a load run of 10,000 executions. DynamoDB itself is atomic per transaction whatever the table
size. Here the tables are not copied: the items the transaction names are, before it runs, and a
transaction that fails puts exactly those items back (or removes those it created), which is all
a transaction can have changed.

`install()` patches moto once; the server module calls it before serving.
"""

import copy

import moto.dynamodb.models as ddb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table


class _CopyWithoutTables:
    """Stands in for the `copy` module inside moto's DynamoDB models while a transaction runs:
    a table is handed back as it is (its items are saved one by one instead); anything else is
    copied as `copy` would."""

    skip_tables = False

    def deepcopy(self, value, memo=None):
        if self.skip_tables and isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)

    def __getattr__(self, name):
        return getattr(copy, name)


_COPY = _CopyWithoutTables()


def _key_of(table, op):
    """The (hash, range) DynamoType key an operation names, or None when it names none."""
    source = op.get("Key") if "Key" in op else op.get("Item")
    if not isinstance(source, dict) or table.hash_key_attr not in source:
        return None
    hash_value = DynamoType(source[table.hash_key_attr])
    if table.range_key_attr is None:
        return hash_value, None
    if table.range_key_attr not in source:
        return None
    return hash_value, DynamoType(source[table.range_key_attr])


def _saved_items(backend, transact_items):
    """Each named item as it is before the transaction: (table, hash, range, copy or None)."""
    saved = []
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        _, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        key = _key_of(table, op) if table is not None else None
        if key is None:
            continue
        hash_value, range_value = key
        if range_value is None:
            current = table.items.get(hash_value)
        else:
            current = table.items[hash_value].get(range_value) if hash_value in table.items else None
        saved.append((table, hash_value, range_value, copy.deepcopy(current)))
    return saved


def _put_back(saved):
    """Restores the saved items, the earliest copy of an item last (so it is the one kept)."""
    for table, hash_value, range_value, item in reversed(saved):
        if range_value is None:
            if item is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = item
        elif item is None:
            if hash_value in table.items:
                table.items[hash_value].pop(range_value, None)
        else:
            table.items[hash_value][range_value] = item


def install():
    """Makes moto's TransactWriteItems save and restore the items it names, never whole tables."""
    if getattr(DynamoDBBackend.transact_write_items, "_attune", False):
        return
    original = DynamoDBBackend.transact_write_items
    ddb_models.copy = _COPY

    def transact_write_items(self, transact_items):
        saved = _saved_items(self, transact_items)
        _COPY.skip_tables = True
        try:
            return original(self, transact_items)
        except BaseException:
            _put_back(saved)
            raise
        finally:
            _COPY.skip_tables = False

    transact_write_items._attune = True
    DynamoDBBackend.transact_write_items = transact_write_items
