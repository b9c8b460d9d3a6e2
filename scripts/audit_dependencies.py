"""Audit the installed dependencies for known vulnerabilities with pip-audit.

A found vulnerability fails (exit 1). An advisory source that cannot be reached,
or that knows none of the packages (a registry mirror without PyPI's JSON API
answers "not found" for every one), skips the audit with a notice (exit 0): CI
runs where it can, and says so where it cannot.

Usage: .venv/bin/python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603 - fixed argv
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: advisory source unreachable, audit skipped ({last})")
        return 0
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            print(f"pip-audit: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        return 1
    if not audited:
        print(f"pip-audit: the advisory source knows none of the {len(dependencies)} packages, audit skipped")
        return 0
    print(
        f"pip-audit: no known vulnerabilities in {len(audited)} packages ({len(dependencies) - len(audited)} unknown)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
