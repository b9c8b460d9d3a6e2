"""The household viewer over real HTTP: sessions, CSRF, headers, purposes, roles and the access log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql_support import SpyStore
from http_server import Service, add_user, familynet_serve, running, serve
from viewer_support import TODAY, Child, ViewerClient, access_log, demo_database, rich_child

import test_oidc
from familynet.access.auth import Role
from familynet.access.log import AccessRequest
from familynet.access.oidc import OIDCSettings
from familynet.analyses.people import children, is_child, parents
from familynet.bundle.ingest import ingest_rows
from familynet.service.app import create_app
from familynet.service.headers import API_CSP, PAGE_CSP
from familynet.settings import ServiceSettings, Settings
from familynet.stores.protocol import Store
from familynet.stores.sqlite.store import open_sqlite

PURPOSE = "MASH screening of a school referral"
# The local JWKS server and signing key of the OIDC tests.
signing_key = test_oidc.signing_key
jwks_url = test_oidc.jwks_url


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Child]:
    db = demo_database(tmp_path_factory.mktemp("viewer"))
    return db, rich_child(db)


@pytest.fixture
def db(demo: tuple[Path, Child], tmp_path: Path) -> Path:
    """A copy of the demo database, so that each test reads its own access log."""
    copy = tmp_path / "familynet.db"
    source = open_sqlite(demo[0])
    try:
        source._db.execute("VACUUM INTO ?", (str(copy),))
    finally:
        source.close()
    return copy


@pytest.fixture
def child(demo: tuple[Path, Child]) -> Child:
    return demo[1]


@pytest.fixture
def service(db: Path) -> Iterator[Service]:
    yield from serve(db)


def test_pages_without_a_session_send_the_browser_to_sign_in(service: Service) -> None:
    with ViewerClient(service.url) as browser:
        for response in (browser.get("/"), browser.post("/search", name="x", purpose="y")):
            assert response.status_code == 303
            assert response.headers["location"] == "/signin"
        assert browser.get("/signin").status_code == 200
        assert browser.get("/static/viewer.css").status_code == 200
    with service.client() as api:
        assert api.get("/graphql", params={"query": "{ __typename }"}).status_code == 401
        assert api.get("/health").status_code == 200


def test_signing_in_sets_a_strict_http_only_session_cookie(service: Service) -> None:
    with ViewerClient(service.url) as browser:
        response = browser.sign_in(service.practitioner)
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("familynet_session=")
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= flags
        assert "secure" not in flags
        assert service.practitioner not in cookie, "the token is encrypted in the cookie"
        home = browser.get("/")
        assert home.status_code == 200
        assert "practitioner-1" in home.text


def test_the_cookie_is_secure_when_configured_or_behind_hsts(db: Path) -> None:
    for settings in ({"secure_cookies": True}, {"hsts_seconds": 3600}):
        app = create_app(ServiceSettings(store=Settings(db), **settings))
        with running(app) as url, ViewerClient(url) as browser:
            cookie = browser.get("/signin").headers["set-cookie"]
        assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_a_wrong_token_is_refused_with_one_message(service: Service) -> None:
    texts = set()
    for token in ("fn_not-a-token", "eyJhbGciOiJub25lIn0.e30.", service.practitioner + "x"):
        with ViewerClient(service.url) as browser:
            response = browser.sign_in(token)
            assert response.status_code == 401
            assert "set-cookie" not in response.headers or "familynet_session" in response.headers["set-cookie"]
            texts.add(response.text.split('<div class="error-summary"')[1].split("</div>")[0])
            assert browser.get("/").status_code == 303
    assert len(texts) == 1


def test_every_form_needs_the_pages_csrf_token_and_origin(service: Service, child: Child) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.get("/")
        fields = {"name": child.given_name, "purpose": PURPOSE}
        assert browser.post("/search", **fields, csrf="forged").status_code == 403
        assert browser.post("/search", **fields, csrf="").status_code == 403
        other_site = browser.http.post(
            "/search", data={"csrf": browser.csrf, **fields}, headers={"Origin": "https://evil.example"}
        )
        assert other_site.status_code == 403
        as_json = browser.http.post("/search", json={"csrf": browser.csrf, **fields})
        assert as_json.status_code == 415
        assert browser.post("/search", **fields).status_code == 200
        assert browser.post("/signout", csrf="forged").status_code == 403
    with ViewerClient(service.url) as stranger:
        # A sign-in posted from elsewhere has no session and so no token to match.
        assert stranger.post("/signin", token=service.practitioner, csrf="x").status_code == 403


def test_a_forms_origin_must_have_this_servers_scheme_host_and_port(service: Service, child: Child) -> None:
    host = service.url.removeprefix("http://")
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.get("/")
        fields = {"csrf": browser.csrf, "name": child.given_name, "purpose": PURPOSE}
        for origin in (f"https://{host}", f"ftp://{host}", f"http://{host}.evil.example", "null", f"http://{host}/x"):
            refused = browser.http.post("/search", data=fields, headers={"Origin": origin})
            assert refused.status_code == 403, origin
        assert browser.http.post("/search", data=fields, headers={"Origin": f"http://{host}"}).status_code == 200


def test_viewer_pages_have_a_self_only_policy_and_the_api_keeps_its_own(service: Service) -> None:
    with ViewerClient(service.url) as browser:
        page = browser.get("/signin")
        for name in ("x-frame-options", "x-content-type-options", "referrer-policy", "cache-control"):
            assert name in page.headers
        assert page.headers["content-security-policy"] == PAGE_CSP
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        assert "<script>" not in page.text and " style=" not in page.text, "nothing inline for the policy to allow"
        assert browser.get("/static/viewer.js").headers["content-type"].startswith("text/javascript")
    with service.client(service.practitioner) as api:
        assert api.post("/graphql", json={"query": "{ __typename }"}).headers["content-security-policy"] == API_CSP


def test_the_household_page_is_logged_with_its_purpose_before_it_is_shown(
    service: Service, db: Path, child: Child
) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        page = browser.open_household(child, PURPOSE)
    assert page.status_code == 200
    assert f"Household of {child.given_name} {child.family_name}" in page.text
    assert page.text.count('<tr class="sibling">') == len(child.sibling_ids)
    assert page.text.count('<tr class="flag">') == len(child.flag_kinds)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text
    entries = [e.request for e in access_log(db)]
    assert entries[0].operation.startswith("viewerSearch terms:hmac-sha256:"), "the terms are logged as a keyed hash"
    assert [(_operation(e), e.purpose, e.allowed) for e in entries] == [
        ("viewerSearch", PURPOSE, True),
        ("viewerPerson", PURPOSE, True),
        ("viewerHousehold", PURPOSE, True),
    ]
    household = entries[-1]
    assert household.user == "practitioner-1" and household.person_ids[0] == child.person_id
    assert set(child.sibling_ids) <= set(household.person_ids)
    assert child.person_id in entries[0].person_ids


def _operation(request: AccessRequest) -> str:
    """The operation an entry logs, without the keyed hash of a search's terms."""
    return request.operation.split(" terms:")[0]


