"""A local Neo4j 5 Community server from Maven Central, for the tests and for users without Docker.

``neo4j/pom.xml`` resolves ``org.neo4j:neo4j`` (5.26, the last line that runs on Java 17)
and ``neo4j/src/main/java/.../Launcher.java`` starts its kernel with a Bolt listener on
127.0.0.1 through the embedded ``DatabaseManagementServiceBuilder``. :func:`build` asks
Maven for the classpath once (the first run downloads about 150 MB into ``~/.m2``) and
compiles the launcher with ``javac``; both are cached under ``neo4j/target/`` and rebuilt
only when ``pom.xml`` or the launcher's source changes. :func:`start` runs it and waits
until Bolt accepts connections; :meth:`Neo4jServer.stop` shuts it down cleanly. The server
also stops by itself when its standard input closes, so it never outlives its parent.

Run one by hand (Ctrl-C stops it)::

    python -m familynet.stores.neo4j.launcher --port 7687 --home neo4j-data

The password, if any, comes from ``FAMILYNET_NEO4J_PASSWORD`` (at least 8 characters),
never from the command line; without it authentication is off.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from familynet.errors import ConfigurationError
from familynet.resources import resource_dir

#: The environment variable holding the password the launcher gives the ``neo4j`` user.
PASSWORD_VARIABLE = "FAMILYNET_NEO4J_PASSWORD"  # noqa: S105 - a variable name, not a secret
_MAIN_CLASS = "org.familynet.neo4j.Launcher"
_SOURCE = Path("src/main/java/org/familynet/neo4j/Launcher.java")
_READY = "familynet-neo4j ready "


def available() -> bool:
    """Whether this machine has the Java and Maven the launcher needs."""
    return shutil.which("java") is not None and shutil.which("mvn") is not None


def _stale(output: Path, *inputs: Path) -> bool:
    return not output.exists() or any(source.stat().st_mtime > output.stat().st_mtime for source in inputs)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    # Several test sessions may build at once; one builds, the others wait and reuse it.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(command: list[str], cwd: Path) -> None:
    # Fixed programs (mvn, javac) with arguments of our own making, and no shell.
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-20:]
        raise ConfigurationError(f"{command[0]} failed building the Neo4j launcher:\n" + "\n".join(tail))


def build(project: Path | None = None) -> str:
    """Resolve the Neo4j artifacts and compile the launcher, once; return the Java classpath."""
    if not available():
        raise ConfigurationError("the Neo4j launcher needs java and mvn on the PATH")
    project = project if project is not None else resource_dir("neo4j")
    target = project / "target"
    pom, source = project / "pom.xml", project / _SOURCE
    classpath_file = target / "classpath.txt"
    compiled = target / "classes" / _SOURCE.relative_to("src/main/java").with_suffix(".class")
    with _locked(target / "build.lock"):
        # Also when a jar is gone from the local Maven repository (a cleaned ~/.m2).
        if _stale(classpath_file, pom) or not all(map(os.path.exists, _entries(classpath_file))):
            _run(["mvn", "-q", "-B", "dependency:build-classpath", f"-Dmdep.outputFile={classpath_file}"], project)
        dependencies = classpath_file.read_text(encoding="utf-8").strip()
        if _stale(compiled, source, classpath_file):
            _run(["javac", "--release", "17", "-d", str(target / "classes"), "-cp", dependencies, str(source)], project)
    return f"{target / 'classes'}{os.pathsep}{dependencies}"


def _entries(classpath_file: Path) -> list[str]:
    if not classpath_file.exists():
        return []
    return classpath_file.read_text(encoding="utf-8").strip().split(os.pathsep)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Neo4jServer:
    """A running launcher process and the Bolt URI it serves."""

    uri: str
    process: subprocess.Popen[str]
    home: Path

    def stop(self, timeout: float = 60) -> None:
        """Shut the database down cleanly (closing its input), killing it after ``timeout``."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _settings(home: Path, pagecache: str) -> None:
    lines = [
        f"server.memory.pagecache.size={pagecache}",
        # No telemetry from tests or demos, and no version check over the network.
        "dbms.usage_report.enabled=false",
    ]
    (home / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _await_ready(process: subprocess.Popen[str], deadline: float) -> None:
    assert process.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if line.startswith(_READY):
                return
            if not line and process.poll() is not None:
                break
    process.kill()
    process.wait()
    raise ConfigurationError("the Neo4j launcher did not start; see launcher.log in its home directory")


def _await_bolt(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise ConfigurationError(f"nothing accepts Bolt connections on port {port}")


def start(
    home: Path,
    *,
    port: int | None = None,
    password: str | None = None,
    heap: str = "2g",
    pagecache: str = "512m",
    timeout: float = 180,
) -> Neo4jServer:
    """Start a server with its data under ``home`` and wait until Bolt accepts connections."""
    classpath = build()
    home.mkdir(parents=True, exist_ok=True)
    _settings(home, pagecache)
    port = port if port is not None else free_port()
    env = {key: value for key, value in os.environ.items() if key != PASSWORD_VARIABLE}
    if password:
        env[PASSWORD_VARIABLE] = password
    command = ["java", f"-Xmx{heap}", "-cp", classpath, _MAIN_CLASS, str(port), str(home)]
    with (home / "launcher.log").open("a", encoding="utf-8") as log:
        process = subprocess.Popen(  # noqa: S603 - java with arguments of our own making, no shell
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env, text=True
        )
    deadline = time.monotonic() + timeout
    _await_ready(process, deadline)
    _await_bolt(port, deadline)
    return Neo4jServer(f"bolt://127.0.0.1:{port}", process, home)


@click.command()
@click.option("--port", type=int, default=7687, show_default=True, help="Bolt port on 127.0.0.1.")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("neo4j-data"),
    show_default=True,
    help="Directory of the databases, transaction logs and logs.",
)
@click.option("--heap", default="2g", show_default=True, help="Maximum Java heap.")
@click.option("--pagecache", default="512m", show_default=True, help="Neo4j page cache size.")
def main(port: int, home: Path, heap: str, pagecache: str) -> None:
    """Run a local Neo4j 5 Community server until interrupted (Ctrl-C or SIGTERM).

    Authentication is on with the password in FAMILYNET_NEO4J_PASSWORD when it is set,
    off otherwise.
    """
    began = time.monotonic()
    server = start(home, port=port, password=os.environ.get(PASSWORD_VARIABLE), heap=heap, pagecache=pagecache)
    click.echo(f"Neo4j listening on {server.uri} (started in {time.monotonic() - began:.1f} s); Ctrl-C stops it")
    stop = threading.Event()
    # Both signals, and SIGINT even where a shell started us in the background with it ignored.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    while not stop.is_set() and server.process.poll() is None:
        stop.wait(0.5)
    server.stop()


if __name__ == "__main__":
    main()
