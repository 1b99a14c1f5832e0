"""Task round trip through the real queue and a real worker: latency and throughput.

Usage: python bench/queue_roundtrip.py [--tasks 200]
Uses a throw-away HOTGIGS_HOME (embedded SQLite queue); with REDIS_URL set, Redis.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    """Start a worker, time sequential round trips, then a burst of parallel tasks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="hotgigs-bench-"))
    os.environ.setdefault("HOTGIGS_HOME", str(home))
    os.environ.setdefault("ENVIRONMENT", "development")

    from hotgigs import migrations
    from hotgigs.config import get_settings
    from hotgigs.health.tasks import ping

    migrations.upgrade()
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotgigs", "worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        ping.delay().get(timeout=60)  # warm-up: the worker is consuming
        latencies = []
        for _ in range(args.tasks):
            started = time.perf_counter()
            ping.delay().get(timeout=60, interval=0.01)
            latencies.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        results = [ping.delay() for _ in range(args.tasks)]
        for result in results:
            result.get(timeout=120, interval=0.01)
        burst = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)

    settings = get_settings()
    queue = "redis" if settings.redis_url else "embedded SQLite queue"
    quantiles = statistics.quantiles(latencies, n=100)
    print(f"queue: {queue}; worker concurrency {settings.worker_concurrency}; {args.tasks} tasks")
    print(f"round trip ms: p50 {quantiles[49]:.1f}  p95 {quantiles[94]:.1f}")
    print(f"burst throughput: {args.tasks / burst:.0f} tasks/s ({args.tasks / burst * 60:.0f}/min)")


if __name__ == "__main__":
    main()
