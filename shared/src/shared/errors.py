"""The base errors every service's errors derive from: permanent or transient.

A consumer dead-letters a message whose handling raised a permanent error and retries, with
backoff, one that raised a transient error. HTTP routes map them to 4xx/5xx at the edge.
"""

from __future__ import annotations


class RefettorioError(Exception):
    """Base of every domain error. `code` is machine-readable, `message` is for people (Italian)."""

    code = "errore"
    permanent = True

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermanentError(RefettorioError):
    """Retrying cannot help: bad input, a broken rule, an unknown reference."""


class TransientError(RefettorioError):
    """Retrying may help: a dependency was unreachable or a transaction lost a race."""

    permanent = False
