"""familynet benchmark: ``householdContext`` over HTTP with concurrent clients, against the same lookup in process.

(Not ``bench/http.py``: run as a script, that name would hide the standard library's ``http`` package.)

Usage::

    .venv/bin/python bench/http_load.py [--households 200000] [--clients 16] [--seconds 30] [--workers 2]

It needs the database and bundle that ``bench/run.py`` writes (``bench/out/``).
Steps:

1. adds a practitioner API user (the bench's token) to the database;
2. in process: runs the production schema on the household context of sampled
   referred children, one after another, as the service would (a fresh request
   context, the access log written before the data is returned);
3. over HTTP: starts ``familynet serve --workers N`` (production mode, rate limit
   off), warms it up, then ``--clients`` connections each send the same query for
   a child after child, keep-alive, for ``--seconds``; then one client alone, for
   the latency without queueing.

The load generator is a small HTTP/1.1 client on asyncio streams in this process
(httpx would spend more CPU than the server on this 2-core machine). It shares the
machine's cores with the server: the numbers are for client and server together.
Results go to ``bench/results-http.json`` and a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from familynet.access.auth import Principal, Role, new_token, token_hash
from familynet.service.context import RequestContext
from familynet.service.schema import build_schema
from familynet.stores.sqlite.store import open_sqlite

HERE = Path(__file__).parent
QUERY = """query ($child: ID!) {
  householdContext(childId: $child, purpose: "benchmark") {
    childId on
    child { givenName familyName }
    households { householdId recorded members { personId role agencyId recorded person { personId } } }
    parents { personId subtypes parentalResponsibility livesWithChild person { familyName } }
    siblings { personId basis relation coResident sharedParents person { givenName } }
    significantAdults { personId reason viaId agencyId role }
    agencies { agencyId kind agency { name } }
    timeline { on event recordId personId kind outcome categories agencyId }
    flags { kind childId personId }
  }
}"""


#: The cheapest operation: what the HTTP layer alone costs, beside the same in process.
TRIVIAL = "{ __typename }"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``, in milliseconds rounded to 0.01."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000, 2)


def referred_children(bundle: Path, count: int, seed: int) -> list[str]:
    with (bundle / "referrals.csv").open(newline="", encoding="utf-8") as rows:
        children = sorted({row["child_id"] for row in csv.DictReader(rows)})
    return random.Random(seed).sample(children, min(count, len(children)))


def in_process(db: Path, children: list[str], query: str = QUERY) -> list[float]:
    """Seconds per operation (by default a household context) run through the production schema,
    as the service runs it."""
    schema = build_schema(production=True)
    store = open_sqlite(db)
    principal = Principal("bench-in-process", Role.PRACTITIONER, None, "token")
    loop = asyncio.new_event_loop()
    times = []
    try:
        for i, child in enumerate(children):
            started = time.perf_counter()
            context = RequestContext.create(store, principal, f"bench-{i}")
            result = loop.run_until_complete(
                schema.execute(query, variable_values={"child": child}, context_value=context)
            )
            times.append(time.perf_counter() - started)
            assert result.errors is None, result.errors
    finally:
        loop.close()
        store.close()
    return times


class Connection:
    """One keep-alive HTTP/1.1 connection that posts GraphQL requests."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.head = (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: application/graphql-response+json\r\n"
        ).encode()

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, child: str, query: str = QUERY) -> float:
        body = json.dumps({"query": query, "variables": {"child": child}}).encode()
        started = time.perf_counter()
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")
        )
        payload = await self.reader.readexactly(length)
        elapsed = time.perf_counter() - started
        if status != 200 or b'"errors"' in payload:
            raise RuntimeError(f"status {status}: {payload[:300]!r}")
        return elapsed

    def close(self) -> None:
        self.writer.close()


async def load(
    port: int, token: str, children: list[str], clients: int, seconds: float, query: str = QUERY
) -> tuple[list[float], float]:
    """Latencies of ``clients`` connections posting ``query`` for ``seconds``, and the wall time."""
    connections = [Connection(port, token) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(number: int, connection: Connection) -> None:
        i = number
        while time.perf_counter() < deadline:
            latencies.append(await connection.post(children[i % len(children)], query))
            i += clients

    started = time.perf_counter()
    await asyncio.gather(*(client(n, c) for n, c in enumerate(connections)))
    wall = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return latencies, wall


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) used so far by process ``pid`` and its living descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            # After the command: state, ppid, ... utime and stime are fields 14 and 15 of stat.
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, tree = 0.0, {pid}
    for process in sorted(stats):  # children have higher pids than their parents here
        parent, cpu = stats[process]
        if process in tree or parent in tree:
            tree.add(process)
            total += cpu
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def add_practitioner(db: Path) -> str:
    """A new practitioner API user of the bench in ``db``; its token."""
    token = new_token()
    store = open_sqlite(db)
    try:
        now = dt.datetime.now(dt.UTC)
        store.add_user(f"bench-{now:%Y%m%dT%H%M%S%f}", Role.PRACTITIONER, None, token_hash(token), now)
    finally:
        store.close()
    return token


