#!/usr/bin/env python
"""Run every benchmark under bench/ and write one table of their figures to bench/RESULTS.md.

    python bench/run_all.py [--quick] [--only lists,donors] [--skip notifications]
                            [--args 'grants=--grants 2000'] [--output PATH] [--timeout S]

Each script runs as a subprocess with ``--json <tmpfile>`` (bench/report.py's one result
shape); a script that fails does not stop the others: it gets a "failed" row and the end of
its stderr in the notes. The default sizes are the issue's (each script's defaults);
``--quick`` passes small sizes to every script, for a trial of a few minutes. The file is
written only for a full run, unless ``--output`` names one (``--output /tmp/x.md``): a quick
trial never overwrites the real results. The table is printed in any case.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import Result, load  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
STDERR_LINES = 25


@dataclass
class Bench:
    name: str  # the row label of a failure, and what --only / --skip / --args name
    script: str
    quick: list[str]  # the small sizes of --quick; the full run passes nothing (the defaults)
    env: dict[str, str] = field(default_factory=dict)  # overrides
    env_default: dict[str, str] = field(default_factory=dict)  # when not set already


BENCHES = [
    Bench("lists", "bench/lists.py", ["--sizes", "50,500", "--requests", "5", "--warmup", "1"]),
    Bench("home_pages", "bench/home_pages.py",
          ["--sizes", "50,500", "--requests", "5", "--warmup", "1"]),
    # The same pages on SQLite (Django's test database is then in memory), as make bench did.
    Bench("home_pages_sqlite", "bench/home_pages.py",
          ["--sizes", "50,500", "--requests", "5", "--warmup", "1"],
          env={"DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'bench_home.sqlite3'}"}),
    Bench("grants", "bench/grants.py", ["--grants", "500", "--requests", "5", "--warmup", "1"]),
    # 250 eligible: fewer make the portfolio's constraints (20 countries, ...) infeasible.
    Bench("ranking", "bench/ranking.py", ["--applications", "500", "--eligible", "250",
                                          "--runs", "2"]),
    # No database, a couple of seconds: the sizes even when quick.
    Bench("ranking_engine", "bench/ranking_engine.py", ["--runs", "2"]),
    Bench("donors", "bench/donors.py", ["--contributions", "50000", "--donors", "4000",
                                        "--import-rows", "5000", "--requests", "3"]),
    # The README's production server against the floor of the same stack (issue 16).
    Bench("gunicorn_floor", "bench/gunicorn_floor.py",
          ["--applications", "500", "--seconds", "4"]),
    # On PostgreSQL like the others (without DATABASE_URL the script would use SQLite).
    Bench("notifications", "bench/notifications.py", ["--count", "1000", "--timeout", "300"],
          env_default={"DATABASE_URL": POSTGRES}),
]


@dataclass
class Run:
    bench: Bench
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)  # what the runner set, for the record
    exit_code: int | None = None  # None: timed out
    seconds: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    results: list[Result] = field(default_factory=list)
    stderr_tail: list[str] = field(default_factory=list)
    problem: str = ""  # a failure of the runner itself (unreadable JSON, ...)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="benchmarks: " + ", ".join(b.name for b in BENCHES))
    parser.add_argument("--quick", action="store_true",
                        help="small sizes for every script (a trial of a few minutes)")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    parser.add_argument("--args", action="append", default=[], metavar="NAME=ARGS",
                        help="the arguments of one benchmark instead of its defaults (or "
                             "--quick's), e.g. 'donors=--contributions 200000'; repeatable")
    parser.add_argument("--output", metavar="PATH",
                        help="where to write the table (default: bench/RESULTS.md, "
                             "and only without --quick)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one script may run (default: 3 h, 15 min with --quick)")
    args = parser.parse_args()
    names = {b.name for b in BENCHES}
    for option in ("only", "skip"):
        unknown = {n for n in getattr(args, option).split(",") if n} - names
        if unknown:
            parser.error(f"--{option}: unknown benchmark {', '.join(sorted(unknown))}")
    overrides = {}
    for item in args.args:
        name, sep, value = item.partition("=")
        if not sep or name not in names:
            parser.error(f"--args {item!r}: expected NAME=ARGS with NAME one of the benchmarks")
        overrides[name] = shlex.split(value)
    args.overrides = overrides
    if args.timeout is None:
        args.timeout = 900 if args.quick else 3 * 3600
    return args


def selected(args) -> list[Bench]:
    only = {n for n in args.only.split(",") if n}
    skip = {n for n in args.skip.split(",") if n}
    return [b for b in BENCHES if (not only or b.name in only) and b.name not in skip]


def command(bench: Bench, args) -> list[str]:
    sizes = args.overrides.get(bench.name, bench.quick if args.quick else [])
    return [sys.executable, bench.script, *sizes]


def run_one(bench: Bench, args, workdir: Path) -> Run:
    json_path = workdir / f"{bench.name}.jsonl"
    set_here = {**{k: v for k, v in bench.env_default.items() if k not in os.environ},
                **bench.env}
    run = Run(bench, command(bench, args), set_here)
    print(f"\n== {bench.name}: {shown(run.command, run.env)}", file=sys.stderr, flush=True)
    run.load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen([*run.command, "--json", str(json_path)], cwd=ROOT,
                               env={**os.environ, **set_here},
                               stderr=subprocess.PIPE, text=True, errors="replace")
    tail: deque[str] = deque(maxlen=STDERR_LINES)
    reader = threading.Thread(target=tee, args=(process.stderr, tail), daemon=True)
    reader.start()
    try:
        run.exit_code = process.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)  # lets the script drop its database, stop workers
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    run.seconds = time.perf_counter() - started
    run.load_after = os.getloadavg()[0]
    run.stderr_tail = list(tail)
    if json_path.exists():
        try:
            run.results = load(json_path)
        except (ValueError, TypeError) as exc:
            run.problem = f"unreadable --json output: {exc}"
    return run


def tee(stream, tail: deque) -> None:
    """Copy the script's stderr to ours (progress) and keep its last lines (failures)."""
    for line in stream:
        sys.stderr.write(line)
        sys.stderr.flush()
        tail.append(line.rstrip("\n"))


