"""``self.sensor_service`` of StackStorm sensors: trigger dispatch, loggers and the datastore.

Dispatches go to the sensor host over the service channel (``attune/_channel.py``) and through the
engine's intake path, as ``POST /v1/events`` does: the trigger type must be registered and the
payload must fit its ``payload_schema``. As in StackStorm (``throw_on_validation_error=False``), a
refused dispatch is logged as a warning and ``dispatch`` returns ``None``; it raises only when the
host is gone (then the sensor cannot do anything useful and ends).
"""

import logging

from attune._channel import ServiceError, default_channel
from st2common.constants.keyvalue import SYSTEM_SCOPE
from st2common.services.datastore import SensorDatastoreService

__all__ = ["SensorService", "trigger_ref"]


def trigger_ref(trigger):
    """The ref of ``trigger`` as StackStorm's dispatcher accepts it: ``"pack.name"``, or a dict
    with ``ref``, ``type`` or ``pack`` and ``name``."""
    if isinstance(trigger, str):
        return trigger
    if isinstance(trigger, dict):
        if trigger.get("ref"):
            return str(trigger["ref"])
        if trigger.get("type"):
            return str(trigger["type"])
        if trigger.get("pack") and trigger.get("name"):
            return "%s.%s" % (trigger["pack"], trigger["name"])
    raise ValueError("expected a trigger ref such as \"pack.name\" (or a dict with ref, type or pack and name), received a %s" % type(trigger).__name__)


class SensorService(object):
    """StackStorm's ``SensorService`` (``st2reactor.container.sensor_wrapper``) for one sensor."""

    def __init__(self, pack, class_name, logger, channel=None):
        self._pack = pack
        self._class_name = class_name
        self._logger = logger
        self._channel = channel
        self._datastore_service = SensorDatastoreService(
            logger=logger, pack_name=pack, class_name=class_name, api_username="sensor_service", channel=channel
        )

    @property
    def datastore_service(self):
        return self._datastore_service

    def get_logger(self, name):
        """A logger under the sensor's own (``SensorWrapper.<pack>.<Class>.<name>``), writing to
        the sensor's log."""
        logger = logging.getLogger("%s.%s" % (self._logger.name, name))
        logger.propagate = True
        return logger

    def get_user_info(self):
        return self._datastore_service.get_user_info()

    def dispatch(self, trigger, payload=None, trace_tag=None):
        """Dispatches ``trigger`` with ``payload``; ``trace_tag`` is kept on the trigger instance."""
        return self._dispatch(trigger, payload, trace_tag)

    def dispatch_with_context(self, trigger, payload=None, trace_context=None):
        """Dispatches ``trigger`` with ``payload``; of ``trace_context`` its ``trace_tag`` is kept."""
        tag = getattr(trace_context, "trace_tag", None)
        if tag is None and isinstance(trace_context, dict):
            tag = trace_context.get("trace_tag")
        return self._dispatch(trigger, payload, tag)

    def _dispatch(self, trigger, payload, trace_tag):
        ref = trigger_ref(trigger)
        arguments = {"trigger": ref, "payload": payload if payload is not None else {}}
        if trace_tag is not None:
            arguments["trace_tag"] = str(trace_tag)
        channel = self._channel if self._channel is not None else default_channel()
        try:
            channel.request("sensor.dispatch", **arguments)
        except ServiceError as error:
            # StackStorm's words, the payload never quoted (it may hold anything the sensor read).
            self._logger.warning('Failed to validate payload for trigger "%s" (dispatch refused): %s', ref, error)
        return None

    def list_values(self, local=True, prefix=None, limit=None, offset=None):
        return self._datastore_service.list_values(local=local, prefix=prefix, limit=limit, offset=offset or 0)

    def get_value(self, name, local=True, scope=SYSTEM_SCOPE, decrypt=False):
        return self._datastore_service.get_value(name=name, local=local, scope=scope, decrypt=decrypt)

    def set_value(self, name, value, ttl=None, local=True, scope=SYSTEM_SCOPE, encrypt=False):
        return self._datastore_service.set_value(name=name, value=value, ttl=ttl, local=local, scope=scope, encrypt=encrypt)

    def delete_value(self, name, local=True, scope=SYSTEM_SCOPE):
        return self._datastore_service.delete_value(name=name, local=local, scope=scope)
