"""``self.action_service`` of StackStorm actions, and what it knows of the run."""

import os

from st2common.constants.keyvalue import SYSTEM_SCOPE
from st2common.runners.utils import get_logger_for_python_runner_action
from st2common.services.datastore import ActionDatastoreService

__all__ = ["ActionService", "RunInfo"]


class RunInfo(object):
    """What StackStorm's action wrapper tells the action about its run (read by
    ``st2common.runners.base_action.Action``: ``_pack``, ``_log_level``, ``_class_name``)."""

    def __init__(self, pack, file_path, log_level):
        self._pack = pack
        self._file_path = file_path
        self._log_level = log_level
        self._class_name = None


class ActionService(object):
    """StackStorm's ``ActionService``: the datastore calls of an action, served by the worker
    (see ``st2common.services.datastore``)."""

    def __init__(self, action_wrapper):
        self._action_wrapper = action_wrapper
        self._datastore_service = None

    @property
    def datastore_service(self):
        if self._datastore_service is None:
            self._datastore_service = ActionDatastoreService(
                logger=get_logger_for_python_runner_action(
                    action_name=self._action_wrapper._class_name, log_level=self._action_wrapper._log_level
                ),
                pack_name=self._action_wrapper._pack,
                class_name=self._action_wrapper._class_name,
                auth_token=os.environ.get("ST2_ACTION_AUTH_TOKEN"),
            )
        return self._datastore_service

    def get_user_info(self):
        return self.datastore_service.get_user_info()

    def list_values(self, local=True, prefix=None, limit=None, offset=0):
        return self.datastore_service.list_values(local=local, prefix=prefix, limit=limit, offset=offset)

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        return self.datastore_service.get_value(name=name, local=local, scope=scope, decrypt=decrypt)

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        return self.datastore_service.set_value(name=name, value=value, ttl=ttl, local=local, scope=scope, encrypt=encrypt)

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        return self.datastore_service.delete_value(name=name, local=local, scope=scope)
