"""Running actions at the same moment, for the tests of row locks (PostgreSQL only)."""

import threading
import time

from django.db import connections


def run_together(actions, delays=None, *, timeout: float = 60) -> list:
    """Run every action in its own thread, all released together (action ``i`` then waits
    ``delays[i]`` seconds, if given); return their results in order, the exception instead
    where an action raised one. Each thread closes its own database connections."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            if delays:
                time.sleep(delays[i])
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
