"""Check a GraphQL response against the schema and the document that asked for it."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    parse,
)

_SCALARS: dict[str, tuple[type, ...]] = {
    "Int": (int,),
    "Float": (int, float),
    "String": (str,),
    "ID": (str,),
    "Boolean": (bool,),
    "Date": (str,),
    "DateTime": (str,),
}


def response_problems(schema: GraphQLSchema, document: str, body: Any) -> list[str]:
    """Where ``body`` breaks the GraphQL response format or the types the document selected."""
    if not isinstance(body, dict) or not set(body) <= {"data", "errors", "extensions"}:
        return [f"not a GraphQL response: {body!r:.200}"]
    problems = []
    for error in body.get("errors") or []:
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            problems.append(f"malformed error {error!r:.200}")
    if "data" not in body and not body.get("errors"):
        problems.append("neither data nor errors")
    data = body.get("data")
    if data is None:
        return problems
    ast = parse(document)
    fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
    [operation] = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    root = schema.get_root_type(operation.operation)
    assert root is not None
    _object(schema, fragments, root, operation.selection_set, data, "data", problems)
    return problems


def _fields(
    schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], selection_set: SelectionSetNode
) -> list[tuple[FieldNode, str | None]]:
    """The fields of a selection set with the type condition they sit under (None: the parent type)."""
    found: list[tuple[FieldNode, str | None]] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found.append((selection, None))
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            found += [(f, condition) for f, _ in _fields(schema, fragments, selection.selection_set)]
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            found += [
                (f, fragment.type_condition.name.value) for f, _ in _fields(schema, fragments, fragment.selection_set)
            ]
    return found


def _object(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    parent: Any,
    selection_set: SelectionSetNode,
    value: Any,
    path: str,
    problems: list[str],
) -> None:
    if not isinstance(value, dict):
        problems.append(f"{path}: expected an object, got {value!r:.100}")
        return
    typename = value.get("__typename")
    concrete = schema.get_type(typename) if isinstance(typename, str) else None
    for field, condition in _fields(schema, fragments, selection_set):
        key = field.alias.value if field.alias else field.name.value
        owner = schema.get_type(condition) if condition else parent
        applies = condition is None or concrete is None or condition == typename
        if not applies and not (is_abstract_type(owner) and schema.is_sub_type(owner, concrete)):  # type: ignore[arg-type]
            continue  # a fragment on another concrete type
        if key not in value:
            if concrete is None and is_abstract_type(parent):
                continue  # without __typename we cannot tell which fragments applied
            problems.append(f"{path}.{key}: missing")
            continue
        if field.name.value == "__typename":
            if not isinstance(value[key], str):
                problems.append(f"{path}.{key}: not a type name")
            continue
        lookup = concrete if isinstance(concrete, GraphQLObjectType) else owner
        definition = getattr(lookup, "fields", {}).get(field.name.value) or getattr(parent, "fields", {}).get(
            field.name.value
        )
        if definition is None:
            problems.append(f"{path}.{key}: no such field")
            continue
        _value(schema, fragments, definition.type, field, value[key], f"{path}.{key}", problems)


def _value(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    type_: GraphQLOutputType,
    field: FieldNode,
    value: Any,
    path: str,
    problems: list[str],
) -> None:
    if isinstance(type_, GraphQLNonNull):
        if value is None:
            problems.append(f"{path}: null for a non-null type")
            return
        type_ = type_.of_type
    if value is None:
        return
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            _value(schema, fragments, type_.of_type, field, item, f"{path}[{i}]", problems)
        return
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        if value not in named.values:
            problems.append(f"{path}: {value!r:.50} is not a {named.name}")
    elif isinstance(named, GraphQLScalarType):
        expected = _SCALARS.get(named.name)
        if expected is not None and (
            not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))
        ):
            problems.append(f"{path}: {value!r:.50} is not a {named.name}")
    elif field.selection_set is not None:
        _object(schema, fragments, named, field.selection_set, value, path, problems)
