"""``st2reactor.sensor``: the sensor base classes (``base``)."""