def test_the_genogram_downloads_as_an_svg_file_and_is_logged(service: Service, db: Path, child: Child) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.open_household(child, PURPOSE)
        response = browser.post("/genogram.svg", person=child.person_id, purpose=PURPOSE, on=TODAY.isoformat())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["content-disposition"] == f'attachment; filename="genogram-{child.person_id}.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "OFFICIAL-SENSITIVE" in response.text
    last = access_log(db)[-1].request
    assert (last.operation, last.purpose) == ("viewerGenogram", PURPOSE)
    assert child.person_id in last.person_ids


def test_no_purpose_no_page_and_the_refusal_is_logged(service: Service, db: Path, child: Child) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.get("/")
        for purpose in ("", "   ", "x" * 501):
            response = browser.post("/household", person=child.person_id, purpose=purpose, on="")
            assert response.status_code == 400
            assert child.family_name not in response.text
            assert "Say why you are opening this record" in response.text
        search = browser.post("/search", name=child.family_name, date_of_birth="", purpose="")
        assert search.status_code == 400
        assert child.given_name not in search.text.split("</form>")[-1]
        picked = browser.post("/person", person=child.person_id, purpose=" ")
        assert picked.status_code == 400
        assert "a purpose is required" in picked.text and child.given_name not in picked.text
    entries = [e.request for e in access_log(db)]
    assert [(_operation(e), e.allowed) for e in entries] == [("viewerHousehold", False)] * 3 + [
        ("viewerSearch", False),
        ("viewerPerson", False),
    ]
    assert entries[0].person_ids == (child.person_id,)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_roles_that_read_no_person_are_refused_clearly(service: Service, db: Path, child: Child, role: Role) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.tokens[role])
        home = browser.get("/")
        assert home.status_code == 403
        assert f"The {role.value} role may not look up persons or households" in home.text
        household = browser.post("/household", person=child.person_id, purpose=PURPOSE, on="")
        assert household.status_code == 403
        assert "The household viewer is for practitioners" in household.text
        assert child.family_name not in household.text
        search = browser.post("/search", name=child.family_name, date_of_birth="", purpose=PURPOSE)
        assert search.status_code == 403
        assert child.person_id not in search.text
    entries = [e.request for e in access_log(db)]
    assert [(_operation(e), e.role, e.allowed) for e in entries] == [
        ("viewerHousehold", role.value, False),
        ("viewerSearch", role.value, False),
    ], "each refused read is logged, as on /graphql"
    assert entries[0].person_ids == (child.person_id,)


