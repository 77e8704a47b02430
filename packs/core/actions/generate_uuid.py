"""core.uuid: returns a new UUID as text."""
import uuid

from st2common.runners.base_action import Action


class GenerateUUID(Action):
    def run(self, uuid_type="uuid4"):
        if uuid_type == "uuid1":
            return str(uuid.uuid1())
        return str(uuid.uuid4())
