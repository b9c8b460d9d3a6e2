"""familynet as a GraphQL service: the schema, its per-request context and the HTTP app.

The HTTP layer builds the schema once and a context per authenticated request::

    from familynet.service.context import RequestContext
    from familynet.service.schema import build_schema

    schema = build_schema(production=True)      # masked errors, no introspection
    context = RequestContext.create(store, principal, correlation_id)
    result = await schema.execute(query, variable_values=variables, context_value=context)

Resolvers are ``async`` (they use per-request DataLoaders), so run the schema
with ``execute``, not ``execute_sync``. ``context.log_failed`` is true when the
access log could not be written; the response then carries no data.
"""
