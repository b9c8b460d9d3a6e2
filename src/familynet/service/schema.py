"""The GraphQL schema of familynet, and its SDL as exported to ``schema/familynet.graphql``.

>>> "householdContext(" in sdl()
True
"""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from familynet.service.extensions import extensions
from familynet.service.mutations import Mutation
from familynet.service.pagination import MAX_PAGE_SIZE
from familynet.service.queries import Query


def build_schema(*, production: bool) -> strawberry.Schema:
    """The schema. ``production`` masks errors and turns off introspection and field suggestions."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions(production=production),
        config=StrawberryConfig(disable_field_suggestions=production, relay_max_results=MAX_PAGE_SIZE),
    )


def sdl() -> str:
    """The schema in GraphQL SDL, as written to ``schema/familynet.graphql``."""
    return build_schema(production=False).as_str() + "\n"
