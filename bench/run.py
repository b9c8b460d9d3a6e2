"""familynet benchmarks: generate the synthetic bundle, ingest it, time household contexts and audits.

Usage::

    .venv/bin/python bench/run.py [--households 200000] [--seed 1] [--out bench/out]
                                  [--steps generate,ingest,context,audits] [--samples 2000]

Steps (each in its own process, so its wall time, CPU time and peak memory, the
maximum resident set size, are its own; CPU time well under wall time, and the load
average recorded as each step ends, show a machine busy with other work):

- ``generate``: the synthetic bundle (``bench/out/bundle-N-S``).
- ``ingest``: validate and load it into a fresh embedded store (``bench/out/familynet-N.db``);
  rows/s counts every data row over the whole ingest, validation included.
- ``context``: the household context of ``--samples`` random children, in process, one
  after another: ``family_network`` then ``household_context`` on the child's latest
  referral date; p50, p99 and mean in milliseconds, and the p50 and p99 of the CPU time
  of each (on a busy machine a lookup's wall time includes its waits for a core).
- ``audits``: each declared audit (``familynet.analyses.AUDITS``) over ``store.cohort``
  batches with only the mentions its rules read (``analyses.audit_cohort``, as the CLI and
  the service run them), then ``all``: every audit of ``familynet audit all`` over one
  reading of the cohort shared out among ``--workers`` processes (``analyses.all_audits_in_workers``,
  as ``familynet audit all`` runs it), for the last year of referrals and for all of them (the
  synthetic bundle spans ten years), each in its own process. Its CPU time is its processes'
  together; its peak memory is the largest process's, and the result gives all processes'
  resident memory at its highest, sampled every 0.1 s.

``--steps`` runs some of them on the bundle and database already in ``--out``; the
others keep their figures from the last run of the same size (``--steps ""`` only
prints the table), and so do the audits ``--audits`` and the periods ``--periods`` leave out (``--steps audits
--audits missing-members`` times audit 3 alone). Results go to ``bench/results.json`` (``--results``) and a Markdown
table beside it (``bench/results.md``) and to standard output, ready for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from familynet.analyses import AUDITS as DECLARED

HERE = Path(__file__).parent
RESULTS = HERE / "results.json"
STEPS = ("generate", "ingest", "context", "audits")
AUDITS = (*(audit.name for audit in DECLARED), "all")
TARGETS = {
    "ingest": "≥ 100,000 rows/s, < 2 GiB",
    "context": "p50 ≤ 2 ms, p99 ≤ 10 ms",
    "audit_year": "≤ 30 s, < 2 GiB",
    "audit_all": "≤ 120 s, < 2 GiB",
    "all_year": "≤ 60 s, < 2 GiB",
    "all_all": "",
}

_REPORT = """
import json as _json, resource as _resource
_usage = _resource.getrusage(_resource.RUSAGE_SELF)
_children = _resource.getrusage(_resource.RUSAGE_CHILDREN)
result["peak_mib"] = round(max(_usage.ru_maxrss, _children.ru_maxrss) / 1024)
result["cpu_s"] = round(sum(u.ru_utime + u.ru_stime for u in (_usage, _children)), 2)
print(_json.dumps(result))
"""


def _measure(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it fills ``result``, reported with its peak memory."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code + _REPORT, *args], check=False, capture_output=True, text=True)
    if done.returncode:
        # The step's own error, not only its exit status, so that a failed run says why.
        raise SystemExit(f"step failed ({done.returncode}):\n{done.stderr[-4000:]}")
    reported: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    reported["wall_s"] = round(time.perf_counter() - started, 2)
    # The machine is shared: the load shows how much of the wall time was waiting.
    reported["load_1min"] = round(os.getloadavg()[0], 1)
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
from familynet.bundle.ingest import ingest_bundle
from familynet.stores.sqlite.store import open_sqlite
store = open_sqlite(Path(sys.argv[1]))
started = time.perf_counter()
report = ingest_bundle(store, Path(sys.argv[2]))
seconds = time.perf_counter() - started
rows = sum(f.rows for f in report.files.values())
store.close()
result = {"rows": rows, "rows_per_s": round(rows / seconds), "ingest_s": round(seconds, 2)}
"""

