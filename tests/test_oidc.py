"""OIDC bearer tokens, verified against a JWKS served over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from familynet.access.auth import AuthenticationError, Role
from familynet.access.oidc import OIDCSettings, OIDCVerifier

ISSUER = "https://login.example.test/tenant/v2.0"
AUDIENCE = "api://familynet"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


#: Requests the JWKS server has answered.
FETCHES: list[str] = []


@pytest.fixture(scope="module")
def jwks_url(signing_key: rsa.RSAPrivateKey) -> Iterator[str]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class JWKS(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            FETCHES.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), JWKS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/keys"
    server.shutdown()
    server.server_close()


@pytest.fixture
def verifier(jwks_url: str) -> OIDCVerifier:
    return OIDCVerifier(
        OIDCSettings(
            issuer=ISSUER,
            audience=AUDIENCE,
            jwks_url=jwks_url,
            role_map={
                "Familynet.Practitioner": Role.PRACTITIONER,
                "Familynet.Auditor": Role.AUDITOR,
                "Familynet.Records": Role.RECORDS,
                "Familynet.Admin": Role.ADMIN,
            },
        )
    )


def _token(key: rsa.RSAPrivateKey, kid: str = "k1", **overrides: Any) -> str:
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-123",
        "exp": now + dt.timedelta(minutes=5),
        "nbf": now - dt.timedelta(minutes=1),
        "roles": ["Familynet.Practitioner"],
        "agency": "A1",
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_a_valid_token_names_its_user_role_and_agency(verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey) -> None:
    principal = verifier.principal(_token(signing_key))
    assert (principal.user, principal.role, principal.agency_id, principal.method) == (
        "user-123",
        Role.PRACTITIONER,
        "A1",
        "oidc",
    )


def test_with_several_roles_the_least_powerful_is_used(verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey) -> None:
    token = _token(signing_key, roles=["Familynet.Auditor", "Familynet.Practitioner"])
    assert verifier.principal(token).role is Role.PRACTITIONER
    # The records role decides identities: more than an auditor reads, less than an admin does.
    token = _token(signing_key, roles=["Familynet.Admin", "Familynet.Records"])
    assert verifier.principal(token).role is Role.RECORDS
    token = _token(signing_key, roles=["Familynet.Records", "Familynet.Auditor"])
    assert verifier.principal(token).role is Role.AUDITOR


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)},
        {"aud": "api://someone-else"},
        {"iss": "https://evil.example.test/"},
        {"nbf": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)},
        {"roles": ["Other.Role"]},
        {"roles": None},
        {"exp": None},
    ],
)
def test_invalid_claims_are_refused(
    verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey, overrides: dict[str, Any]
) -> None:
    with pytest.raises(AuthenticationError):
        verifier.principal(_token(signing_key, **overrides))


def test_a_token_signed_by_another_key_is_refused(verifier: OIDCVerifier) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(AuthenticationError):
        verifier.principal(_token(stranger))


def test_an_unsigned_token_is_refused(verifier: OIDCVerifier) -> None:
    unsigned = jwt.encode({"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "roles": ["Familynet.Auditor"]},
                          key="", algorithm="none", headers={"kid": "k1"})  # fmt: skip
    with pytest.raises(AuthenticationError):
        verifier.principal(unsigned)


def test_error_messages_carry_no_claim_values(verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(AuthenticationError) as raised:
        verifier.principal(_token(signing_key, aud="api://secret-audience"))
    assert "secret" not in str(raised.value)


def test_unknown_key_ids_refetch_the_keys_at_most_once_a_minute(jwks_url: str, signing_key: rsa.RSAPrivateKey) -> None:
    now = [1000.0]
    verifier = OIDCVerifier(OIDCSettings(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks_url), clock=lambda: now[0])
    assert verifier.principal(_token(signing_key, roles=["practitioner"])).role == Role.PRACTITIONER
    before = len(FETCHES)
    for _ in range(5):
        with pytest.raises(AuthenticationError, match="invalid bearer token"):
            verifier.principal(_token(signing_key, kid="made-up", roles=["practitioner"]))
    assert len(FETCHES) == before + 1
    now[0] += 61
    with pytest.raises(AuthenticationError):
        verifier.principal(_token(signing_key, kid="made-up", roles=["practitioner"]))
    assert len(FETCHES) == before + 2
    assert verifier.principal(_token(signing_key, roles=["practitioner"])).role == Role.PRACTITIONER
    assert len(FETCHES) == before + 2


def _claims() -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": int((now + dt.timedelta(minutes=5)).timestamp()),
            "roles": ["Familynet.Auditor"]}  # fmt: skip


def _forged(header: dict[str, Any], secret: bytes) -> str:
    """A token whose header the attacker chose, signed with HMAC-SHA256 under ``secret`` (by hand:
    PyJWT itself refuses to use a public key as an HMAC secret)."""
    segments = [jwt.utils.base64url_encode(json.dumps(part).encode()) for part in (header, _claims())]
    signing_input = b".".join(segments)
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + jwt.utils.base64url_encode(signature)).decode()


def test_key_confusion_an_hmac_token_keyed_with_the_public_key_is_refused(
    verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(AuthenticationError):
        verifier.principal(_forged({"alg": "HS256", "typ": "JWT", "kid": "k1"}, public_pem))


def test_a_token_carrying_its_own_key_in_an_embedded_jwk_is_refused(verifier: OIDCVerifier) -> None:
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    embedded = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(attacker.public_key()))
    token = jwt.encode(_claims(), attacker, algorithm="RS256", headers={"kid": "k1", "jwk": embedded})
    with pytest.raises(AuthenticationError):
        verifier.principal(token)


def test_a_token_with_an_unknown_critical_header_is_refused(
    verifier: OIDCVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(
        _claims(), signing_key, algorithm="RS256", headers={"kid": "k1", "crit": ["exp-ext"], "exp-ext": 1}
    )
    with pytest.raises(AuthenticationError):
        verifier.principal(token)
    # The same claims and key without the critical header: accepted, so the refusal above is the header's.
    plain = jwt.encode(_claims(), signing_key, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.principal(plain).role is Role.AUDITOR
