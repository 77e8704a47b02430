"""``st2common.services.datastore``: the datastore as an action sees it.

StackStorm's actions read and write the key-value store through ``self.action_service``
(``get_value``, ``set_value``, ``delete_value``, ``list_values``). The store is not reachable from
an action process on this worker: every call raises :class:`DatastoreUnavailable`, naming the call
and the key (never a value), so an action fails with a message that says what is missing instead
of an ``AttributeError`` deep in its code. Values an action needs can reach it as parameters:
``{{ st2kv.system.<name> }}`` in the action's or rule's parameters is rendered before it runs.
"""

from st2common.constants.keyvalue import SYSTEM_SCOPE

__all__ = ["ActionDatastoreService", "DatastoreUnavailable"]


class DatastoreUnavailable(NotImplementedError):
    """A datastore call from an action; the datastore is not reachable from action processes."""

    def __init__(self, call):
        super().__init__(
            "%s: the datastore is not reachable from actions on this worker; pass the value as a "
            "parameter instead ({{ st2kv.system.<name> }} in the action's or rule's parameters)" % call
        )
        self.call = call


class ActionDatastoreService(object):
    """The datastore calls of one action (pack ``pack_name``, class ``class_name``)."""

    def __init__(self, logger=None, pack_name=None, class_name=None, auth_token=None):
        self._logger = logger
        self._pack_name = pack_name
        self._class_name = class_name

    def get_user_info(self):
        raise DatastoreUnavailable("action_service.get_user_info()")

    def list_values(self, local=True, prefix=None, limit=None, offset=None):
        raise DatastoreUnavailable("action_service.list_values(prefix=%r)" % (prefix,))

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        raise DatastoreUnavailable("action_service.get_value(%r, scope=%r)" % (name, scope))

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        # The value is never named: it may be a secret.
        raise DatastoreUnavailable("action_service.set_value(%r, scope=%r)" % (name, scope))

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        raise DatastoreUnavailable("action_service.delete_value(%r, scope=%r)" % (name, scope))
