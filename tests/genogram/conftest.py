"""The genogram tests build families with the rules' hand-built family helpers."""

from __future__ import annotations

import sys
from pathlib import Path

# The helpers live beside the rules' tests (tests/analyses/families.py), which is a
# directory pytest puts on the path only when it collects those tests.
sys.path.insert(0, str(Path(__file__).parent.parent / "analyses"))
