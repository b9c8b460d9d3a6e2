"""Who may read what, and the record of who did.

:mod:`~familynet.access.auth` (principals, roles, rights and API tokens),
:mod:`~familynet.access.oidc` (bearer tokens from an OpenID Connect provider) and
:mod:`~familynet.access.log` (the hash-chained access log's entries). Imports nothing of
familynet but the foundation (:mod:`familynet.errors`); the stores keep what it defines.
"""
