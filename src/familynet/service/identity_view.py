"""The ``identities`` argument: one person per identity (the default) or one per record.

The household context, the family network, the genogram and every audit take it, as
``familynet household|genogram|audit --identities`` do (:data:`familynet.analyses.declaration.IDENTITIES`).

>>> tuple(i.value for i in Identities) == IDENTITIES.choices
True
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from familynet.analyses.declaration import IDENTITIES


@strawberry.enum(
    description="How persons are seen: one per identity, however many agencies recorded them, or per record."
)
class Identities(Enum):
    IDENTITIES = "identities"
    RECORDS = "records"

    @property
    def by_identity(self) -> bool:
        """Whether this is the identity view."""
        return IDENTITIES.by_identity(self.value)


#: The argument, annotated for strawberry.
IdentitiesArgument = Annotated[Identities, strawberry.argument(name=IDENTITIES.argument, description=IDENTITIES.help)]
#: Its default.
DEFAULT = Identities(IDENTITIES.default)
