"""Identity resolution: which records (person rows, one per agency's record) are one real person.

The facts (links, candidates, decisions) are :mod:`familynet.model.identity`; here they are
made: :mod:`~familynet.identity.features` turns a store's facts into what Splink compares,
:mod:`~familynet.identity.comparisons` is the Fellegi–Sunter model, :mod:`~familynet.identity.guardrails`
say which pairs must never be linked automatically, :mod:`~familynet.identity.clusters` joins
records into identities and names them, and :mod:`~familynet.identity.resolution` runs it all
over a store, in full or for newly loaded records, and records users' decisions.
See docs/identity.md.
"""
