"""Every setting familynet reads from the environment is in the README's settings table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_environment_setting_is_in_the_readme_settings_table() -> None:
    read = set()
    for module in (ROOT / "src" / "familynet").rglob("*.py"):
        read |= set(re.findall(r'"(FAMILYNET_[A-Z0-9_]+)"', module.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert read, "no setting found: the pattern is wrong"
    assert sorted(name for name in read if name not in table) == []