def serve(db: Path, workers: int, port: int) -> subprocess.Popen[str]:
    familynet = str(Path(sys.executable).with_name("familynet"))
    env = {**os.environ, "FAMILYNET_RATE_LIMIT": "0", "FAMILYNET_DEV": "0"}
    command = [familynet, "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("familynet serve did not start") from None
            time.sleep(0.2)


def summary(latencies: list[float], wall: float | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
    }
    if wall is not None:
        result["requests_per_s"] = round(len(latencies) / wall)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--children", type=int, default=2000, help="Referred children sampled for the lookups.")
    options = parser.parse_args()
    db = options.out / f"familynet-{options.households}.db"
    bundle = options.out / f"bundle-{options.households}-{options.seed}"
    children = referred_children(bundle, options.children, options.seed)

    token = add_practitioner(db)

    in_process(db, children[:100])  # warm the page cache
    local_cpu = time.process_time()
    local = in_process(db, children[:500])
    local_cpu = time.process_time() - local_cpu
    local_trivial = in_process(db, children[:500], TRIVIAL)

    port = free_port()
    server = serve(db, options.workers, port)
    try:
        asyncio.run(load(port, token, children, options.clients, 5.0))  # warm up every worker
        server_cpu, client_cpu = tree_cpu_seconds(server.pid), time.process_time()
        concurrent, wall = asyncio.run(load(port, token, children, options.clients, options.seconds))
        server_cpu = tree_cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        alone, _ = asyncio.run(load(port, token, children[:500], 1, 10.0))
        trivial, _ = asyncio.run(load(port, token, children[:500], 1, 5.0, TRIVIAL))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)

    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "households": options.households,
        "workers": options.workers,
        "clients": options.clients,
        # Other work on the machine skews every number: say how busy it was.
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "in_process": summary(local),
        "http_concurrent": summary(concurrent, wall),
        "http_one_client": summary(alone),
        "trivial_in_process": summary(local_trivial),
        "trivial_http_one_client": summary(trivial),
    }
    results["in_process"]["cpu_ms_per_request"] = round(local_cpu * 1000 / len(local), 2)
    p50 = results["in_process"]["p50_ms"]
    # The machine is shared: CPU time per request is the steadier guide, and what bounds the rate.
    results["http_concurrent"]["server_cpu_ms_per_request"] = round(server_cpu * 1000 / len(concurrent), 2)
    results["http_concurrent"]["client_cpu_ms_per_request"] = round(client_cpu * 1000 / len(concurrent), 2)
    results["ratio_p50_concurrent"] = round(results["http_concurrent"]["p50_ms"] / p50, 1)
    results["ratio_p50_one_client"] = round(results["http_one_client"]["p50_ms"] / p50, 1)
    (HERE / "results-http.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    c, one, ip = results["http_concurrent"], results["http_one_client"], results["in_process"]
    print(
        f"householdContext, {options.households:,} households, {results['machine']}, {options.workers} workers, "
        f"load average {results['load_average_1min_at_end']}\n"
    )
    print("| run | requests/s | p50 ms | p99 ms | p50 / in-process p50 |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| in process, one after another | | {ip['p50_ms']} | {ip['p99_ms']} | 1 |")
    print(
        f"| HTTP, {options.clients} concurrent clients | {c['requests_per_s']} | {c['p50_ms']} | {c['p99_ms']} "
        f"| {results['ratio_p50_concurrent']} |"
    )
    print(f"| HTTP, one client | | {one['p50_ms']} | {one['p99_ms']} | {results['ratio_p50_one_client']} |")
    print(
        f"\nCPU per request: in process {ip['cpu_ms_per_request']} ms; under {options.clients} clients, "
        f"server {c['server_cpu_ms_per_request']} ms, "
        f"load generator {c['client_cpu_ms_per_request']} ms."
    )
    t_local, t_http = results["trivial_in_process"], results["trivial_http_one_client"]
    print(
        f"\n`{TRIVIAL}`, one client: p50 {t_http['p50_ms']} ms over HTTP, {t_local['p50_ms']} ms in process: "
        f"the HTTP layer costs {round(t_http['p50_ms'] - t_local['p50_ms'], 2)} ms a request."
    )


if __name__ == "__main__":
    main()
