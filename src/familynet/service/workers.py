"""Several service worker processes, each listening on a socket of its own.

uvicorn's workers share one listening socket, and the worker that is awake when
connections arrive accepts every one that is waiting: sixteen keep-alive clients that
connected together all landed on one worker, which then served every request while
the other sat idle (two workers on two cores served 246 household contexts a second,
as many as one). Here each worker gets a socket of its own, all bound to the same
address with ``SO_REUSEPORT``, and the kernel spreads new connections over them by a
hash of each connection's addresses. Only processes of the same user can bind
alongside (Linux).

uvicorn's supervisor still starts, watches and stops the workers; a worker it
restarts (one that died or hung) listens on every socket, so connections keep being
served, if less evenly, until the service is restarted.
"""

from __future__ import annotations

import socket

from uvicorn import Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that others of this user may bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.set_inheritable(True)
    except BaseException:
        sock.close()
        raise
    return sock


class _Workers(Multiprocess):
    """uvicorn's supervisor, starting worker ``i`` on socket ``i`` alone."""

    def init_processes(self) -> None:
        for sock in self.sockets:
            process = Process(self.config, [sock])
            process.start()
            self.processes.append(process)


def serve_workers(config: Config) -> None:
    """Serve ``config.workers`` worker processes, each on its own socket, until stopped."""
    first = listening_socket(config.host, config.port)
    # Port 0 picks a free port: the other workers bind the one the first socket got.
    port = first.getsockname()[1]
    sockets = [first]
    try:
        sockets += [listening_socket(config.host, port) for _ in range(config.workers - 1)]
        _Workers(config, sockets).run()
    finally:
        for sock in sockets:
            sock.close()
