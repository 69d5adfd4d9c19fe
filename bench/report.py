"""One shape for every benchmark's figures, so that ``make bench`` writes one table.

Each script under ``bench/`` takes ``--json PATH`` (``add_json_argument``) and, besides its
own printed table, appends one JSON line per measured case to PATH (``emit``).
``bench/run_all.py`` runs the scripts and turns the lines into ``bench/RESULTS.md``.

    samples = [...]                      # milliseconds, one per request or run
    emit(args.json, [Result("lists", "GET /applications/ (secretariat)", "5,000 applications",
                            queries=9, target_ms=30, **stats(samples))])
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    bench: str  # the script: "lists", "donors", "ranking", "notifications", "serve", ...
    case: str  # what was measured: "GET /applications/ (secretariat)"
    size: str  # the data it ran on: "5,000 applications"
    median: float | None  # in `unit`
    p95: float | None = None
    spread_pct: float | None = None  # (max − min) / median over the samples, in %
    samples: int = 0
    queries: int | None = None
    unit: str = "ms"  # "ms", "s", "req/s", "per s"
    target: str = ""  # as the issue words it: "≤ 30 ms", "≥ 30 % of the floor"
    met: bool | None = None  # None when the case has no target of its own
    note: str = ""


def stats(samples: list[float]) -> dict:
    """median, p95, spread and count of a list of samples (any unit)."""
    if not samples:
        return {"median": None, "p95": None, "spread_pct": None, "samples": 0}
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    spread = (ordered[-1] - ordered[0]) / median * 100 if median else None
    return {"median": median, "p95": p95, "spread_pct": spread, "samples": len(ordered)}


def add_json_argument(parser) -> None:
    parser.add_argument("--json", metavar="PATH", default=None,
                        help="append one JSON line per measured case to PATH (make bench)")


def emit(path: str | Path | None, results: list[Result]) -> None:
    """Append the results to PATH as JSON lines; nothing when PATH is None."""
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for result in results:
            out.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")


def load(path: str | Path) -> list[Result]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [Result(**json.loads(line)) for line in lines if line.strip()]
