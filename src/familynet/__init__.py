"""familynet: a knowledge graph of family and household networks for children's safeguarding."""

from __future__ import annotations

__version__ = "0.1.0"
