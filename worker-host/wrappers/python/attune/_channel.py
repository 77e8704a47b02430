"""The service channel to the worker: JSON lines on ``ATTUNE_SERVICE_FD`` (fd 4).

The worker answers each request with one line, ``{"id", "ok": true, "value"}`` or ``{"id", "ok":
false, "error": {"type", "message"}}``, in order; the action waits for each answer, so there is at
most one request in flight. Without ``ATTUNE_SERVICE_FD`` (a run by hand) there is no channel and
every request raises :class:`ServiceUnavailable`.
"""

import itertools
import json
import os
import threading

__all__ = ["ServiceChannel", "ServiceError", "ServiceUnavailable", "default_channel"]

# Largest answer read: the worker's own bound (SERVICE_RESPONSE_LIMIT_BYTES) plus the newline.
_ANSWER_LIMIT_BYTES = 4 * 1024 * 1024 + 1


class ServiceUnavailable(RuntimeError):
    """There is no service channel (a run by hand), or the worker closed it."""


class ServiceError(RuntimeError):
    """The worker refused or failed a request; ``type`` is its error type (``KeyNotFound``,
    ``InvalidKeyValue``, ``InvalidServiceRequest``, ...)."""

    def __init__(self, type_name, message):
        super().__init__("%s: %s" % (type_name, message))
        self.type = type_name


class ServiceChannel(object):
    """One end of the socket pair the worker serves."""

    def __init__(self, fd):
        self._fd = fd
        self._ids = itertools.count(1)
        self._pending = b""
        # A sensor may dispatch from several threads: one request and its answer at a time.
        self._lock = threading.Lock()
        os.set_blocking(fd, True)

    def request(self, op, **arguments):
        """Sends ``{op, **arguments}`` and answers the worker's ``value``; raises
        :class:`ServiceError` when the worker answers an error."""
        with self._lock:
            request_id = next(self._ids)
            line = json.dumps(dict(arguments, id=request_id, op=op), separators=(",", ":")) + "\n"
            data = memoryview(line.encode("utf-8"))
            try:
                while data:
                    data = data[os.write(self._fd, data):]
                answer = json.loads(self._read_line().decode("utf-8"))
            except OSError as error:
                raise ServiceUnavailable("the worker's service channel is closed (%s)" % error.strerror) from None
        if answer.get("ok") is True:
            return answer.get("value")
        error = answer.get("error") or {}
        raise ServiceError(str(error.get("type") or "ServiceError"), str(error.get("message") or "request refused"))

    def _read_line(self):
        while b"\n" not in self._pending:
            if len(self._pending) > _ANSWER_LIMIT_BYTES:
                raise ServiceUnavailable("the worker's answer is larger than %d bytes" % _ANSWER_LIMIT_BYTES)
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise ServiceUnavailable("the worker closed the service channel")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line


class _NoChannel(object):
    def request(self, op, **arguments):
        raise ServiceUnavailable(
            "%s: no service channel to the worker (ATTUNE_SERVICE_FD is not set, as in a run by hand)" % op
        )


_default = None


def default_channel():
    """The process's channel: fd ``ATTUNE_SERVICE_FD`` when the worker set it, else one that
    raises :class:`ServiceUnavailable` on every request."""
    global _default
    if _default is None:
        fd = os.environ.get("ATTUNE_SERVICE_FD")
        _default = ServiceChannel(int(fd)) if fd and fd.isdigit() else _NoChannel()
    return _default
