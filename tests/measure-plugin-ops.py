#!/usr/bin/env python3
"""Measures plugin operations on a release build, for docs/performance.md:

- how long `stocklens plugin install` takes (validation included) for a report generator;
- how long a swap takes to reach two other worker processes after `stocklens plugin activate`
  returns, with Redis (notification) and without (database polling).

Usage (after `cargo build --release -p stocklens`, which also builds the test plugins):

    python3 tests/measure-plugin-ops.py [--swaps 20] [--redis redis://127.0.0.1:6379]

SQLite in a temporary directory; without --redis the workers poll. Prints one JSON object.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "stocklens")
FIXTURES = os.path.join(ROOT, "target", "plugins", "wasm32-wasip2", "release")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env, *args):
    started = time.perf_counter()
    out = subprocess.run([BIN, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"stocklens {' '.join(args)} failed: {out.stderr.strip()}")
    return elapsed, out.stdout


def generation(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
            return json.load(r)["plugin_generation"]
    except Exception:
        return None


def measure(redis_url, swaps):
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["STOCKLENS_DATA_DIR"] = os.path.join(tmp, "data")
        env["STOCKLENS_CACHE_DIR"] = os.path.join(tmp, "cache")
        env["STOCKLENS_LOG"] = "warn"
        if redis_url:
            env["REDIS_URL"] = redis_url
            env["STOCKLENS_REDIS_PREFIX"] = f"measure{os.getpid()}"
        run(env, "migrate")
        installs = []
        for name in ["test_probe_1.wasm", "test_probe_2.wasm"]:
            elapsed, _ = run(env, "plugin", "install", os.path.join(FIXTURES, name))
            installs.append(elapsed)
        run(env, "plugin", "activate", "test-probe@1.0.0")
        ports = [free_port(), free_port()]
        workers = [
            subprocess.Popen(
                [BIN, "serve", "--roles", "worker,web", "--web-listen", f"127.0.0.1:{port}",
                 "--outbox", os.path.join(tmp, "outbox")],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for port in ports
        ]
        try:
            deadline = time.time() + 60
            while any(generation(p) is None for p in ports):
                if time.time() > deadline:
                    raise SystemExit("the workers did not start")
                time.sleep(0.05)
            activations, latencies = [], []
            for i in range(swaps):
                before = generation(ports[0])
                target = "2.0.0" if i % 2 == 0 else "1.0.0"
                elapsed, _ = run(env, "plugin", "activate", f"test-probe@{target}")
                activations.append(elapsed)
                returned = time.perf_counter()
                seen = {}
                while len(seen) < len(ports):
                    for p in ports:
                        if p not in seen and (generation(p) or 0) > before:
                            seen[p] = time.perf_counter() - returned
                    if time.perf_counter() - returned > 10:
                        raise SystemExit("a swap did not arrive within 10 s")
                    time.sleep(0.005)
                latencies.append(max(seen.values()))
                time.sleep(0.3)
        finally:
            for w in workers:
                w.terminate()
                w.wait()
        ms = lambda xs: [round(x * 1000, 1) for x in xs]
        return {
            "install_seconds": [round(x, 3) for x in installs],
            "activate_command_ms_median": round(statistics.median(activations) * 1000, 1),
            "propagation_ms": {
                "median": round(statistics.median(latencies) * 1000, 1),
                "max": round(max(latencies) * 1000, 1),
                "all": ms(latencies),
            },
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=20)
    parser.add_argument("--redis", default=None)
    args = parser.parse_args()
    result = {"redis": bool(args.redis), **measure(args.redis, args.swaps)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
