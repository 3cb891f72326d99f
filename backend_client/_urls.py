"""Decide whether a backend URL is safe to send a token and payments to."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from backend_client.errors import InsecureURL

# Names that never leave this machine or a private test network (RFC 6761 `.test`/`.localhost`,
# mDNS `.local`, and `.internal` which ICANN reserved for private use).
_PRIVATE_SUFFIXES = (".localhost", ".test", ".local", ".internal")


def is_private_host(host: str) -> bool:
    """Return True for loopback, private-network and reserved test host names/addresses."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def check_base_url(url: str, *, allow_insecure: bool = False) -> str:
    """Return `url` without a trailing slash, or raise `InsecureURL` if it must not be used.

    Plain http:// would expose the bearer token and customers' numbers to anyone on the path, so
    it is only accepted for this machine and private/test networks unless explicitly allowed.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureURL(
            f"'{url}' is not a server address. It should look like https://duka.example.com."
        )
    if parts.scheme == "http" and not allow_insecure and not is_private_host(parts.hostname):
        raise InsecureURL(
            f"Refusing to connect to {parts.hostname} without encryption: "
            "the server address must start with https://."
        )
    return url.strip().rstrip("/")
