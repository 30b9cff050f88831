"""The client's address behind the TLS proxy: REMOTE_ADDR from X-Forwarded-For, when trusted.

Behind nginx every request comes from the proxy's own address, so the per-address login
lockout (safepassage.accounts.lockout) would count every client's failures together: twenty
wrong passwords from anyone would lock everyone out. With `TRUSTED_PROXY_IPS` naming the
proxy (addresses or networks, comma-separated), a request *from* the proxy takes its client's
address from the last X-Forwarded-For entry, the one the proxy wrote (docs/deploy.md sets it to
`$remote_addr`). A request from anywhere else keeps its own address: a client cannot choose
its address by sending the header. Off (the peer's address) when the variable is empty.
"""

import ipaddress
from collections.abc import Callable, Iterable

from safepassage.lib.env import ConfigError, env_list

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> list[Network]:
    """TRUSTED_PROXY_IPS as networks (a bare address is a network of one)."""
    networks = []
    for item in env_list("TRUSTED_PROXY_IPS", []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"TRUSTED_PROXY_IPS: {item!r} is not an address or network; "
                "write e.g. 127.0.0.1 or 10.0.0.0/24."
            ) from None
    return networks


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


class ClientAddressFromProxy:
    """WSGI middleware: REMOTE_ADDR ← last X-Forwarded-For entry, for requests from a proxy."""

    def __init__(self, application: Callable, proxies: Iterable[Network]):
        self.application = application
        self.proxies = list(proxies)

    def _trusted(self, peer: str) -> bool:
        address = _address(peer)
        return address is not None and any(
            ipaddress.ip_address(address) in network for network in self.proxies
        )

    def __call__(self, environ: dict, start_response: Callable):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if self.proxies and forwarded and self._trusted(environ.get("REMOTE_ADDR", "")):
            client = _address(forwarded.rsplit(",", 1)[-1])
            if client is not None:
                environ["REMOTE_ADDR"] = client
        return self.application(environ, start_response)
