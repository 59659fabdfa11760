"""Exceptions of the System Trader client: one type per thing that went wrong, each with the service's message.

    SystemTraderError                   base of every error raised by this package
    +-- ServiceUnavailableError         the service (or Redis) did not answer: not running, wrong URL, timeout, 503
    +-- AuthenticationError             401: the token is missing or wrong (the token itself is never shown)
    +-- BadRequestError (ValueError)    400: a parameter the service refused, with its message naming it
    +-- DataNotFoundError (LookupError) 404: no tier had the data
        +-- UnknownSymbolError          nothing at all for the symbol (no tier has a trade of it)
        +-- NoDataInRangeError          a time range (bars, trades, quotes) holds nothing, or a known symbol has
                                        no closed bar for a last-N request yet

No exception of ``requests`` or ``redis`` escapes: they are turned into these, their own stack traces left out
(``raise ... from None``), so a research notebook shows one line saying what happened.
"""

from __future__ import annotations


class SystemTraderError(Exception):
    """Base of every error this package raises. ``status`` is the HTTP status when the service answered."""

    def __init__(self, message: str, status: int | None = None, attempts: list | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.attempts = attempts or []

    def __str__(self) -> str:
        return self.message


class ServiceUnavailableError(SystemTraderError, ConnectionError):
    """The service or Redis could not be reached (refused, timed out, 503)."""


class AuthenticationError(SystemTraderError, PermissionError):
    """The service refused the request's token (401)."""


class BadRequestError(SystemTraderError, ValueError):
    """The service refused a parameter (400); the message names it."""


class DataNotFoundError(SystemTraderError, LookupError):
    """No tier had the data asked for (404)."""


class UnknownSymbolError(DataNotFoundError, KeyError):
    """No tier holds anything for the symbol."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class NoDataInRangeError(DataNotFoundError):
    """The time range asked for holds no bars, trades or quotes."""
