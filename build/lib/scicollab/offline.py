"""A network guard: Python sockets may reach this machine (loopback) and nothing else.

The test session installs it, and so does every notebook kernel and book build started while
``SCICOLLAB_OFFLINE=1`` is set, so that any attempt to reach the network fails loudly instead
of hanging or silently depending on it. ZeroMQ (kernel messaging) uses its own C sockets on
loopback and is unaffected.

``python -m scicollab.offline jupyter-book build ...`` runs Jupyter Book under the guard.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

from .errors import ScicollabError

ENV = "SCICOLLAB_OFFLINE"
_ORIGINAL = {"connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex,
             "getaddrinfo": socket.getaddrinfo}
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(ScicollabError, OSError):
    """A connection to a non-loopback address was attempted while offline."""


def is_local(host: object) -> bool:
    """True for loopback addresses and local names."""
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(address) -> None:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not is_local(host):
        raise NetworkBlocked(f"network access blocked (offline mode): attempted to reach "
                             f"{address!r}; only loopback is allowed. Unset {ENV} to allow it.")


def _connect(self, address):
    _check(address)
    return _ORIGINAL["connect"](self, address)


def _connect_ex(self, address):
    _check(address)
    return _ORIGINAL["connect_ex"](self, address)


def _getaddrinfo(host, *args, **kwargs):
    if host is not None and not is_local(host):
        raise NetworkBlocked(f"network access blocked (offline mode): name lookup of {host!r}")
    return _ORIGINAL["getaddrinfo"](host, *args, **kwargs)


def install() -> None:
    """Block every non-loopback connection and name lookup made through Python sockets."""
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    """Restore normal networking."""
    socket.socket.connect = _ORIGINAL["connect"]
    socket.socket.connect_ex = _ORIGINAL["connect_ex"]
    socket.getaddrinfo = _ORIGINAL["getaddrinfo"]


def installed() -> bool:
    """Whether the guard is active in this process."""
    return socket.socket.connect is _connect


def install_if_requested() -> bool:
    """Install the guard when $SCICOLLAB_OFFLINE is set; True if it is active."""
    if os.environ.get(ENV) == "1":
        install()
    return installed()


def main(argv: list[str]) -> None:
    """Run ``jupyter-book`` with the guard installed (argv: 'jupyter-book', args...)."""
    install()
    if not argv or argv[0] != "jupyter-book":
        raise SystemExit("usage: python -m scicollab.offline jupyter-book ARGS...")
    from jupyter_book.cli.main import main as jupyter_book

    sys.argv = argv
    jupyter_book()


if __name__ == "__main__":
    main(sys.argv[1:])
