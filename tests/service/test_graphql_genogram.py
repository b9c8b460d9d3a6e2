"""The ``genogram`` field: the CLI's parameters and documents over GraphQL, logged before returned."""

from __future__ import annotations

import base64
import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

import click
import pytest
from graphql_support import AUDITOR, DEVELOPMENT, PRACTITIONER, SpyStore, data, execute, load_family, log, messages
from strawberry import UNSET
from strawberry.types.base import StrawberryObjectDefinition

from bundles import FAMILY, changed
from familynet.bundle.ingest import ingest_rows
from familynet.cli.genogram import genogram_command
from familynet.genogram import OverlayOptions, genogram
from familynet.genogram.document import Format, network_hops, write
from familynet.service.identity_view import Identities
from familynet.stores.protocol import Store

DAY = dt.date(2024, 3, 10)
QUERY = """query ($format: GenogramFormat, $redact: Boolean, $up: Int, $perpetrators: Boolean) {
  genogram(personId: "P2", on: "2024-03-10", purpose: "child protection conference", format: $format,
           redact: $redact, generationsUp: $up, perpetrators: $perpetrators) {
    format mediaType base64 content personIds
  }
}"""


def drawn(store: Store, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = data(execute(store, PRACTITIONER, QUERY, variables))["genogram"]
    return result


def test_the_svg_names_everyone_drawn_and_they_are_logged_with_the_purpose(store: Store) -> None:
    load_family(store)
    found = drawn(store)
    assert (found["format"], found["mediaType"], found["base64"]) == ("SVG", "image/svg+xml", False)
    page = ET.fromstring(found["content"].encode())
    shown = {g.get("data-person-id") for g in page.iter("{http://www.w3.org/2000/svg}g") if g.get("data-person-id")}
    assert shown == set(found["personIds"]) == {"P1", "P2", "P3", "P4"}
    [entry] = log(store)
    assert (entry.request.operation, entry.request.purpose, entry.request.allowed) == (
        "genogram",
        "child protection conference",
        True,
    )
    assert sorted(entry.request.person_ids) == ["P1", "P2", "P3", "P4"]


@pytest.mark.parametrize("fmt", [f for f in Format if not f.binary])
def test_each_text_format_is_the_document_the_cli_writes(store: Store, fmt: Format) -> None:
    load_family(store)
    found = drawn(store, {"format": fmt.name, "redact": True, "up": 1, "perpetrators": False})
    graph = store.family_network("P2", network_hops(1, 1))
    expected = genogram(graph, "P2", DAY, generations_up=1, redact=True, overlays=OverlayOptions(perpetrators=False))
    assert found["content"] == write(expected, fmt)
    assert found["mediaType"] == fmt.media_type


def test_the_json_document_parses_and_redaction_keeps_only_years(store: Store) -> None:
    load_family(store)
    document = json.loads(drawn(store, {"format": "JSON", "redact": True})["content"])
    assert document["marking"] == "OFFICIAL-SENSITIVE"
    people = {p["person_id"]: p for p in document["genogram"]["people"]}
    assert people["P2"]["born"] == "2015"
    assert all(h["address"] is None for h in document["genogram"]["households"])


@pytest.mark.parametrize(("fmt", "magic"), [("PDF", b"%PDF-"), ("PNG", b"\x89PNG\r\n\x1a\n")])
def test_pdf_and_png_come_base64_encoded(store: Store, fmt: str, magic: bytes) -> None:
    load_family(store)
    found = drawn(store, {"format": fmt})
    assert found["base64"] is True
    assert base64.b64decode(found["content"], validate=True).startswith(magic)


def test_the_arguments_have_the_cli_options_defaults() -> None:
    query = DEVELOPMENT.get_type_by_name("Query")
    assert isinstance(query, StrawberryObjectDefinition)
    arguments = {a.python_name: _default(a.default) for a in query.get_field("genogram").arguments}  # type: ignore[union-attr]
    context = click.Context(genogram_command)
    options = {p.name: _default(p.get_default(context)) for p in genogram_command.params if isinstance(p, click.Option)}
    options["format"] = options.pop("fmt")
    # What only a terminal has: a file to write and a store to open.
    for terminal in ("output", "db", "store"):
        del options[terminal]
    assert set(arguments) - {"person_id"} == set(options)
    for name, default in options.items():
        expected = (
            Format(str(default)) if name == "format" else Identities(default) if name == "identities" else default
        )
        assert arguments[name] == expected, name


def _default(value: object) -> object:
    """None for no default (a required option, or a date that defaults to today), as either library says it."""
    return None if value is UNSET or value is None or type(value).__name__ == "Sentinel" else value


def test_auditors_and_admins_get_an_authorization_error_and_no_document(store: Store) -> None:
    load_family(store)
    result = execute(store, AUDITOR, QUERY)
    assert result.data is None
    assert messages(result) == ["the auditor role may not read person"]
    assert [(e.request.operation, e.request.person_ids, e.request.allowed) for e in log(store)] == [
        ("genogram", ("P2",), False)
    ]


def test_a_practitioner_must_give_a_purpose(store: Store) -> None:
    load_family(store)
    result = execute(store, PRACTITIONER, '{ genogram(personId: "P2", purpose: " ") { content } }')
    assert result.data is None
    assert messages(result) == ["a purpose is required for every read of a person: say why in at least 3 letters"]
    assert [e.request.allowed for e in log(store)] == [False]


def test_generations_out_of_range_are_refused_before_the_store_is_read(store: Store) -> None:
    load_family(store)
    spy = SpyStore(store)
    result = execute(spy, PRACTITIONER, QUERY, {"up": 9})
    assert messages(result) == ["generations_up must be between 0 and 4"]
    assert "family_network" not in spy.calls


def test_the_read_is_logged_before_the_document_is_written(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document that fails to render after the read leaves the read in the log, never the reverse."""
    load_family(store)

    def failing(*_: object) -> str:
        assert [e.request.operation for e in log(store)] == ["genogram"], "written before it was logged"
        raise RuntimeError("render failed")

    monkeypatch.setattr("familynet.service.genograms.write", failing)
    assert execute(store, PRACTITIONER, QUERY).errors
    assert len(log(store)) == 1


def test_an_unknown_child_is_an_error(store: Store) -> None:
    load_family(store)
    result = execute(store, PRACTITIONER, '{ genogram(personId: "P404", purpose: "test") { content } }')
    assert result.data is None
    assert messages(result) == ["no person with id 'P404'"]


def test_redacted_the_confidential_mother_is_left_out_of_the_document_and_the_log(store: Store) -> None:
    ingest_rows(store, "family", changed(FAMILY, "persons", 0, confidential="true"), today=dt.date(2025, 1, 1))
    shown = drawn(store, {"format": "JSON"})
    assert "P1" in shown["personIds"]
    assert "marked confidential" in drawn(store)["content"]
    hidden = drawn(store, {"format": "JSON", "redact": True})
    assert hidden["personIds"] == ["P2", "P3", "P4"]
    assert "P1" not in hidden["content"] and "Zoë" not in hidden["content"]
    assert [sorted(e.request.person_ids) for e in log(store)][-1] == ["P2", "P3", "P4"]


def test_a_redacted_genogram_of_a_confidential_child_is_an_error(store: Store) -> None:
    ingest_rows(store, "family", changed(FAMILY, "persons", 1, confidential="true"), today=dt.date(2025, 1, 1))
    result = execute(store, PRACTITIONER, QUERY, {"redact": True})
    assert result.data is None
    assert messages(result)[0].startswith("the child is marked confidential")
    assert [e.request.allowed for e in log(store)] == [], "nothing was read, so nothing is logged"
