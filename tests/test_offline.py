"""Offline mode: non-loopback connections fail loudly; loopback keeps working."""

import socket

import pytest

from scicollab import offline


def test_the_test_session_runs_offline():
    assert offline.installed()


def test_non_loopback_connection_fails_loudly_without_sending(monkeypatch):
    attempts = []
    monkeypatch.setitem(offline._ORIGINAL, "connect", lambda sock, addr: attempts.append(addr))
    with socket.socket() as sock, pytest.raises(offline.NetworkBlocked, match=r"192\.0\.2\.1"):
        sock.connect(("192.0.2.1", 80))
    assert attempts == []


def test_name_lookups_of_remote_hosts_are_blocked():
    with pytest.raises(offline.NetworkBlocked, match=r"example\.org"):
        socket.getaddrinfo("example.org", 443)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with socket.create_connection(server.getsockname(), timeout=5):
        pass
    server.close()
    assert offline.is_local("::1") and offline.is_local("localhost")
    assert not offline.is_local("10.0.0.1")


def test_kernels_install_the_guard_when_asked(monkeypatch):
    offline.uninstall()
    try:
        monkeypatch.setenv(offline.ENV, "1")
        assert offline.install_if_requested()
    finally:
        offline.install()
