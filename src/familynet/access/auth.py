"""Who is asking, and what their role lets them do.

Service accounts authenticate with API tokens: a token is shown once, when it is
made, and only its SHA-256 is stored (tokens carry 256 random bits, so a fast
hash is as safe here as a slow one). People authenticate with OIDC bearer tokens
(:mod:`familynet.access.oidc`). Either way the request runs as a :class:`Principal`.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from familynet.errors import FamilynetError

TOKEN_PREFIX = "fn_"  # noqa: S105 - a prefix, not a secret


class Role(enum.StrEnum):
    """What a user is for."""

    PRACTITIONER = "practitioner"
    AUDITOR = "auditor"
    RECORDS = "records"
    """Keeps the records: decides which of them are one person (identity resolution)."""
    ADMIN = "admin"


class Right(enum.StrEnum):
    """What a request may do."""

    READ_PERSON = "read_person"
    RUN_AUDIT = "run_audit"
    READ_AUDITED_RECORD = "read_audited_record"
    WRITE_FACTS = "write_facts"
    MANAGE_USERS = "manage_users"
    READ_ACCESS_LOG = "read_access_log"
    READ_CANDIDATES = "read_candidates"
    READ_CONFIDENTIAL_CANDIDATES = "read_confidential_candidates"
    """Read candidate pairs naming a record marked confidential: the pair could disclose where a person lives."""
    DECIDE_IDENTITY = "decide_identity"


#: Each role's rights. Practitioners look up persons and households (with a purpose) and see
#: possible duplicates (candidate pairs) but do not decide them; auditors run audits and read
#: the records they cite (not candidate pairs: no audit cites them); the records role looks up
#: persons and decides which records are one person; admins run the service and may decide too.
#: Only those who decide read the pairs naming a record marked confidential.
RIGHTS: dict[Role, frozenset[Right]] = {
    Role.PRACTITIONER: frozenset({Right.READ_PERSON, Right.WRITE_FACTS, Right.READ_CANDIDATES}),
    Role.AUDITOR: frozenset({Right.RUN_AUDIT, Right.READ_AUDITED_RECORD}),
    Role.RECORDS: frozenset(
        {Right.READ_PERSON, Right.READ_CANDIDATES, Right.READ_CONFIDENTIAL_CANDIDATES, Right.DECIDE_IDENTITY}
    ),
    Role.ADMIN: frozenset(
        {
            Right.MANAGE_USERS,
            Right.READ_ACCESS_LOG,
            Right.WRITE_FACTS,
            Right.READ_CANDIDATES,
            Right.READ_CONFIDENTIAL_CANDIDATES,
            Right.DECIDE_IDENTITY,
        }
    ),
}


class AuthenticationError(FamilynetError):
    """No valid credentials were presented."""


class AuthorizationError(FamilynetError):
    """The caller's role does not allow this."""


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    user: str
    role: Role
    agency_id: str | None
    method: str  # "token" or "oidc"

    def can(self, right: Right) -> bool:
        """Whether this caller's role has ``right``.

        >>> Principal("a", Role.AUDITOR, None, "token").can(Right.READ_PERSON)
        False
        """
        return right in RIGHTS[self.role]

    def require(self, right: Right) -> None:
        """Raise :class:`AuthorizationError` unless this caller has ``right``."""
        if not self.can(right):
            raise AuthorizationError(f"the {self.role.value} role may not {right.value.replace('_', ' ')}")


def new_token() -> str:
    """A new API token: the prefix and 256 random bits, URL-safe.

    >>> new_token().startswith(TOKEN_PREFIX)
    True
    """
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(token_hash(token), stored_hash)
