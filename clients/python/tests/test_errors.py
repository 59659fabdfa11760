"""Errors a Python user understands: each its own type, the service's message, no stack trace from requests or
redis, and the token never in a message or a repr."""

from __future__ import annotations

import socket

import pytest

from system_trader import (AuthenticationError, BadRequestError, DataSource, NoDataInRangeError, RealtimeDataProvider,
                           RecordType, ServiceUnavailableError, SystemTraderError, UnknownSymbolError)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _no_chain(e: BaseException):
    assert e.__cause__ is None and e.__suppress_context__, "the transport's exception is chained"


def test_service_unreachable(stack):
    c = RealtimeDataProvider(url=f"http://127.0.0.1:{_free_port()}", token="secret-token-123")
    with pytest.raises(ServiceUnavailableError) as e:
        c.get_latest_price("AAPL", DataSource.POLYGON)
    assert "unreachable" in str(e.value) and "secret-token-123" not in str(e.value)
    assert "secret-token-123" not in repr(c)
    _no_chain(e.value)
    assert isinstance(e.value, SystemTraderError) and isinstance(e.value, ConnectionError)


def test_redis_unreachable_hides_its_password(stack):
    c = RealtimeDataProvider(url=stack.service.url, redis_url=f"redis://:redis-pass-456@127.0.0.1:{_free_port()}",
                             token=stack.token)
    with pytest.raises(ServiceUnavailableError) as e:
        c.get_latest_price("AAPL", via="redis")
    assert "redis-pass-456" not in str(e.value) and "redis-pass-456" not in repr(c)
    assert stack.token not in repr(c)
    _no_chain(e.value)
    # without via="redis", the service answers instead
    assert c.get_latest_price("AAPL").provenance["transport"] == "http"
    assert c.collector.get_latest_data("AAPL", RecordType.TRADE).provenance["transport"] == "http"


def test_wrong_token(stack):
    c = RealtimeDataProvider(url=stack.service.url, token="wrong-token-789")
    with pytest.raises(AuthenticationError) as e:
        c.get_latest_price("AAPL")
    assert e.value.status == 401 and "wrong-token-789" not in str(e.value) and stack.token not in str(e.value)


def test_unknown_symbol(http_client, client):
    with pytest.raises(UnknownSymbolError) as e:
        http_client.get_latest_price("ZZZZQ", DataSource.POLYGON)
    assert e.value.status == 404 and "ZZZZQ" in str(e.value) and "tried" in str(e.value)  # the service's message
    assert isinstance(e.value, LookupError)
    with pytest.raises(UnknownSymbolError) as e:
        client.collector.get_latest_data("ZZZZQ", RecordType.TRADE, via="http")
    assert str(e.value) == "unknown symbol 'ZZZZQ'"
    with pytest.raises(UnknownSymbolError):
        http_client.get_ohlcv_dataframe("ZZZZQ", 10)


def test_no_data_in_range(http_client):
    with pytest.raises(NoDataInRangeError) as e:
        http_client.get_ohlcv_dataframe("AAPL", start="2001-03-05T15:00:00Z", end="2001-03-05T16:00:00Z")
    assert e.value.status == 404 and "no data for 1m bars of AAPL" in str(e.value)
    with pytest.raises(NoDataInRangeError) as e:
        http_client.get_trades_dataframe("AAPL", "2001-03-05T15:00:00Z", "2001-03-05T16:00:00Z")
    assert "no trades of AAPL" in str(e.value) and "tried" in str(e.value)
    with pytest.raises(NoDataInRangeError):
        http_client.get_quotes_dataframe("AAPL", "2001-03-05T15:00:00Z", "2001-03-05T16:00:00Z")


def test_bad_request_names_the_parameter(http_client):
    with pytest.raises(BadRequestError) as e:
        http_client.get_ohlcv_dataframe("AAPL", 10, interval="7m")
    assert e.value.status == 400 and "interval" in str(e.value) and isinstance(e.value, ValueError)
    with pytest.raises(BadRequestError) as e:
        http_client.get_ohlcv_dataframe("AAPL", 60_000)
    assert "bars" in str(e.value)
