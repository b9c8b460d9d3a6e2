"""Settings, each from a command-line option or an environment variable.

====================== ============================== ==========================================
setting                environment                    default
====================== ============================== ==========================================
database file          ``FAMILYNET_DB``               ``familynet.db`` in the working directory
store                  ``FAMILYNET_STORE``            the database file; a ``neo4j://`` or
                                                      ``bolt://`` URI names a Neo4j store
Neo4j user             ``FAMILYNET_NEO4J_USER``       ``neo4j``
Neo4j password         ``FAMILYNET_NEO4J_PASSWORD``   none (no authentication); never an option,
                                                      so it stays out of shell history and ``ps``
Neo4j rows per commit  ``FAMILYNET_NEO4J_COMMIT_ROWS`` ``10000``: a larger load commits in
                                                      batches of this many rows, still all or
                                                      nothing (:mod:`familynet.stores.neo4j.load`)
development mode       ``FAMILYNET_DEV``              off (``1``/``true``/``yes`` turn it on)
listen address         ``FAMILYNET_HOST``             ``127.0.0.1``
listen port            ``FAMILYNET_PORT``             ``8000``
worker processes       ``FAMILYNET_WORKERS``          ``1``
CORS origins           ``FAMILYNET_CORS_ORIGINS``     none (comma-separated origins)
OIDC issuer            ``FAMILYNET_OIDC_ISSUER``      none (OIDC off unless issuer, audience
                                                      and JWKS URL are all set)
OIDC audience          ``FAMILYNET_OIDC_AUDIENCE``    none
OIDC JWKS URL          ``FAMILYNET_OIDC_JWKS_URL``    none
OIDC role claim        ``FAMILYNET_OIDC_ROLE_CLAIM``  ``roles``
rate limit             ``FAMILYNET_RATE_LIMIT``       ``10`` requests/s per user, per worker
rate limit burst       ``FAMILYNET_RATE_BURST``       ``50`` requests
request body limit     ``FAMILYNET_MAX_BODY_BYTES``   ``262144`` bytes
HSTS max-age           ``FAMILYNET_HSTS_SECONDS``     ``0`` (no ``Strict-Transport-Security``)
viewer session key     ``FAMILYNET_SESSION_KEY``      none: ``serve`` makes one per start, shared
                                                      by its workers (32 characters or more)
viewer idle timeout    ``FAMILYNET_SESSION_MINUTES``  ``30`` minutes
Secure cookie          ``FAMILYNET_SECURE_COOKIES``   off (on by itself over https or with HSTS)
purpose letters        ``FAMILYNET_PURPOSE_MIN_LETTERS`` ``3``: fewest letters a read's purpose holds
audit time limit       ``FAMILYNET_AUDIT_TIMEOUT_SECONDS`` ``600``: an audit still running is stopped
audits at once         ``FAMILYNET_AUDIT_CONCURRENCY`` ``2`` per worker; one more is refused
audit all's processes  ``FAMILYNET_AUDIT_WORKERS``     ``2`` (``audit all --workers``; 1: in process)
checkpoint file        ``FAMILYNET_CHECKPOINT_PATH``  none: no scheduled checkpoints (needs the key)
checkpoint interval    ``FAMILYNET_CHECKPOINT_MINUTES`` ``60``
access log key         ``FAMILYNET_ACCESS_LOG_KEY``   none: ``serve`` makes one per start (32 characters
                                                      or more; keys search digests and checkpoints)
export key             ``FAMILYNET_EXPORT_KEY``       none: no export that hashes ids (``research``);
                                                      32 characters or more
identity link band     ``FAMILYNET_IDENTITY_LINK_THRESHOLD`` ``0.99``: as ``identity link --link-threshold``;
                                                      the bands ``serve`` re-clusters decisions with
identity review band   ``FAMILYNET_IDENTITY_REVIEW_THRESHOLD`` ``0.5``
====================== ============================== ==========================================

A command-line option wins over the environment, which wins over the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from familynet.access.logkey import key_bytes
from familynet.access.oidc import OIDCSettings
from familynet.access.purpose import MIN_PURPOSE_LETTERS
from familynet.errors import ConfigurationError

DEFAULT_DB = Path("familynet.db")
#: Seconds an audit may run (familynet.service.long_reads).
DEFAULT_AUDIT_TIMEOUT_SECONDS = 600.0
#: Audits one worker runs at once.
DEFAULT_AUDIT_CONCURRENCY = 2
#: The shortest secret accepted for the viewer's session cookies.
MIN_SESSION_KEY_LENGTH = 32


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


#: URI schemes of a Neo4j store.
NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


def is_neo4j_uri(store: str) -> bool:
    """Whether a store setting names a Neo4j server rather than a SQLite file.

    >>> is_neo4j_uri("neo4j://db.example:7687"), is_neo4j_uri("familynet.db")
    (True, False)
    """
    return store.startswith(NEO4J_SCHEMES)


def _commit_rows(raw: str) -> int | None:
    if not raw.strip():
        return None
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ConfigurationError("FAMILYNET_NEO4J_COMMIT_ROWS must be a whole number of rows, 1 or more")
    return int(raw)


def purpose_min_letters(environ: Mapping[str, str] | None = None) -> int:
    """The fewest letters a read's purpose holds: ``FAMILYNET_PURPOSE_MIN_LETTERS``, else 3.

    >>> purpose_min_letters({}), purpose_min_letters({"FAMILYNET_PURPOSE_MIN_LETTERS": "5"})
    (3, 5)
    """
    env = os.environ if environ is None else environ
    raw = env.get("FAMILYNET_PURPOSE_MIN_LETTERS", "").strip()
    if not raw:
        return MIN_PURPOSE_LETTERS
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError("FAMILYNET_PURPOSE_MIN_LETTERS must be a whole number, 1 or more")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one command."""

    db: Path
    #: The Neo4j store's URI, or None for the SQLite database ``db``.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    #: Rows a Neo4j load commits at a time; None: the store's default.
    neo4j_commit_rows: int | None = None

    @classmethod
    def resolve(
        cls, db: Path | None = None, environ: Mapping[str, str] | None = None, *, store: str | None = None
    ) -> Settings:
        """Resolve settings from explicit values (``--store`` before ``--db``), then the
        environment (``FAMILYNET_STORE`` before ``FAMILYNET_DB``), then the default.

        >>> Settings.resolve(environ={"FAMILYNET_DB": "/tmp/x.db"}).db
        PosixPath('/tmp/x.db')
        >>> Settings.resolve(Path("a.db"), environ={"FAMILYNET_DB": "/tmp/x.db"}).db
        PosixPath('a.db')
        >>> Settings.resolve(environ={"FAMILYNET_STORE": "bolt://localhost:7687"}).neo4j_uri
        'bolt://localhost:7687'
        >>> Settings.resolve(Path("a.db"), environ={"FAMILYNET_STORE": "bolt://localhost:7687"}).neo4j_uri is None
        True
        >>> Settings.resolve(environ={"FAMILYNET_STORE": "bolt://h:7687", "FAMILYNET_NEO4J_COMMIT_ROWS": "0"})
        Traceback (most recent call last):
        ...
        familynet.errors.ConfigurationError: FAMILYNET_NEO4J_COMMIT_ROWS must be a whole number of rows, 1 or more
        """
        env = os.environ if environ is None else environ
        if store is None and db is None:
            store = env.get("FAMILYNET_STORE") or None
        user = env.get("FAMILYNET_NEO4J_USER") or "neo4j"
        password = env.get("FAMILYNET_NEO4J_PASSWORD") or None
        if store is not None and is_neo4j_uri(store):
            return cls(DEFAULT_DB, store, user, password, _commit_rows(env.get("FAMILYNET_NEO4J_COMMIT_ROWS", "")))
        if store is not None:
            db = Path(store.removeprefix("sqlite:"))
        if db is None:
            db = Path(env["FAMILYNET_DB"]) if env.get("FAMILYNET_DB") else DEFAULT_DB
        return cls(db=db)


