"""The ``serve`` command: the GraphQL API and the household viewer over HTTP, served by uvicorn."""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import secrets
import socket
from pathlib import Path
from typing import Any

import click

from familynet.cli.common import db_option, store_settings
from familynet.errors import ConfigurationError
from familynet.settings import ServiceSettings
from familynet.stores.backends import open_configured_store

#: uvicorn imports the app in each worker process, so settings travel as environment variables.
APP = "familynet.service.app:app_from_environ"


class ServerLogName(logging.Filter):
    """Names uvicorn's lines ``uvicorn``: it logs starting, stopping and every other
    message of the server on the logger ``uvicorn.error``, which reads as an error
    to whoever watches the log. Its errors keep the name.

    >>> record = logging.LogRecord("uvicorn.error", logging.INFO, "", 0, "Started", None, None)
    >>> ServerLogName().filter(record), record.name
    (True, 'uvicorn')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.error" and record.levelno < logging.ERROR:
            record.name = "uvicorn"
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with familynet's request and error lines on the same handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["default"]["fmt"] = "%(asctime)s %(levelprefix)s %(name)s: %(message)s"
    config.setdefault("filters", {})["server_name"] = {"()": f"{__name__}.{ServerLogName.__name__}"}
    config["handlers"]["default"]["filters"] = ["server_name"]
    for name in ("familynet", "strawberry"):
        config["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def check_can_listen(host: str, port: int) -> None:
    """Refuse, in one line, an address the service could not listen on (a port in use,
    an address not of this machine), before anything says it is serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As uvicorn binds: a port whose last connections are still closing is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ConfigurationError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def run_server(settings: ServiceSettings) -> None:
    """Serve until interrupted; each worker process opens its own connection to the store."""
    import uvicorn

    from familynet.service.protocol import IMPORT_STRING
    from familynet.service.workers import serve_workers

    # Opened once here, so a missing database or an unreachable server is a clean error, and
    # migrations run once, before the workers start.
    open_configured_store(settings.store, must_exist=True).close()
    check_can_listen(settings.host, settings.port)
    store = settings.store
    os.environ["FAMILYNET_STORE"] = store.neo4j_uri if store.neo4j_uri is not None else str(store.db.resolve())
    os.environ["FAMILYNET_DEV"] = "1" if settings.development else "0"
    # Each worker must open the viewer's session cookies the others made: one key for this start
    # unless one is configured (then sessions also outlive a restart).
    if not os.environ.get("FAMILYNET_SESSION_KEY", "").strip():
        os.environ["FAMILYNET_SESSION_KEY"] = secrets.token_urlsafe(32)
    # Workers share one key, so that the same search terms get the same digest in every worker.
    if not os.environ.get("FAMILYNET_ACCESS_LOG_KEY", "").strip():
        os.environ["FAMILYNET_ACCESS_LOG_KEY"] = secrets.token_urlsafe(32)
    mode = (
        "DEVELOPMENT mode: introspection, GraphiQL and error details on" if settings.development else "production mode"
    )
    base = f"http://{settings.host}:{settings.port}"
    click.echo(f"familynet GraphQL API on {base}/graphql, household viewer on {base}/ ({mode})", err=True)
    options: dict[str, Any] = {
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        "ws": "none",  # no subscriptions: no WebSocket upgrade is ever accepted
        "http": IMPORT_STRING,
        "loop": "auto",  # uvloop (a dependency) where it is installed, else asyncio's loop
        "lifespan": "on",
        # Our own request lines leave out query strings, which may hold names (GraphQL variables in a GET).
        "access_log": False,
        "server_header": False,
        "log_config": log_config(),
    }
    if settings.workers > 1:
        # Each worker on a socket of its own, so connections spread over them (service.workers).
        serve_workers(uvicorn.Config(APP, **options))
    else:
        uvicorn.run(APP, **options)


@click.command()
@db_option
@click.option("--host", help="Address to listen on [default: $FAMILYNET_HOST, else 127.0.0.1].")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on [default: $FAMILYNET_PORT, else 8000].")
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Worker processes, each with its own store connection and rate limits [default: $FAMILYNET_WORKERS, else 1].",
)
@click.option(
    "--dev",
    is_flag=True,
    default=None,
    help="Development mode: introspection, GraphiQL, field suggestions and unmasked errors [default: $FAMILYNET_DEV].",
)
def serve(db: Path | None, host: str | None, port: int | None, workers: int | None, dev: bool | None) -> None:
    """Serve the GraphQL API at /graphql (and an unauthenticated /health) and the household viewer at /.

    Every request to /graphql needs ``Authorization: Bearer TOKEN``: an API token
    from ``familynet users add`` or an OIDC token (FAMILYNET_OIDC_* settings). The
    viewer's pages take the same tokens at sign-in and keep them in an encrypted
    session cookie (FAMILYNET_SESSION_* settings; see docs/viewer.md).
    Limits, CORS origins and the other settings come from FAMILYNET_* environment
    variables (see the README); options here win over them.
    """
    settings = ServiceSettings.from_environ()
    run_server(
        dataclasses.replace(
            settings,
            store=store_settings(db),
            host=settings.host if host is None else host,
            port=settings.port if port is None else port,
            workers=settings.workers if workers is None else workers,
            development=settings.development if dev is None else dev,
        )
    )
