#!/usr/bin/env python
"""A bounded HTTP load, from its own process: ``--seconds`` of GETs of one URL by
``--concurrency`` threads (a new connection per request, as gunicorn's sync workers close
each), after ``--warmup`` seconds not counted. Prints one JSON line: requests, seconds,
requests per second, non-200 answers, median and p95 latency (ms).

    python bench/load.py http://127.0.0.1:8765/accounts/login/ --cookie sessionid=… \\
        --seconds 10 --concurrency 8

Only the standard library, so that it measures the server and not a client's imports.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def _worker(url, cookie, until_warm, until_end, out, lock):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    done, errors, latencies = 0, 0, []
    while True:
        started = time.perf_counter()
        if started >= until_end:
            break
        try:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            connection.close()
        except OSError:
            status = 0
        finished = time.perf_counter()
        if started >= until_warm and finished <= until_end:
            done += 1
            errors += status != 200
            latencies.append((finished - started) * 1000)
    with lock:
        out["requests"] += done
        out["errors"] += errors
        out["latencies"].extend(latencies)


def run(url: str, cookie: str, seconds: float, concurrency: int, warmup: float) -> dict:
    now = time.perf_counter()
    until_warm, until_end = now + warmup, now + warmup + seconds
    out = {"requests": 0, "errors": 0, "latencies": []}
    lock = threading.Lock()
    threads = [threading.Thread(target=_worker, daemon=True,
                                args=(url, cookie, until_warm, until_end, out, lock))
               for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(out["latencies"])
    return {"url": url, "requests": out["requests"], "seconds": seconds,
            "rps": out["requests"] / seconds, "errors": out["errors"],
            "median_ms": statistics.median(ordered) if ordered else None,
            "p95_ms": ordered[max(0, int(0.95 * len(ordered)) - 1)] if ordered else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=1)
    args = parser.parse_args()
    json.dump(run(args.url, args.cookie, args.seconds, args.concurrency, args.warmup),
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
