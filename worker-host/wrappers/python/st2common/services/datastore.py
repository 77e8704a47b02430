"""``st2common.services.datastore``: the datastore as an action sees it, as in StackStorm.

``self.action_service`` reads and writes st2kv through the worker (the service channel, see
``attune/_channel.py``), with StackStorm's semantics:

- names are *local* by default: ``<pack>.<ActionClass>:<name>`` (``local=False`` for the name as
  given);
- only the ``system`` scope is served (any other: ``ValueError("Scope user is unsupported.")``);
- ``get_value`` answers the value or ``None`` (a missing key; an error, which is logged); a secret
  value is ``********`` unless ``decrypt=True``;
- ``set_value`` stores ``str(value)`` (``encrypt=True``: a secret; ``ttl``: seconds) and answers
  ``True``; a refused value raises;
- ``delete_value`` answers ``True``, or ``False`` when there was no such key (or on an error,
  logged);
- ``list_values`` answers :class:`KeyValuePair` objects whose names start with the (local)
  prefix, at most ``limit`` (100, st2's ``api.max_page_size``) from ``offset``.

Values are never logged, only names.
"""

from attune._channel import ServiceError, ServiceUnavailable, default_channel
from st2common.constants.keyvalue import DATASTORE_KEY_SEPARATOR, SYSTEM_SCOPE

__all__ = ["ActionDatastoreService", "BaseDatastoreService", "DatastoreUnavailable", "KeyValuePair", "SensorDatastoreService"]

# An absent key: a normal answer for get_value and delete_value, not an error to log.
_NOT_FOUND = "KeyNotFound"

DatastoreUnavailable = ServiceUnavailable


class KeyValuePair(object):
    """A key as ``list_values()`` answers it (st2client's ``KeyValuePair``): ``name``, ``value``,
    ``secret``, ``scope``, ``expire_timestamp``; ``id`` is the name."""

    def __init__(self, **fields):
        self.name = fields.get("name")
        self.value = fields.get("value")
        self.secret = bool(fields.get("secret", False))
        self.scope = fields.get("scope", SYSTEM_SCOPE)
        self.expire_timestamp = fields.get("expire_timestamp")

    @property
    def id(self):  # noqa: A003 - st2client's name
        return self.name

    def to_dict(self):
        return {k: v for k, v in vars(self).items() if v is not None}

    def __repr__(self):
        return "<KeyValuePair name=%s,value=%s>" % (self.name, "********" if self.secret else self.value)


class BaseDatastoreService(object):
    """StackStorm's datastore calls for pack ``pack_name`` and class ``class_name``."""

    DATASTORE_NAME_SEPARATOR = DATASTORE_KEY_SEPARATOR

    def __init__(self, logger, pack_name, class_name, channel=None):
        self._logger = logger
        self._pack_name = pack_name
        self._class_name = class_name
        self._channel = channel

    def _request(self, op, **arguments):
        channel = self._channel if self._channel is not None else default_channel()
        return channel.request(op, **arguments)

    def get_user_info(self):
        """The identity datastore calls run as: st2's system user (no per-user identity here)."""
        return {"username": "stanley", "authentication": {"method": "service"}, "rbac": {"enabled": False, "roles": []}}

    def list_values(self, local=True, prefix=None, limit=None, offset=0):
        key_prefix = self._get_full_key_prefix(local=local, prefix=prefix)
        self._debug("Retrieving all the values from the datastore")
        found = self._request("kv.list", prefix=key_prefix, limit=limit or None, offset=offset or 0)
        return [KeyValuePair(**item) for item in found]

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        if scope != SYSTEM_SCOPE:
            raise ValueError("Scope %s is unsupported." % scope)
        name = self._get_full_key_name(name=name, local=local)
        self._debug("Retrieving value from the datastore (name=%s)", name)
        try:
            return self._request("kv.get", name=name, decrypt=bool(decrypt))
        except (ServiceError, ServiceUnavailable) as error:
            if getattr(error, "type", None) != _NOT_FOUND:
                self._exception("Exception retrieving value from datastore (name=%s): %s", name, error)
            return None

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        if scope != SYSTEM_SCOPE:
            raise ValueError("Scope %s is unsupported." % scope)
        name = self._get_full_key_name(name=name, local=local)
        value = str(value)
        self._debug("Setting value in the datastore (name=%s)", name)
        arguments = {"name": name, "value": value, "secret": bool(encrypt)}
        if ttl:
            arguments["ttl"] = ttl
        self._request("kv.set", **arguments)
        return True

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        if scope != SYSTEM_SCOPE:
            raise ValueError("Scope %s is unsupported." % scope)
        name = self._get_full_key_name(name=name, local=local)
        self._debug("Deleting value from the datastore (name=%s)", name)
        try:
            return bool(self._request("kv.delete", name=name))
        except (ServiceError, ServiceUnavailable) as error:
            self._exception("Exception deleting value from datastore (name=%s): %s", name, error)
            return False

    def _get_full_key_name(self, name, local):
        return self._get_key_name_with_prefix(name) if local else name

    def _get_full_key_prefix(self, local, prefix=None):
        if not local:
            return prefix
        return self._get_local_key_name_prefix() + (prefix or "")

    def _get_local_key_name_prefix(self):
        return self._get_datastore_key_prefix() + self.DATASTORE_NAME_SEPARATOR

    def _get_key_name_with_prefix(self, name):
        return self._get_datastore_key_prefix() + self.DATASTORE_NAME_SEPARATOR + name

    def _get_datastore_key_prefix(self):
        return "%s.%s" % (self._pack_name, self._class_name)

    def _debug(self, message, *args):
        if self._logger is not None:
            self._logger.debug(message, *args)

    def _exception(self, message, *args):
        if self._logger is not None:
            # The error, never a traceback holding the call's arguments (a value may be secret).
            self._logger.error(message, *args)


class ActionDatastoreService(BaseDatastoreService):
    """The datastore service of an action; ``auth_token`` is accepted for StackStorm's signature
    and not used (the worker serves the calls itself)."""

    def __init__(self, logger=None, pack_name=None, class_name=None, auth_token=None, channel=None):
        super(ActionDatastoreService, self).__init__(logger=logger, pack_name=pack_name, class_name=class_name, channel=channel)


class SensorDatastoreService(BaseDatastoreService):
    """The datastore service of a sensor (``self.sensor_service``'s datastore calls): local names are
    ``<pack>.<SensorClass>:<name>``, as in StackStorm. ``api_username`` is accepted for StackStorm's
    signature and not used (the sensor host serves the calls itself)."""

    def __init__(self, logger=None, pack_name=None, class_name=None, api_username=None, channel=None):
        super(SensorDatastoreService, self).__init__(logger=logger, pack_name=pack_name, class_name=class_name, channel=channel)