# Children are sampled from the subjects of contacts and referrals, each on the day of
# their latest one, with a fixed seed, so every run times the same lookups.
CONTEXT = """
import datetime as dt, random, sqlite3, statistics, sys, time
from pathlib import Path
from familynet.analyses import household_context
from familynet.stores.sqlite.store import open_sqlite
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
latest = db.execute("SELECT child_id, max(received_on) FROM referrals GROUP BY child_id ORDER BY child_id").fetchall()
db.close()
sample = random.Random(1).sample(latest, min(int(sys.argv[2]), len(latest)))
store = open_sqlite(Path(sys.argv[1]))
for child, day in sample[:50]:
    household_context(store.family_network(child), child, dt.date.fromisoformat(day))
timings, cpu = [], []
for child, day in sample:
    started, used = time.perf_counter(), time.process_time()
    household_context(store.family_network(child), child, dt.date.fromisoformat(day))
    timings.append((time.perf_counter() - started) * 1000)
    cpu.append((time.process_time() - used) * 1000)
store.close()
timings.sort()
cpu.sort()
p50, p99 = len(timings) // 2, min(len(timings) - 1, int(len(timings) * 0.99))
result = {
    "samples": len(timings),
    "p50_ms": round(timings[p50], 2),
    "p99_ms": round(timings[p99], 2),
    "mean_ms": round(statistics.fmean(timings), 2),
    "cpu_p50_ms": round(cpu[p50], 2),
    "cpu_p99_ms": round(cpu[p99], 2),
}
"""

AUDIT = """
import datetime as dt, functools, os, sys, threading, time
from pathlib import Path
from familynet import analyses
from familynet.analyses.home import with_home_agency
from familynet.settings import Settings
from familynet.stores.backends import configured_store
from familynet.stores.sqlite.store import open_sqlite
name, start, end = sys.argv[2], dt.date.fromisoformat(sys.argv[3]), dt.date.fromisoformat(sys.argv[4])
subjects = 0
def add(done):
    global subjects
    subjects += done
def counted(batches):
    for batch in batches:
        add(len(batch.child_ids))
        yield batch
def resident_kib(pid):
    # This process's resident memory and its descendants' (the worker processes), from /proc.
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    own = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return own + sum(resident_kib(int(child)) for child in children)
together = 0
finished = threading.Event()
def sample():
    global together
    while not finished.wait(0.1):
        together = max(together, resident_kib(os.getpid()))
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
if name == "all":
    # As familynet audit all runs it: the cohort shared out among worker processes, each opening the store.
    opener = functools.partial(configured_store, Settings.resolve(Path(sys.argv[1]), {}), must_exist=True)
    # The home agency taken from the store before the cohort is read, as the CLI does.
    with opener() as store:
        home = with_home_agency({"home_agency": None}, store)
    outcome = analyses.all_audits_in_workers(opener, start, end, workers=int(sys.argv[5]), progress=add, **home)
else:
    audit = analyses.audit_named(name)
    store = open_sqlite(Path(sys.argv[1]))
    chosen = with_home_agency(audit.defaults(), store)
    outcome = audit(counted(store.cohort(start, end, mentions=audit.mentions)), start, end, **chosen)
    store.close()
seconds = time.perf_counter() - started
finished.set()
result = {"subjects": subjects, "audit_s": round(seconds, 2), "workers": int(sys.argv[5]) if name == "all" else 1,
          "all_processes_peak_mib": round(together / 1024)}
"""


def _period(db: Path) -> tuple[str, str, str]:
    """The first and last received dates of the bundle, and the first day of its last year."""
    import datetime as dt
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        first, last = connection.execute("SELECT min(received_on), max(received_on) FROM referrals").fetchone()
    finally:
        connection.close()
    end = dt.date.fromisoformat(last)
    year = end.replace(year=end.year - 1) + dt.timedelta(days=1)
    return first, last, year.isoformat()


def machine(out: Path) -> dict[str, Any]:
    """What the figures were measured on: CPU model, cores, memory, disk, Python."""
    model = ""
    memory_gib = 0.0
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        kib = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory_gib = round(int(kib.split()[1]) / 1024**2, 1)
    except (OSError, StopIteration):
        pass
    disk = ""
    if shutil.which("df"):
        shown = subprocess.run(["df", "-hT", str(out)], capture_output=True, text=True).stdout.splitlines()
        if len(shown) > 1:
            source, fstype, size = shown[1].split()[:3]
            disk = f"{source} ({fstype}, {size})"
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "cores": os.cpu_count() or 0,
        "memory_gib": memory_gib,
        "disk": disk,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
    }


