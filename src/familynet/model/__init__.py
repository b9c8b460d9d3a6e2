"""The facts familynet holds and their vocabularies, with no I/O.

Records (one frozen dataclass per bundle file), the vocabularies loaded from ``graph/``,
dates as safeguarding records hold them, NHS numbers, and the NetworkX graph contract
between the stores and the rules (:mod:`familynet.model.network`, whose
:class:`~familynet.model.network.FamilyGraphBuilder` builds the graphs every rule reads).

Imports nothing of familynet but the foundation: :mod:`familynet.errors` and
:mod:`familynet.resources` (where ``graph/`` lives).
"""