def shown(argv: list[str], env: dict[str, str] | None = None) -> str:
    """A command line as one would type it in the project's folder."""
    try:
        program = str(Path(argv[0]).relative_to(ROOT))
    except ValueError:
        program = argv[0]
    assignments = [f"{k}={shlex.quote(v)}" for k, v in (env or {}).items()]
    return " ".join([*assignments, shlex.join([program, *argv[1:]])])


def output(cmd: str) -> str:
    try:
        return subprocess.run(shlex.split(cmd), cwd=ROOT, capture_output=True, text=True,
                              timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, str]:
    info = {"cores": output("nproc") or str(os.cpu_count()), "cpu": "", "postgres": ""}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = info["cpu"] or platform.processor() or platform.machine()
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url if url.startswith(("postgres://", "postgresql://")) else POSTGRES)
    server = output(shlex.join([
        "psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
        "-U", parts.username or "postgres", "-d", "postgres", "-w", "-Atc",
        "SHOW server_version"]))
    client = output("psql -V")
    info["postgres"] = "; ".join(p for p in (server and f"server {server}",
                                             client and f"client `{client}`") if p)
    info["python"] = platform.python_version()
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        info["django"] = "?"
    return info


def commit() -> str:
    head = output("git rev-parse --short HEAD") or "unknown"
    changes = output("git --no-optional-locks status --porcelain")
    return f"{head} (working tree with uncommitted changes)" if changes else f"{head} (clean)"


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "ms":
        return f"{value:.1f} ms" if value < 1000 else f"{value:,.0f} ms"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:,.0f} {unit}"


def cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(runs: list[Run]) -> tuple[list[str], list[str]]:
    """The table's lines and the notes (numbered like the [n] marks of the table)."""
    lines = ["| bench | case | size | median | p95 | spread | samples | queries | target "
             "| met | load |",
             "|---|---|---|---:|---:|---:|---:|---:|---|---|---|"]
    notes: list[str] = []

    def mark(text: str) -> str:
        if not text:
            return ""
        notes.append(text)
        return f" [{len(notes)}]"

    for run in runs:
        load = f"{run.load_before:.1f} → {run.load_after:.1f}"
        for r in run.results:
            several = r.samples > 1
            met = {True: "yes", False: "**no**", None: ""}[r.met]
            median = number(r.median, r.unit) if r.median is not None else "n/a"
            lines.append("| " + " | ".join(cell(c) for c in (
                r.bench, r.case + mark(r.note), r.size, median,
                number(r.p95, r.unit) if several else "–",
                f"{r.spread_pct:.0f} %" if several and r.spread_pct is not None else "–",
                r.samples, "" if r.queries is None else r.queries, r.target, met, load)) + " |")
        failure = ""
        if run.exit_code is None:
            failure = f"failed (timed out after {duration(run.seconds)})"
        elif run.exit_code != 0:
            failure = f"failed (exit {run.exit_code})"
        elif not run.results:
            failure = "failed (no results)"
        if failure or run.problem:
            detail = "\n".join(run.stderr_tail) or "(nothing on stderr)"
            text = (f"`{shown(run.command, run.env)}`: {failure or run.problem}"
                    + (f"; {run.problem}" if failure and run.problem else "")
                    + f"; the end of its stderr:\n\n```\n{detail}\n```")
            lines.append("| " + " | ".join(cell(c) for c in (
                run.bench.name, (failure or run.problem) + mark(text), "", "", "", "", "", "",
                "", "", load)) + " |")
    return lines, notes


HOW_TO_READ = """\
**How to read it.** Each row is one case of one script. *median* and *p95* are over the
*samples*: requests of Django's in-process test client after warm-up requests (pages,
API), or runs (ranking, portfolio); a case with one sample (an import, an enqueue, one
request, a throughput) has no p95 nor spread. *spread* is (max − min) / median of the samples:
large spreads mean a noisy machine, not a slow page. *queries* is the SQL query count of
one request. *target* is the issue's, as it words it, and *met* compares the **median** with
it (and the query count, where the target names one; "exact" portfolios must also be proven
optimal): targets are set at the issue's sizes (5,000 applications, 1,000,000 contributions,
10,000 notifications), so in a `--quick` run, at small sizes, *met* only hints. *load* is the
1-minute load average before → after the script; above the number of cores the machine was
shared with other work, and the times are pessimistic (the query counts are exact).
A script that failed has a "failed" row and the end of its stderr in the notes."""


def markdown(runs: list[Run], args, started: datetime, total: float, info: dict,
             revision: str, load: tuple[float, float, float]) -> str:
    lines, notes = table(runs)
    me = shown([sys.executable, "bench/run_all.py", *sys.argv[1:]])
    kind = "quick trial (small sizes)" if args.quick else "full run (the issue's sizes)"
    out = [
        "# Benchmark results",
        "",
        f"Generated by `{me}` (`make bench` runs `bench/run_all.py`; do not edit by hand), "
        f"a {kind}, started {started:%Y-%m-%d %H:%M} UTC, took {duration(total)}; commit "
        f"{revision}.",
        "",
        f"Machine: {info['cores']} cores (`nproc`), {info['cpu']}; PostgreSQL "
        f"{info['postgres'] or 'unknown'}; Python {info['python']}, Django {info['django']}; "
        f"load average at the start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1 / 5 / 15 min).",
        "",
        "Scripts, in order:",
        "",
        *(f"- `{shown(r.command, r.env)}`: {duration(r.seconds)}, "
          + ("timed out" if r.exit_code is None else f"exit {r.exit_code}") for r in runs),
        "",
        *lines,
        "",
    ]
    if notes:
        out += ["Notes:", ""]
        for n, note in enumerate(notes, start=1):
            head, _, rest = note.partition("\n")
            out.append(f"{n}. {head}")
            if rest:
                out += ["   " + line if line else "" for line in rest.splitlines()]
        out.append("")
    out += [HOW_TO_READ, ""]
    return "\n".join(out)


def main() -> int:
    args = parse_args()
    benches = selected(args)
    started = datetime.now(UTC)
    load = os.getloadavg()
    revision = commit()
    info = machine()
    clock = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory(prefix="fundapp-bench-") as workdir:
        for bench in benches:
            runs.append(run_one(bench, args, Path(workdir)))
    text = markdown(runs, args, started, time.perf_counter() - clock, info, revision, load)
    print("\n" + text)
    target = Path(args.output) if args.output else (None if args.quick else RESULTS)
    if target is not None:
        target.write_text(text, encoding="utf-8")
        print(f"written to {target}", file=sys.stderr)
    else:
        print("--quick without --output: bench/RESULTS.md left as it was", file=sys.stderr)
    failed = [r for r in runs if r.exit_code != 0 or not r.results]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
