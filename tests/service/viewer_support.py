"""What the household viewer's tests share: a demo database, a child worth looking at, a form-filling client."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx

from familynet import analyses
from familynet.access.log import AccessEntry
from familynet.bundle.ingest import ingest_bundle
from familynet.stores.sqlite.store import open_sqlite
from familynet.synthetic import write_demo_bundle

#: The last day of the demo data's history, and the day the tests open households on.
TODAY = dt.date(2025, 6, 30)
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def demo_database(directory: Path, households: int = 150, seed: int = 5) -> Path:
    """A database loaded from a generated demo bundle."""
    write_demo_bundle(directory / "bundle", households, seed, today=TODAY)
    db = directory / "familynet.db"
    store = open_sqlite(db)
    try:
        ingest_bundle(store, directory / "bundle", today=TODAY)
    finally:
        store.close()
    return db


@dataclass(frozen=True)
class Child:
    """A referred child whose household page has siblings and flags."""

    person_id: str
    given_name: str
    family_name: str
    date_of_birth: str
    sibling_ids: tuple[str, ...]
    flag_kinds: tuple[str, ...]


def rich_child(db: Path) -> Child:
    """The referred child with the most siblings among those with a flag on :data:`TODAY`."""
    store = open_sqlite(db)
    try:
        with closing(sqlite3.connect(db)) as connection:
            ids = [r[0] for r in connection.execute("SELECT DISTINCT child_id FROM referrals ORDER BY child_id")]
        best: tuple[int, str, analyses.HouseholdContext] | None = None
        for child_id in ids[:200]:
            context = analyses.household_context(store.family_network(child_id), child_id, TODAY)
            named = all(store.person(s.person_id) is not None for s in context.siblings)
            if context.flags and named and (best is None or len(context.siblings) > best[0]):
                best = (len(context.siblings), child_id, context)
        assert best is not None and best[0] >= 2, "the demo data has no child with siblings and flags"
        person = store.person(best[1])
        assert person is not None and person.given_name and person.family_name and person.date_of_birth
        return Child(
            best[1],
            person.given_name,
            person.family_name,
            str(person.date_of_birth),
            tuple(s.person_id for s in best[2].siblings),
            tuple(f.kind for f in best[2].flags),
        )
    finally:
        store.close()


def access_log(db: Path) -> list[AccessEntry]:
    """Every entry of the access log, in order."""
    store = open_sqlite(db)
    try:
        return list(store.access_entries())
    finally:
        store.close()


def csrf_of(html: str) -> str:
    """The CSRF token of the (first) form of a page."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no form"
    return found.group(1)


class ViewerClient:
    """A browser-like HTTP client of the viewer: it keeps the cookie and fills in each form's CSRF token."""

    def __init__(self, url: str, **headers: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60, follow_redirects=False, headers=headers)
        self.csrf = ""

    def __enter__(self) -> ViewerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def get(self, path: str) -> httpx.Response:
        return self._seen(self.http.get(path))

    def post(self, path: str, **fields: str) -> httpx.Response:
        """Post a form with the CSRF token of the last page (unless ``csrf`` is given)."""
        return self._seen(self.http.post(path, data={"csrf": self.csrf, **fields}))

    def sign_in(self, token: str) -> httpx.Response:
        """Sign in with ``token`` and, when it works, open the page it leads to (whose forms then have the
        session's CSRF token); the answer to the sign-in."""
        self.get("/signin")
        response = self.post("/signin", token=token)
        if response.status_code == 303:
            self.get(response.headers["location"])
        return response

    def open_household(self, child: Child, purpose: str, on: dt.date = TODAY) -> httpx.Response:
        """Search for ``child``, pick them, give the purpose and open the household page."""
        self.get("/")
        self.post("/search", name=f"{child.given_name} {child.family_name}", date_of_birth="", purpose=purpose)
        self.post("/person", person=child.person_id, purpose=purpose)
        return self.post("/household", person=child.person_id, purpose=purpose, on=on.isoformat())

    def _seen(self, response: httpx.Response) -> httpx.Response:
        if "text/html" in response.headers.get("content-type", "") and 'name="csrf"' in response.text:
            self.csrf = csrf_of(response.text)
        return response
