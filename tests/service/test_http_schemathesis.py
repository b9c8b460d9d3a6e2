"""A bounded schemathesis run over real HTTP, against the production and the development schema:
every generated query and mutation of every root field, with a fixed seed, gets no 5xx, no
masked unexpected error and a correlation id. (The issue's run of about 50,000 cases found 0 server errors; this keeps a few
hundred in the suite so that a regression is caught where it is made.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from http_server import Service, serve
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from test_http_schema import family_db

from familynet.resources import resource_dir
from familynet.service.view import MASKED_MESSAGE

#: Examples per root field: about 25 fields, so some 300 cases per schema.
EXAMPLES = int(os.environ.get("FAMILYNET_SCHEMATHESIS_EXAMPLES", "12"))
SEED = 20261205
SCHEMA = schemathesis.graphql.from_path(str(resource_dir("schema") / "familynet.graphql"))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]


@pytest.fixture(scope="module", params=[False, True], ids=["production", "development"])
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    db = family_db(tmp_path_factory.mktemp("schemathesis"))
    yield from serve(db, development=request.param, rate_limit=0.0)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_generated_request_gets_a_server_error_and_every_response_a_correlation_id(
    service: Service, operation: schemathesis.APIOperation[Any, Any, Any, Any]
) -> None:
    url = f"{service.url}/graphql"
    statuses: list[int] = []

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), role=st.sampled_from(["practitioner", "auditor", "admin"]))
    def run(case: schemathesis.Case[Any], role: str) -> None:
        token = {"practitioner": service.practitioner, "auditor": service.auditor, "admin": service.admin}[role]
        response = case.call(base_url=url, headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)
        assert response.status_code < 500, (response.status_code, case.body)
        assert response.headers.get("x-correlation-id"), case.body
        # An unexpected exception is a server error too, though GraphQL answers it with 200 (masked in production).
        assert MASKED_MESSAGE not in response.text, case.body

    run()
    assert statuses, "no case ran"


def test_every_root_field_is_exercised() -> None:
    labels = {op.label for op in OPERATIONS}
    assert {"Query.person", "Query.searchPersons", "Mutation.recordPerson"} <= labels, labels
