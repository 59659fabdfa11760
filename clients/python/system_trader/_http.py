"""The HTTP transport: GET a path of the service's API, JSON back, errors as this package's exceptions."""

from __future__ import annotations

import re

from .errors import (AuthenticationError, BadRequestError, DataNotFoundError, ServiceUnavailableError,
                     SystemTraderError)


def _mask_url(url: str) -> str:
    """`url` with any user info (`user:password@`) masked."""
    return re.sub(r"//[^/@]*@", "//****@", url)


class HttpTransport:
    """One `requests.Session` to the service. The token goes in the `Authorization` header only; never in repr,
    messages or URLs."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0):
        import requests  # only this transport needs it

        self._requests = requests
        self.url = url.rstrip("/")
        self._token = token or None
        self.timeout = timeout
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        if self._token:
            self._session.headers["Authorization"] = "Bearer " + self._token

    def __repr__(self) -> str:
        return f"HttpTransport(url={_mask_url(self.url)!r}, token={'****' if self._token else None})"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "****") if self._token else text

    def get(self, path: str, params: dict | None = None, not_found=DataNotFoundError) -> dict:
        """The JSON body of a 200 answer; otherwise the matching exception with the service's message."""
        url = self.url + path
        try:
            r = self._session.get(url, params={k: v for k, v in (params or {}).items() if v is not None},
                                  timeout=self.timeout)
        except self._requests.exceptions.RequestException as e:
            reason = type(e).__name__
            inner = getattr(e, "args", None)
            detail = str(inner[0]) if inner else ""
            m = re.search(r"\[Errno -?\d+\] ([^')]+)|(Read timed out[^'\")]*)", detail)
            why = (m.group(1) or m.group(2)) if m else reason
            raise ServiceUnavailableError(
                f"System Trader service at {_mask_url(self.url)} unreachable ({self._scrub(why.strip())}); is "
                f"`./system-trader run` running there? (SYSTEM_TRADER_URL sets the address)") from None
        if r.status_code == 200:
            try:
                return r.json()
            except ValueError:
                raise SystemTraderError(f"{path}: the service answered something that is not JSON", 200) from None
        try:
            message = r.json().get("message") or r.text
        except ValueError:
            message = r.text.strip() or r.reason
        message = self._scrub(str(message))
        if r.status_code == 400:
            raise BadRequestError(message, 400)
        if r.status_code == 401:
            raise AuthenticationError(f"{message} (the service wants a valid token: SYSTEM_TRADER_API_TOKEN or "
                                      f"token=...)", 401)
        if r.status_code == 404:
            raise not_found(message, 404)
        if r.status_code == 503:
            raise ServiceUnavailableError(message, 503)
        raise SystemTraderError(f"{path}: HTTP {r.status_code}: {message}", r.status_code)

    def close(self) -> None:
        self._session.close()
