"""familynet benchmarks: generate the synthetic bundle, ingest it, time the lookups.

Usage::

    .venv/bin/python bench/run.py [--households 200000] [--seed 1] [--out bench/out]

Each step runs in its own process, so its wall time and peak memory (maximum
resident set size) are its own. Results go to ``bench/results.json`` and a
Markdown table on standard output, ready for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


_REPORT = """
import json as _json, resource as _resource
result["peak_mib"] = round(_resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss / 1024)
print(_json.dumps(result))
"""


def _measure(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it fills ``result``, reported with its peak memory."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + _REPORT, *args], check=True, capture_output=True, text=True)
    reported: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    reported["wall_s"] = round(time.perf_counter() - started, 2)
    return reported


GENERATE = """
import sys
from pathlib import Path
from familynet.synthetic import write_demo_bundle
counts = write_demo_bundle(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
result = {"rows": sum(v for k, v in counts.items() if k != "identity_truth")}
"""

INGEST = """
import sys, time
from pathlib import Path
from familynet.ingest import ingest_bundle
from familynet.sqlite_store import open_sqlite
store = open_sqlite(Path(sys.argv[1]))
started = time.perf_counter()
report = ingest_bundle(store, Path(sys.argv[2]))
seconds = time.perf_counter() - started
rows = sum(f.rows for f in report.files.values())
store.close()
result = {"rows": rows, "rows_per_s": round(rows / seconds)}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    options = parser.parse_args()
    bundle = options.out / f"bundle-{options.households}-{options.seed}"
    db = options.out / f"familynet-{options.households}.db"
    options.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {_cpus()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "households": options.households,
    }
    bundle.mkdir(parents=True, exist_ok=True)
    results["generate"] = _measure(GENERATE, str(bundle), str(options.households), str(options.seed))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    results["ingest"] = _measure(INGEST, str(db), str(bundle))
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"machine: {results['machine']}; {options.households} households\n")
    print("| step | rows | rows/s | wall (s) | peak memory (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for step in ("generate", "ingest"):
        r = results[step]
        cells = (step, r.get("rows", ""), r.get("rows_per_s", ""), r["wall_s"], r["peak_mib"])
        print("| " + " | ".join(str(c) for c in cells) + " |")


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
