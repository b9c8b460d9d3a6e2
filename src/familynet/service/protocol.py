"""uvicorn's HTTP/1.1 protocol on httptools, with Nagle's algorithm off on every connection.

httptools (llhttp, Node's HTTP parser, in C) parses a request in a fraction of
the CPU time of h11 (pure Python, which uvicorn still installs; familynet keeps it
at >= 0.16.0, which fixed request smuggling).

uvicorn writes a response's head and its body separately. With Nagle's algorithm
on, the body waits until the client acknowledges the head, and a client delays
that acknowledgement by up to 40 ms (Linux): every response on a kept-alive
connection took 40 ms more. asyncio turns Nagle off by itself, but only on
sockets made with the TCP protocol number, and uvicorn makes its listening
socket with protocol 0 when it runs several workers (so did the tests' server).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: For ``uvicorn.run(http=...)``: an import string, so worker processes find it.
IMPORT_STRING = "familynet.service.protocol:NoDelayHttpToolsProtocol"


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` that sets ``TCP_NODELAY`` on each TCP connection it serves."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