def _save(saved: Path, households: int, step: str, value: Any) -> dict[str, Any]:
    """Record one step's result in ``saved`` at once, so a long run keeps what it measured
    and runs of other steps at the same time keep theirs; return every result."""
    results: dict[str, Any] = {}
    if saved.is_file():
        results = json.loads(saved.read_text(encoding="utf-8"))
    if results.get("households") != households:
        results = {"households": households}
    if step == "audits" and isinstance(results.get(step), dict):
        results[step].update(value)
    else:
        results[step] = value
    saved.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def run_steps(
    steps: list[str],
    households: int,
    seed: int,
    out: Path,
    samples: int,
    saved: Path,
    audits: tuple[str, ...] = AUDITS,
    periods: tuple[str, ...] = ("year", "all"),
    workers: int = 2,
) -> dict[str, Any]:
    """Run ``steps`` (of the audits, only ``audits``); return every result in ``saved``, those
    of other steps and audits kept from the last run of the same size."""
    bundle = out / f"bundle-{households}-{seed}"
    db = out / f"familynet-{households}.db"
    out.mkdir(parents=True, exist_ok=True)
    results = _save(saved, households, "machine", machine(out))
    if "generate" in steps:
        bundle.mkdir(parents=True, exist_ok=True)
        results = _save(saved, households, "generate", _measure(GENERATE, str(bundle), str(households), str(seed)))
    if "ingest" in steps:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        results = _save(saved, households, "ingest", _measure(INGEST, str(db), str(bundle)))
    if "context" in steps:
        results = _save(saved, households, "context", _measure(CONTEXT, str(db), str(samples)))
    if "audits" in steps:
        first, last, year = _period(db)
        results = _save(saved, households, "audits", {"periods": {"year": [year, last], "all": [first, last]}})
        for period, start in (("year", year), ("all", first)):
            if period not in periods:
                continue
            for name in audits:
                measured = _measure(AUDIT, str(db), name, start, last, str(workers))
                results = _save(saved, households, "audits", {f"{name}/{period}": measured})
    return results


def table(results: dict[str, Any]) -> str:
    """The results as Markdown: the machine, then one row per measurement with its target."""
    m = results["machine"]
    lines = [
        f"{results['households']:,} households; {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, "
        f"disk {m['disk']}, {m['python']}.",
        "",
        "| step | size | result | wall (s) | CPU (s) | load | peak memory (MiB) | target |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]

    def row(step: str, size: str, result: str, r: dict[str, Any], target: str) -> None:
        lines.append(
            f"| {step} | {size} | {result} | {r['wall_s']} | {r.get('cpu_s', '')} | {r.get('load_1min', '')} "
            f"| {r['peak_mib']} | {target} |"
        )

    if "generate" in results:
        r = results["generate"]
        row("generate", f"{r['rows']:,} rows", "", r, "")
    if "ingest" in results:
        r = results["ingest"]
        row("ingest", f"{r['rows']:,} rows", f"{r['rows_per_s']:,} rows/s", r, TARGETS["ingest"])
    if "context" in results:
        r = results["context"]
        result = f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, mean {r['mean_ms']} ms"
        if "cpu_p50_ms" in r:
            result += f" (CPU p50 {r['cpu_p50_ms']} ms, p99 {r['cpu_p99_ms']} ms)"
        row("household context", f"{r['samples']:,} children", result, r, TARGETS["context"])
    if "audits" in results:
        audits = results["audits"]
        for period in ("year", "all"):
            start, end = audits["periods"][period]
            for name in AUDITS:
                r = audits.get(f"{name}/{period}")
                if r is None:
                    continue
                size = f"{r['subjects']:,} subjects, {start} – {end}"
                target = TARGETS[f"all_{period}" if name == "all" else f"audit_{period}"]
                result = f"{r['audit_s']} s"
                if name == "all" and "workers" in r:
                    result += f", {r['workers']} workers, all processes' peak {r['all_processes_peak_mib']} MiB"
                row(f"audit {name}", size, result, r, target)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--households", type=int, default=200_000, help="households in the synthetic bundle")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic bundle")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="directory of the bundle and database")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated steps among {', '.join(STEPS)}")
    parser.add_argument("--samples", type=int, default=2000, help="children timed by the context step")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of audit all (--workers)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the JSON file of results to update")
    parser.add_argument(
        "--audits",
        default=",".join(AUDITS),
        help=f"comma-separated audits the audits step runs, among {', '.join(AUDITS)}",
    )
    parser.add_argument(
        "--periods", default="year,all", help="comma-separated periods the audits step runs: year, all (ten years)"
    )
    options = parser.parse_args()
    steps = [s.strip() for s in options.steps.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}")
    audits = tuple(a.strip() for a in options.audits.split(",") if a.strip())
    if set(audits) - set(AUDITS):
        parser.error(f"unknown audits {sorted(set(audits) - set(AUDITS))}")
    periods = tuple(p.strip() for p in options.periods.split(",") if p.strip())
    if set(periods) - {"year", "all"}:
        parser.error("periods are year and all")
    results = run_steps(
        steps,
        options.households,
        options.seed,
        options.out,
        options.samples,
        options.results,
        audits,
        periods,
        options.workers,
    )
    text = table(results)
    options.results.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
