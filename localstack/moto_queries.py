"""Query for moto's DynamoDB at the cost of the items it can match, not of sorting the table.

moto's `Table.query` starts from `all_items()`, every item of the table sorted by its key, for a
query on the table (then keeps one partition) and on an index (then keeps one index partition)
alike, and sorts what it kept once more. With 10,000 executions, each query of the status index
(the reaper's, `GET /v1/stats`) sorts 10,000 items by comparing DynamoDB values in Python: in a
load run of 10,000 executions the emulator spent four fifths of its time there. DynamoDB reads
one partition whatever the table size. Here, while a query runs, `all_items()` answers the
queried partition of the table, or every item unsorted for an index; what the query keeps is
sorted by its own key as before, so results, their order and their pages are unchanged.

`install()` patches moto once; the server module calls it before serving.
"""

import inspect

from moto.dynamodb.models.table import Table


def _every_item(table):
    """Every item of the table, in no order."""
    if table.range_key_attr:
        return [item for partition in table.items.values() for item in partition.values()]
    return list(table.items.values())


def _partition(table, hash_key):
    """The items of one partition of the table."""
    found = table.items.get(hash_key) if hash_key is not None else None
    if found is None:
        return [] if hash_key is not None else _every_item(table)
    return list(found.values()) if table.range_key_attr else [found]


def install():
    if getattr(Table.query, "_attune_patched", False):
        return
    original = Table.query
    signature = inspect.signature(original)

    def query(self, *args, **kwargs):
        call = signature.bind(self, *args, **kwargs).arguments
        if call.get("index_name"):
            self.all_items = lambda: _every_item(self)
        else:
            self.all_items = lambda: _partition(self, call.get("hash_key"))
        try:
            return original(self, *args, **kwargs)
        finally:
            del self.all_items

    query._attune_patched = True
    Table.query = query
