"""The genogram as a GraphQL field, for practitioners: ``familynet genogram`` over the API.

The field takes the command's parameters with its defaults and ranges
(:mod:`familynet.genogram.selection`, :mod:`familynet.genogram.document`), reads the
same family network, and logs everyone the genogram names, with the purpose, before
it returns the document. PDF and PNG come base64-encoded, so that every format is a
string a JSON response can carry.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated

import strawberry

from familynet.access.auth import Right
from familynet.analyses.allegations import FLAG_MONTHS
from familynet.analyses.people import ADULT, INFANT
from familynet.genogram import OverlayOptions, genogram
from familynet.genogram.document import Format, network_hops, write
from familynet.genogram.selection import (
    GENERATIONS_DOWN,
    GENERATIONS_UP,
    MAX_GENERATIONS_DOWN,
    MAX_GENERATIONS_UP,
)
from familynet.model.dates import checked_day
from familynet.service.audits import AdultAge, InfantAge
from familynet.service.context import Access, Info
from familynet.service.fields import field
from familynet.service.identity_view import DEFAULT, IdentitiesArgument

# The domain's enum is the GraphQL enum (strawberry only marks the class), so the two cannot differ.
strawberry.enum(Format, name="GenogramFormat", description="The formats of a genogram.")

GenerationsUp = Annotated[
    int, strawberry.argument(description=f"Generations above the child, 0 to {MAX_GENERATIONS_UP}.")
]
GenerationsDown = Annotated[
    int, strawberry.argument(description=f"Generations below the child, 0 to {MAX_GENERATIONS_DOWN}.")
]
FlagMonths = Annotated[
    int,
    strawberry.argument(description="Calendar months back from the date whose contacts and referrals raise findings."),
]
DocumentFormat = Annotated[Format, strawberry.argument(description="The format; PDF and PNG come base64-encoded.")]
Redact = Annotated[
    bool,
    strawberry.argument(
        description="Leave out addresses, every date but its year, and the people marked confidential."
    ),
]


def _overlay(what: str) -> object:
    return strawberry.argument(description=f"Overlay {what}.")


@strawberry.type(description="A child's genogram written in one format (docs/genogram.md).")
class Genogram:
    format: Format
    media_type: str = strawberry.field(description="The IANA media type of the document.")
    base64: bool = strawberry.field(description="True when content is base64 (PDF and PNG), false when it is text.")
    content: str = strawberry.field(
        description="The document: SVG, DOT, GEDCOM or JSON text, or a PDF or PNG file base64-encoded."
    )
    person_ids: list[strawberry.ID] = strawberry.field(
        description="Everyone the genogram names (drawn, or the person of a finding), as the access log records."
    )


@strawberry.type
class GenogramQueries:
    """The genogram field of the root query type."""

    @field("A child's genogram on a date, as `familynet genogram` draws it; everyone it names is logged first.")
    async def genogram(
        self,
        info: Info,
        person_id: strawberry.ID,
        purpose: Annotated[
            str, strawberry.argument(description="Why you read this child's family; required of practitioners.")
        ],
        on: Annotated[dt.date | None, strawberry.argument(description="The date [default: today].")] = None,
        generations_up: GenerationsUp = GENERATIONS_UP,
        generations_down: GenerationsDown = GENERATIONS_DOWN,
        format: DocumentFormat = Format.SVG,
        redact: Redact = False,
        perpetrators: Annotated[bool, _overlay("people named as alleged perpetrators")] = True,
        domestic_abuse: Annotated[bool, _overlay("domestic abuse concerns between partners")] = True,
        agencies: Annotated[bool, _overlay("the agencies involved with the child")] = True,
        findings: Annotated[bool, _overlay("the findings about the record")] = True,
        flag_months: FlagMonths = FLAG_MONTHS,
        adult_age: AdultAge = ADULT,
        infant_age: InfantAge = INFANT,
        identities: IdentitiesArgument = DEFAULT,
    ) -> Genogram:
        access = Access("genogram", Right.READ_PERSON, purpose.strip())
        await info.context.authorize(access, [person_id])
        checked_day(on)
        hops = network_hops(generations_up, generations_down)
        subject, graph = await info.context.family_network(access, person_id, hops, identities=identities.by_identity)
        drawn = genogram(
            graph,
            subject,
            on,
            generations_up=generations_up,
            generations_down=generations_down,
            overlays=OverlayOptions(perpetrators, domestic_abuse, agencies, findings),
            redact=redact,
            flag_months=flag_months,
            adult_age=adult_age,
            infant_age=infant_age,
        )
        named = drawn.person_ids()
        await info.context.record(access, sorted({person_id, *named}))
        document = write(drawn, format)
        text = base64.b64encode(document).decode("ascii") if isinstance(document, bytes) else document
        return Genogram(
            format=format,
            media_type=format.media_type,
            base64=isinstance(document, bytes),
            content=text,
            person_ids=[strawberry.ID(p) for p in sorted(named)],
        )
