"""A bounded cache of parsed and validated GraphQL documents, one per schema.

Clients send the same few documents again and again with different variables;
graphql-core would parse and validate each afresh, which costs more CPU than
running a household context's rules. The cache keeps, by document text, the parsed
document and the errors its validation found, so a repeated document skips both,
and is refused again with the same errors when it broke a limit:

- the token limit is a parse option, and a document over it raises instead of
  parsing, so it is never cached;
- the depth and alias limits (and, in production, the introspection ban) are
  validation rules: the errors are kept under the exact rules that found them, so
  a document is never taken as valid under rules it was not checked with.

Validation depends on the document and the rules only, never on variables or the
caller, so one caller's document serves another's request unchanged. Parsed
documents are read-only to graphql-core's executor.

The cache is bounded twice, against a client that sends endless distinct
documents: at most :data:`MAX_DOCUMENTS` entries (least recently used first out),
and documents longer than :data:`MAX_CACHED_LENGTH` characters are parsed and
validated every time. Each schema (production, development) has its own cache.

>>> cache = DocumentCache()
>>> first = cache.parse("{ __typename }", {"max_tokens": 10})
>>> cache.parse("{ __typename }", {"max_tokens": 10}) is first
True
>>> cache.parse("{ __typename }", {"max_tokens": 20}) is first
False
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.execution import ParseOptions

#: Most documents kept per schema and worker process.
MAX_DOCUMENTS = 128
#: Longest document (characters) kept; a household context query is about 900.
MAX_CACHED_LENGTH = 10_000

Rules = tuple[type[ASTValidationRule], ...]
_Key = tuple[str, tuple[tuple[str, object], ...]]


class Document:
    """A parsed document and the errors its validation found, by the rules that found them."""

    def __init__(self, node: DocumentNode) -> None:
        self.node = node
        self._errors: dict[Rules, tuple[GraphQLError, ...]] = {}

    def errors(self, schema: GraphQLSchema, rules: Rules) -> list[GraphQLError]:
        """The errors of the document under ``rules`` (and strawberry's own rules), as strawberry validates."""
        errors = self._errors.get(rules)
        if errors is None:
            errors = self._errors[rules] = tuple(validate_document(schema, self.node, rules))
        # A fresh list each time: later steps replace a result's errors, and must not touch the cache.
        return list(errors)


class DocumentCache:
    """Parsed documents and their validation errors, by document text and parse options."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS, max_length: int = MAX_CACHED_LENGTH) -> None:
        self.max_documents = max_documents
        self.max_length = max_length
        self._documents: OrderedDict[_Key, Document] = OrderedDict()
        # One schema may serve the event loops of several threads (servers in one process).
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._documents)

    def parse(self, query: str, options: ParseOptions) -> Document:
        """The document ``query`` parses to under ``options`` (graphql-core's ``parse`` keywords).

        A syntax error, or a document over the token limit, raises every time.
        """
        key = (query, tuple(sorted(options.items())))
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
                return document
        document = Document(parse(query, **options))
        if len(query) <= self.max_length:
            with self._lock:
                self._documents[key] = document
                if len(self._documents) > self.max_documents:
                    self._documents.popitem(last=False)
        return document

    def extension(self) -> Callable[[], SchemaExtension]:
        """A factory of the schema extension that parses and validates through this cache."""
        return lambda: _CachedDocuments(self)


class _CachedDocuments(SchemaExtension):
    """Parse and validate through a :class:`DocumentCache`, so strawberry skips both steps.

    A document that does not parse is left to strawberry, which reports the error as it always does.
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self.document: Document | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                self.document = self.cache.parse(context.query, context.parse_options)
            except GraphQLError:
                pass
            else:
                context.graphql_document = self.document.node
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = self.document
        if (
            document is not None
            and context.graphql_document is document.node
            and context.validation_rules  # strawberry validates only with rules (its default has them all)
            and context.pre_execution_errors is None
        ):
            context.pre_execution_errors = document.errors(context.schema._schema, context.validation_rules)
        yield
