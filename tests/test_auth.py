"""API tokens and role rights."""

from __future__ import annotations

import pytest

from familynet.access.auth import (
    RIGHTS,
    AuthorizationError,
    Principal,
    Right,
    Role,
    new_token,
    token_hash,
    token_matches,
)


def test_tokens_are_unique_and_only_their_hash_matches() -> None:
    first, second = new_token(), new_token()
    assert first != second
    assert len(first) > 40
    assert token_matches(first, token_hash(first))
    assert not token_matches(second, token_hash(first))
    assert first not in token_hash(first)


@pytest.mark.parametrize(
    ("role", "right", "allowed"),
    [
        (Role.PRACTITIONER, Right.READ_PERSON, True),
        (Role.PRACTITIONER, Right.RUN_AUDIT, False),
        (Role.PRACTITIONER, Right.READ_ACCESS_LOG, False),
        (Role.AUDITOR, Right.RUN_AUDIT, True),
        (Role.AUDITOR, Right.READ_PERSON, False),
        (Role.AUDITOR, Right.MANAGE_USERS, False),
        (Role.ADMIN, Right.READ_ACCESS_LOG, True),
        (Role.ADMIN, Right.READ_PERSON, False),
    ],
)
def test_each_role_has_exactly_its_rights(role: Role, right: Right, allowed: bool) -> None:
    principal = Principal("someone", role, "A1", "token")
    assert principal.can(right) is allowed
    if allowed:
        principal.require(right)
    else:
        with pytest.raises(AuthorizationError, match=role.value):
            principal.require(right)


def test_every_role_has_rights() -> None:
    assert set(RIGHTS) == set(Role)
    assert all(RIGHTS.values())