def test_a_page_fails_and_shows_nothing_when_the_access_log_cannot_be_written(db: Path, child: Child) -> None:
    token = add_user(db, "practitioner-1", Role.PRACTITIONER)

    def broken() -> Store:
        return cast(Store, SpyStore(open_sqlite(db), fail=frozenset({"append_access"})))

    app = create_app(ServiceSettings(store=Settings(db)), open_store=broken)
    with running(app) as url, ViewerClient(url) as browser:
        browser.sign_in(token)
        browser.get("/")
        search = browser.post("/search", name=child.family_name, date_of_birth="", purpose=PURPOSE)
        page = browser.post("/household", person=child.person_id, purpose=PURPOSE, on="")
    for response in (search, page):
        assert response.status_code == 503
        assert "The access log cannot be written" in response.text
        assert child.family_name not in response.text


def test_unexpected_errors_are_masked_and_logged_without_their_message(
    db: Path, child: Child, caplog: pytest.LogCaptureFixture
) -> None:
    token = add_user(db, "practitioner-1", Role.PRACTITIONER)

    def broken() -> Store:
        return cast(Store, SpyStore(open_sqlite(db), fail=frozenset({"family_network"})))

    app = create_app(ServiceSettings(store=Settings(db)), open_store=broken)
    with caplog.at_level(logging.INFO), running(app) as url, ViewerClient(url) as browser:
        browser.sign_in(token)
        browser.get("/")
        page = browser.post("/household", person=child.person_id, purpose=PURPOSE, on="")
    assert page.status_code == 500
    assert "Unexpected error; quote the correlation id" in page.text
    assert page.headers["x-correlation-id"] in page.text
    assert "SELECT" not in page.text and "Siobhán" not in page.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unexpected RuntimeError" in logged
    assert "family_network failed" not in logged, "the stack, never the message"


