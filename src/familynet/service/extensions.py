"""What the schema runs around every operation: limits, error masking and the access log guard.

Limits (defaults below, documented in the README's settings table by the HTTP
layer) refuse a document before it runs: its depth (fragment spreads followed),
its number of aliases and its number of tokens, on every request, whether or not
the document is cached (:mod:`familynet.service.documents`). In production, every error that
is not a :class:`~familynet.errors.FamilynetError` (whose messages carry no
personal data by construction) is masked, so no SQL, stack detail or input value
reaches a client; the HTTP layer logs the correlation id with the real error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from familynet.errors import FamilynetError
from familynet.service.context import AccessLogError, RequestContext
from familynet.service.documents import DocumentCache
from familynet.service.inputs import PlainStrings

#: Deepest selection accepted. A household context down to a member's recording agency is 6 deep.
MAX_DEPTH = 10
#: Most aliases in one document: enough to compare a few children, not to fan one query out.
MAX_ALIASES = 15
#: Most tokens in one document.
MAX_TOKENS = 2000
#: What a client sees in place of a masked error.
MASKED_MESSAGE = "Unexpected error; quote the correlation id to your administrator."


def is_masked(error: GraphQLError) -> bool:
    """Whether production hides this error's message: every exception but familynet's own.

    An error with no underlying exception is GraphQL's word on the document itself (a
    syntax error, an unknown field, a bad variable) and is shown: a client cannot fix
    a request it is not told about, and the message only repeats what the client sent.
    """
    original = error.original_error
    return original is not None and not isinstance(original, FamilynetError)


class AccessLogGuard(SchemaExtension):
    """Drop every piece of data from a response when the access log could not be written."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if isinstance(context, RequestContext) and context.log_failed and result is not None:
            refused = AccessLogError("the access log cannot be written; nothing was returned")
            result.data = None
            result.errors = [GraphQLError(str(refused), original_error=refused)]


Extension = type[SchemaExtension] | Callable[[], SchemaExtension]


def extensions(*, production: bool) -> list[Extension]:
    """The extensions of the schema in production or development mode.

    Each is given as a factory, so every operation gets fresh extension objects. The
    limiters' validation rules are made once, here: the document cache keeps a
    document's validation errors under the rules that found them, and a limiter
    made per operation would make new rule classes, which no cached entry matches.
    """
    rules: list[type[ASTValidationRule]] = [
        PlainStrings,
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    ]
    if production:
        rules += DisableIntrospection().validation_rules
    chosen: list[Extension] = [
        partial(AddValidationRules, rules),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        DocumentCache().extension(),
        AccessLogGuard,
    ]
    if production:
        chosen.append(partial(MaskErrors, should_mask_error=is_masked, error_message=MASKED_MESSAGE))
    return chosen
