"""The address a request really came from, behind our own reverse proxies.

Recorded with every signature and used to throttle password guessing, so it
must not be something a client can choose. ``X-Forwarded-For`` is written by
whoever sends the request: it is read only when the request comes from one of
``settings.TRUSTED_PROXIES`` (MINUTES_TRUSTED_PROXIES), and then from the
right, where our proxies appended what they saw: the first address that is not
one of our proxies is the client. Anything else is ``REMOTE_ADDR``.
"""

import ipaddress


def parse_address(text):
    """``text`` as an IP address, or None when it is not one (ports and names are not)."""
    try:
        return ipaddress.ip_address(text.strip())
    except (AttributeError, ValueError):
        return None


def is_trusted(address, proxies):
    return any(address.version == network.version and address in network for network in proxies)


def client_ip(request, proxies=None):
    """The client's IP address as text, or None when the request carries none.

    ``proxies`` defaults to ``settings.TRUSTED_PROXIES`` (a list of ip_network).
    A forwarded header that cannot be read (garbage, a port, a name) where the
    client's address should be gives the address that sent the request: never
    something the client wrote.
    """
    if proxies is None:
        from django.conf import settings

        proxies = settings.TRUSTED_PROXIES
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not is_trusted(remote, proxies):
        return str(remote)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    earliest = remote
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # What our proxy appended is always an address: this came from the client.
            return str(remote)
        if not is_trusted(address, proxies):
            return str(address)
        earliest = address
    # Every hop is one of ours: the request started inside, at the left-most one.
    return str(earliest)
