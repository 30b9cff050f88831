"""Behind the TLS proxy the lockout sees each client's address, and no client can forge it."""

import pytest

from safepassage.lib.env import ConfigError
from safepassage.ops.proxy import ClientAddressFromProxy, trusted_proxies


def _seen(proxies, remote: str, forwarded: str | None = None) -> str:
    seen = {}

    def app(environ, start_response):
        seen["address"] = environ["REMOTE_ADDR"]
        return []

    environ = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    ClientAddressFromProxy(app, proxies)(environ, lambda *a: None)
    return seen["address"]


def test_a_request_from_the_proxy_takes_the_address_the_proxy_wrote(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "127.0.0.1, 10.0.0.0/24")
    proxies = trusted_proxies()
    assert _seen(proxies, "127.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert _seen(proxies, "10.0.0.5", "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert _seen(proxies, "127.0.0.1", "2001:db8::1") == "2001:db8::1"


def test_a_client_cannot_choose_its_address_by_sending_the_header(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "127.0.0.1")
    proxies = trusted_proxies()
    assert _seen(proxies, "203.0.113.50", "127.0.0.1") == "203.0.113.50"
    assert _seen(proxies, "127.0.0.1", "not-an-address") == "127.0.0.1"
    assert _seen(proxies, "127.0.0.1") == "127.0.0.1"


def test_without_trusted_proxies_the_peer_address_stays(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXY_IPS", raising=False)
    assert _seen(trusted_proxies(), "127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_malformed_entry_is_refused_with_what_to_write(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "localhost")
    with pytest.raises(ConfigError, match="write e.g. 127.0.0.1"):
        trusted_proxies()
