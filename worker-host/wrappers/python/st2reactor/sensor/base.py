"""``st2reactor.sensor.base``: the classes StackStorm sensors derive from.

A sensor is built as ``cls(sensor_service=..., config=...)`` (a ``PollingSensor`` with
``poll_interval=...`` too, when its ``sensors/*.yaml`` sets one); the wrapper then calls
``setup()``, ``add_trigger(trigger)`` for each trigger of its types that rules use, and ``run()``
until the process is asked to stop, then ``cleanup()``.

- ``Sensor`` (passive): ``run()`` is the sensor's own loop (a server, a stream, a watch).
- ``PollingSensor`` (active): ``run()`` calls ``poll()`` every ``get_poll_interval()`` seconds
  (5 unless set); ``set_poll_interval()`` changes it from the next wait on.

``self.sensor_service`` dispatches triggers and reads the datastore; ``self.config`` is the pack's
config (schema defaults, the operator's values, secrets resolved).
"""

import abc
import time

__all__ = ["BaseSensor", "Sensor", "PollingSensor"]

# StackStorm's default interval of a PollingSensor whose metadata sets none.
DEFAULT_POLL_INTERVAL = 5


class BaseSensor(abc.ABC):
    """What every sensor has; not instantiated directly."""

    def __init__(self, sensor_service, config=None):
        self.sensor_service = sensor_service
        self.config = config or {}
        # StackStorm's older names, still read by Exchange sensors.
        self._sensor_service = self.sensor_service
        self._config = self.config

    @abc.abstractmethod
    def setup(self):
        """Prepare (clients, state); called once before ``run()``."""

    @abc.abstractmethod
    def run(self):
        """Run the sensor; returns only when it is done."""

    @abc.abstractmethod
    def cleanup(self):
        """Release what ``setup()`` took; called once when the sensor stops."""

    @abc.abstractmethod
    def add_trigger(self, trigger):
        """A trigger of one of the sensor's types is in use (a rule names it)."""

    @abc.abstractmethod
    def update_trigger(self, trigger):
        """A trigger in use changed its parameters."""

    @abc.abstractmethod
    def remove_trigger(self, trigger):
        """A trigger is no longer in use."""


class Sensor(BaseSensor):
    """A passive sensor: ``run()`` is its own loop."""

    @abc.abstractmethod
    def run(self):
        """Run until stopped."""


class PollingSensor(BaseSensor):
    """An active sensor: ``poll()`` is called every poll interval, forever."""

    def __init__(self, sensor_service, config=None, poll_interval=DEFAULT_POLL_INTERVAL):
        super(PollingSensor, self).__init__(sensor_service=sensor_service, config=config)
        self._poll_interval = poll_interval

    @abc.abstractmethod
    def poll(self):
        """Look for news once; dispatch triggers for what is new."""

    def run(self):
        while True:
            self.poll()
            # Exchange sensors declare ``poll_interval=None`` in their constructor and rely on the
            # metadata to set it; without one, st2's default.
            time.sleep(self._poll_interval if self._poll_interval is not None else DEFAULT_POLL_INTERVAL)

    def get_poll_interval(self):
        """Seconds between two polls."""
        return self._poll_interval

    def set_poll_interval(self, poll_interval):
        """Sets the seconds between two polls, from the next wait on."""
        self._poll_interval = poll_interval
