"""Every string a client sends is text a fact may hold (:mod:`familynet.model.text`).

GraphQL strings reach the service two ways, and both are checked before anything
runs: as variables (JSON in a POST body, or in a GET's query string), checked by the
HTTP layer with :func:`variables_problem`; and as literals in the document, whose
escapes (``"Ann\\u0000Secret"``) graphql-core decodes, checked by the validation rule
:class:`PlainStrings`. Either way the request is refused with the code point and
where it was found, never the string.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

from familynet.model.text import forbidden_character


def variables_problem(value: object, path: str = "variables") -> str | None:
    """What is wrong with the first string in ``value`` (variables, any depth) that holds a refused
    character, or None.

    >>> variables_problem({"input": {"givenName": "Ann\\x00Secret"}})
    'variables.input.givenName: a control character (U+0000)'
    >>> variables_problem({"ids": ["P1", "P\\ud8002"]})
    'variables.ids[1]: not valid UTF-8 (a lone surrogate or a byte that is not UTF-8)'
    >>> variables_problem({"name": "Zoë\\tNguyễn"}) is None
    True
    """
    if isinstance(value, str):
        found = forbidden_character(value)
        return None if found is None else f"{path}: {found[1]}"
    if isinstance(value, dict):
        for key, item in value.items():
            problem = variables_problem(key, path) or variables_problem(item, f"{path}.{key}")
            if problem is not None:
                return problem
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = variables_problem(item, f"{path}[{index}]")
            if problem is not None:
                return problem
    return None


class PlainStrings(ValidationRule):
    """Refuse a string literal holding a control character (but tab) or a lone surrogate."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        found = forbidden_character(node.value)
        if found is not None:
            self.report_error(GraphQLError(f"a string holds {found[1]}", node))
