"""StackStorm's ``st2reactor``, as much of it as sensors use: ``st2reactor.sensor.base``.

Sensors written for StackStorm derive from ``st2reactor.sensor.base.Sensor`` or ``PollingSensor``.
This package gives them those classes with StackStorm's behaviour; it lives beside ``attune`` and
``st2common`` and is put on ``sys.path`` by the sensor wrapper (``attune_sensor_wrapper.py``): it
is never a pack dependency. StackStorm's sensor container itself (``st2reactor.container``) is the
worker host's sensor mode, not Python.
"""
