"""IpAddress / NotIpAddress: IPv4 and IPv6 addresses against addresses or CIDR ranges."""

from __future__ import annotations

import ipaddress
from typing import Any

from hutch.policy.conditions.registry import OperatorDef, literal_text, register
from hutch.policy.wildcard import Token

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def parse_network(text: str) -> Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _compile(tokens: tuple[Token, ...]) -> Network | None:
    return parse_network(literal_text(tokens))


def _within(value: Any, network: Any) -> bool:
    return bool(value.version == network.version and value in network)


register(
    OperatorDef("IpAddress", False, False, False, _compile, parse_address, _within, describe_value="an IP"),
    OperatorDef("NotIpAddress", True, False, False, _compile, parse_address, _within, describe_value="an IP"),
)
