"""The service workers' listening sockets: one per worker on the same port, connections spread over them."""

from __future__ import annotations

import socket
from contextlib import ExitStack

import pytest

from familynet.service.workers import listening_socket


def _accepted(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_workers_sockets_share_one_port_and_connections_spread_over_them() -> None:
    with ExitStack() as stack:
        first = stack.enter_context(listening_socket("127.0.0.1", 0))
        port = first.getsockname()[1]
        second = stack.enter_context(listening_socket("127.0.0.1", port))
        for server in (first, second):
            server.listen(64)
            server.setblocking(False)
        # As sixteen keep-alive clients connecting together: uvicorn's one shared socket let
        # one worker accept them all. The kernel hashes each connection to one of the sockets.
        clients = [stack.enter_context(socket.create_connection(("127.0.0.1", port))) for _ in range(32)]
        counts = [_accepted(server) for server in (first, second)]
        assert sum(counts) == len(clients)
        assert min(counts) > 0


def test_a_port_taken_by_another_socket_without_reuse_is_refused() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(OSError, match="in use"):
            listening_socket("127.0.0.1", taken.getsockname()[1])
