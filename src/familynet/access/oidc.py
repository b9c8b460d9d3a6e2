"""OIDC bearer tokens, as issued by Microsoft Entra ID or any OpenID Connect provider.

The signature is checked against the provider's JWKS (fetched from its URL and
cached), then the issuer, the audience, the expiry and the not-before time. A
role claim (``roles`` by default, as Entra ID issues app roles) maps to familynet
roles through a configured table; a token with no mapped role is refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import jwt

from familynet.access.auth import AuthenticationError, Principal, Role

#: Asymmetric algorithms only: a shared-secret algorithm would let anyone holding
#: the public key forge tokens.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")

#: Seconds between fetches of the provider's keys for a key id not among them. A
#: provider rotating keys is seen within this time; tokens with made-up key ids
#: cannot make familynet fetch the keys on every request.
REFRESH_SECONDS = 60.0


@dataclass(frozen=True)
class OIDCSettings:
    """Where tokens come from and how their claims map to familynet roles."""

    issuer: str
    audience: str
    jwks_url: str
    role_claim: str = "roles"
    agency_claim: str = "agency"
    user_claim: str = "sub"
    role_map: Mapping[str, Role] = field(default_factory=lambda: {role.value: role for role in Role})
    leeway_seconds: int = 30


class OIDCVerifier:
    """Verifies bearer JWTs against one provider."""

    def __init__(self, settings: OIDCSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._keys = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=300)
        self._clock = clock
        self._refreshed: float | None = None

    def _signing_key(self, token: str) -> jwt.PyJWK:
        kid = jwt.get_unverified_header(token).get("kid")
        for refresh in (False, True):
            if refresh:
                now = self._clock()
                if self._refreshed is not None and now - self._refreshed < REFRESH_SECONDS:
                    break
                self._refreshed = now
            for key in self._keys.get_signing_keys(refresh=refresh):
                if key.key_id == kid:
                    return key
        raise jwt.PyJWKClientError("no signing key with that key id")

    def principal(self, token: str) -> Principal:
        """The caller a valid token names; :class:`AuthenticationError` for any other token."""
        s = self.settings
        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=list(ALGORITHMS),
                audience=s.audience,
                issuer=s.issuer,
                leeway=s.leeway_seconds,
                options={"require": ["exp", "iss", "aud", s.user_claim]},
            )
        except (jwt.PyJWTError, ValueError) as error:
            # The reason names the failed check, never a claim's value.
            raise AuthenticationError(f"invalid bearer token ({type(error).__name__})") from None
        granted = claims.get(s.role_claim, [])
        values = [granted] if isinstance(granted, str) else list(granted)
        roles = [s.role_map[v] for v in values if isinstance(v, str) and v in s.role_map]
        if not roles:
            raise AuthenticationError("the bearer token grants no familynet role")
        # With several roles, the least powerful wins: a person acts in one role at a time.
        order = [Role.PRACTITIONER, Role.AUDITOR, Role.RECORDS, Role.ADMIN]
        role = min(roles, key=order.index)
        agency = claims.get(s.agency_claim)
        return Principal(
            user=str(claims[s.user_claim]),
            role=role,
            agency_id=str(agency) if agency is not None else None,
            method="oidc",
        )