def test_searches_and_purposes_stay_out_of_urls_and_the_request_log(
    service: Service, child: Child, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        results = browser.post("/search", name=child.family_name, date_of_birth=child.date_of_birth, purpose=PURPOSE)
        browser.open_household(child, PURPOSE)
    assert child.person_id in results.text
    assert 'method="get"' not in results.text.lower()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /search 200" in logged
    for secret in (child.family_name, child.date_of_birth, PURPOSE, service.practitioner):
        assert secret not in logged


def test_signing_out_ends_the_session_in_the_browser(service: Service) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        browser.get("/")
        response = browser.post("/signout")
        assert response.status_code == 303 and response.headers["location"] == "/signin"
        assert "max-age=0" in response.headers["set-cookie"].lower()
        assert response.headers["clear-site-data"] == '"cache", "cookies", "storage"'
        assert browser.get("/").status_code == 303


def test_a_revoked_token_ends_its_session_at_once(service: Service, db: Path) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        assert browser.get("/").status_code == 200
        store = open_sqlite(db)
        try:
            store.revoke_user("practitioner-1", dt.datetime.now(dt.UTC))
        finally:
            store.close()
        assert browser.get("/").status_code == 303


def test_an_oidc_access_token_signs_in_the_same_way(
    db: Path, signing_key: rsa.RSAPrivateKey, jwks_url: str, child: Child
) -> None:
    oidc = OIDCSettings(issuer=test_oidc.ISSUER, audience=test_oidc.AUDIENCE, jwks_url=jwks_url)
    token = test_oidc._token(signing_key, roles=["practitioner"], sub="oidc-user-7")
    expired = test_oidc._token(signing_key, roles=["practitioner"], exp=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    for service in serve(db, oidc=oidc):
        with ViewerClient(service.url) as browser:
            assert browser.sign_in(expired).status_code == 401
            assert browser.sign_in(token).status_code == 303
            assert "oidc-user-7" in browser.get("/").text
            page = browser.open_household(child, PURPOSE)
    assert page.status_code == 200
    last = access_log(db)[-1].request
    assert (last.user, last.operation, last.agency_id) == ("oidc-user-7", "viewerHousehold", "A1")


def test_every_worker_of_familynet_serve_opens_every_session(db: Path) -> None:
    token = add_user(db, "pat", Role.PRACTITIONER)
    env = {key: value for key, value in os.environ.items() if key != "FAMILYNET_SESSION_KEY"}
    with familynet_serve(db, 2, env) as served:
        with ViewerClient(served.url) as browser:
            browser.sign_in(token)
            cookies = browser.http.cookies
        # A new connection for each page, so that either worker may answer it.
        statuses = []
        for _ in range(20):
            with httpx.Client(base_url=served.url, cookies=cookies, timeout=30) as fresh:
                statuses.append(fresh.get("/").status_code)
    assert served.output.count("Application startup complete") == 2
    assert statuses == [200] * 20


def test_what_a_page_echoes_is_escaped(service: Service) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        page = browser.post("/search", name='<script>alert("x")</script>', date_of_birth="", purpose="<b>why</b>")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>why</b>" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_an_adult_is_shown_as_an_adult_with_their_children_to_open(service: Service, db: Path, child: Child) -> None:
    store = open_sqlite(db)
    try:
        graph = store.family_network(child.person_id)
        parent = sorted(parents(graph, child.person_id, TODAY))[0]
        kids = sorted(c for c in children(graph, parent, TODAY) if is_child(graph, c, TODAY))
    finally:
        store.close()
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        page = browser.post("/household", person=parent, purpose=PURPOSE, on=TODAY.isoformat())
        assert page.status_code == 200
        assert "is an adult</h1>" in page.text
        assert "Siblings" not in page.text
        assert [f'name="person" value="{k}"' in page.text for k in kids] == [True] * len(kids)
        assert child.person_id in kids
    assert access_log(db)[-1].request.person_ids == tuple(sorted({parent, *kids}))


def test_search_says_why_each_person_matched_and_no_one_found_in_words(service: Service, child: Child) -> None:
    with ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        found = browser.post(
            "/search", name=f"{child.given_name} {child.family_name}", date_of_birth="", purpose=PURPOSE
        )
        rows = found.text.split("<tbody>")[1].split("</tr>")
        assert child.person_id in rows[0]
        assert "exact name" in rows[0]
        assert "family name is" in found.text or "given name is" in found.text
        none = browser.post("/search", name="Qwxzvy", date_of_birth="", purpose=PURPOSE)
        assert "No one found" in none.text


def test_the_household_page_shows_what_was_previously_recorded(db: Path, child: Child) -> None:
    store = open_sqlite(db)
    try:
        person = store.person(child.person_id)
        assert person is not None
        values = {f.name: getattr(person, f.name) for f in dataclasses.fields(person)}
        row = {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in values.items()}
        ingest_rows(store, "a correcting bundle", {"persons": [{**row, "family_name": "Renamed"}]}, today=TODAY)
    finally:
        store.close()
    with contextmanager(serve)(db) as service, ViewerClient(service.url) as browser:
        browser.sign_in(service.practitioner)
        page = browser.open_household(dataclasses.replace(child, family_name="Renamed"), PURPOSE)
    assert page.status_code == 200
    shown = page.text[page.text.index('id="previously-heading"') :]
    assert shown.count('<tr class="previous">') == 1
    assert f"family_name {child.family_name}" in shown and "a correcting bundle" in shown
