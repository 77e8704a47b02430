"""moto's DynamoDB models, no longer kept alive for moto's dashboard.

moto's `BaseModel.__new__` appends every instance of a model class to the class's
`instances_tracked` list, for the dashboard at `/moto-api/` only. In DynamoDB an `Item` is a
model, and moto deep-copies items to answer every query and to store every update: each copy stays
in that list for the life of the server. A status-index query that matches 4,500 items kept about
45,000 objects alive; a 10,000-execution load run grew the emulator by about 6 MiB a second. Here
the DynamoDB models' lists keep nothing, so an item lives as long as a table or a request holds it.
Attune never reads the dashboard.

`install()` patches moto once; the server module calls it before serving.
"""

import moto.dynamodb.models  # noqa: F401  (defines the DynamoDB model classes)
from moto.core.model_instances import model_data


class _Untracked(list):
    """A list that keeps nothing appended to it."""

    def append(self, _item):
        return None


def install():
    for model in model_data.get("dynamodb", {}).values():
        if not isinstance(model.instances_tracked, _Untracked):
            model.instances_tracked = _Untracked()