@dataclass(frozen=True)
class ServiceSettings:
    """Resolved settings of the GraphQL service (``familynet serve``)."""

    #: The store to serve: the SQLite file, or a Neo4j server.
    store: Settings = field(default_factory=lambda: Settings(DEFAULT_DB))
    development: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    cors_origins: tuple[str, ...] = ()
    oidc: OIDCSettings | None = None
    #: Sustained requests per second per user, in each worker process (the buckets are not shared).
    rate_limit: float = 10.0
    rate_burst: int = 50
    max_body_bytes: int = 262_144
    hsts_seconds: int = 0
    #: The secret that encrypts the viewer's session cookies; None: a random one for this app only.
    session_key: str | None = field(default=None, repr=False)
    #: Minutes a viewer session lasts without a page being opened.
    session_minutes: int = 30
    #: Whether the viewer's cookies are ``Secure`` even on plain HTTP (TLS ends in front of familynet).
    secure_cookies: bool = False
    #: Fewest letters (any alphabet) in the purpose of a read of a person or referral.
    purpose_min_letters: int = MIN_PURPOSE_LETTERS
    #: Seconds an audit may run before it is stopped (familynet.service.long_reads).
    audit_timeout_seconds: float = DEFAULT_AUDIT_TIMEOUT_SECONDS
    #: Audits one worker process runs at once; one more is refused.
    audit_concurrency: int = DEFAULT_AUDIT_CONCURRENCY
    #: Where the service appends signed checkpoints of the access log; None: it writes none.
    checkpoint_path: Path | None = None
    #: Minutes between scheduled checkpoints.
    checkpoint_minutes: float = 60.0
    #: The access log's key (:mod:`familynet.access.logkey`); None: a random one for this process only.
    access_log_key: str | None = field(default=None, repr=False)
    #: The identity bands a decision re-clusters with (docs/identity.md), as the command line's.
    identity_link_threshold: float = 0.99
    identity_review_threshold: float = 0.5

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Settings from ``FAMILYNET_*`` environment variables, defaults for the rest.

        >>> s = ServiceSettings.from_environ({"FAMILYNET_DEV": "1", "FAMILYNET_CORS_ORIGINS": "https://a, https://b"})
        >>> s.development, s.cors_origins, s.oidc
        (True, ('https://a', 'https://b'), None)
        >>> ServiceSettings.from_environ({"FAMILYNET_PORT": "eighty"})
        Traceback (most recent call last):
        ...
        familynet.errors.ConfigurationError: FAMILYNET_PORT must be a number
        """
        env = os.environ if environ is None else environ

        def number(name: str, default: float, kind: type[int] | type[float] = int) -> float:
            raw = env.get(name, "").strip()
            try:
                value = kind(raw) if raw else default
            except ValueError:
                raise ConfigurationError(f"{name} must be a number") from None
            if value < 0:
                raise ConfigurationError(f"{name} must not be negative")
            return value

        issuer, audience, jwks_url = (
            env.get(f"FAMILYNET_OIDC_{k}", "").strip() for k in ("ISSUER", "AUDIENCE", "JWKS_URL")
        )
        session_key = env.get("FAMILYNET_SESSION_KEY", "").strip() or None
        if session_key is not None and len(session_key) < MIN_SESSION_KEY_LENGTH:
            raise ConfigurationError(f"FAMILYNET_SESSION_KEY must be at least {MIN_SESSION_KEY_LENGTH} characters")
        audit_seconds = max(0.1, number("FAMILYNET_AUDIT_TIMEOUT_SECONDS", DEFAULT_AUDIT_TIMEOUT_SECONDS, float))
        access_log_key = env.get("FAMILYNET_ACCESS_LOG_KEY", "").strip() or None
        if access_log_key is not None:
            key_bytes(access_log_key)
        checkpoint_text = env.get("FAMILYNET_CHECKPOINT_PATH", "").strip()
        checkpoint_path = Path(checkpoint_text) if checkpoint_text else None
        if checkpoint_path is not None and access_log_key is None:
            # A key made up per start would sign checkpoints nobody could check later.
            raise ConfigurationError("FAMILYNET_CHECKPOINT_PATH needs FAMILYNET_ACCESS_LOG_KEY")
        oidc = None
        if issuer and audience and jwks_url:
            role_claim = env.get("FAMILYNET_OIDC_ROLE_CLAIM", "").strip() or "roles"
            oidc = OIDCSettings(issuer, audience, jwks_url, role_claim=role_claim)
        elif issuer or audience or jwks_url:
            raise ConfigurationError(
                "set all of FAMILYNET_OIDC_ISSUER, FAMILYNET_OIDC_AUDIENCE and FAMILYNET_OIDC_JWKS_URL"
            )
        return cls(
            store=Settings.resolve(environ=env),
            development=_flag(env.get("FAMILYNET_DEV", "")),
            host=env.get("FAMILYNET_HOST", "").strip() or "127.0.0.1",
            port=int(number("FAMILYNET_PORT", 8000)),
            workers=max(1, int(number("FAMILYNET_WORKERS", 1))),
            cors_origins=tuple(o.strip() for o in env.get("FAMILYNET_CORS_ORIGINS", "").split(",") if o.strip()),
            oidc=oidc,
            rate_limit=number("FAMILYNET_RATE_LIMIT", 10.0, float),
            rate_burst=max(1, int(number("FAMILYNET_RATE_BURST", 50))),
            max_body_bytes=int(number("FAMILYNET_MAX_BODY_BYTES", 262_144)),
            hsts_seconds=int(number("FAMILYNET_HSTS_SECONDS", 0)),
            session_key=session_key,
            session_minutes=max(1, int(number("FAMILYNET_SESSION_MINUTES", 30))),
            secure_cookies=_flag(env.get("FAMILYNET_SECURE_COOKIES", "")),
            purpose_min_letters=purpose_min_letters(env),
            access_log_key=access_log_key,
            audit_timeout_seconds=audit_seconds,
            checkpoint_path=checkpoint_path,
            checkpoint_minutes=max(0.01, number("FAMILYNET_CHECKPOINT_MINUTES", 60.0, float)),
            audit_concurrency=max(1, int(number("FAMILYNET_AUDIT_CONCURRENCY", DEFAULT_AUDIT_CONCURRENCY))),
            identity_link_threshold=number("FAMILYNET_IDENTITY_LINK_THRESHOLD", 0.99, float),
            identity_review_threshold=number("FAMILYNET_IDENTITY_REVIEW_THRESHOLD", 0.5, float),
        )


def export_key(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The key of the keyed hash that replaces ids in an export (``familynet export research``):
    the same key gives the same ids, so extracts made with it join up.

    >>> export_key({}) is None
    True
    >>> export_key({"FAMILYNET_EXPORT_KEY": "short"})
    Traceback (most recent call last):
    ...
    familynet.errors.ConfigurationError: FAMILYNET_EXPORT_KEY must be 32 characters or more
    """
    env = os.environ if environ is None else environ
    key = env.get("FAMILYNET_EXPORT_KEY", "")
    if not key:
        return None
    if len(key) < MIN_SESSION_KEY_LENGTH:
        raise ConfigurationError(f"FAMILYNET_EXPORT_KEY must be {MIN_SESSION_KEY_LENGTH} characters or more")
    return key.encode()
