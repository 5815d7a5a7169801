#!/usr/bin/python3
"""Listing lifecycle figures (issue 4): how soon a `shunctl add` is served by a running shund on a large
zone, and how many keys per second a batch add writes.

  /usr/bin/python3 bench/lifecycle.py [--lines 1000000] [--adds 5] [--batch 100000] [--build build]

Prints a markdown table and the command; not a test (no assertions on time).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ZONE = "bl.test"


def reverse(address):
    return ".".join(reversed(address.split("."))) + "." + ZONE


def shunctl(build, spec, *args, stdin=None):
    started = time.monotonic()
    result = subprocess.run([os.path.join(build, "shunctl"), "--zone-spec", spec, *args], input=stdin,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("shunctl %s failed: %s" % (" ".join(args[:2]), result.stderr))
    return time.monotonic() - started


def timeToServe(port, address, timeout=10.0):
    """Seconds until address answers NOERROR (polled every 5 ms)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if benchlib.dnsQuery(port, reverse(address), "A", timeout=0.05) == 0:
            return time.monotonic() - started
        time.sleep(0.005)
    return float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--adds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100000)
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    options = parser.parse_args()
    build = os.path.abspath(options.build)
    work = tempfile.mkdtemp(prefix="shun-lifecycle-")
    os.chmod(work, 0o777)
    data = os.path.join(work, "zone")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_zone.py"), "--lines", str(options.lines),
                    "--zone", ZONE, "--out", data], check=True, capture_output=True)
    os.chmod(data, 0o644)
    spec = "%s:ip4trie:%s" % (ZONE, data)
    port = benchlib.freePort()
    argv = [os.path.join(build, "shund"), "-n", "-b", "127.0.0.1/%d" % port, "-c", "600", spec]
    if benchlib.dropUser():
        argv[1:1] = ["-u", benchlib.dropUser()]
    with benchlib.Server("shund", argv, port, os.path.join(work, "shund.log")) as server:
        server.waitReady(ZONE)
        serve, cli = [], []
        for i in range(options.adds):
            address = "255.1.2.%d" % (i + 1)  # first octet 15 mod 16: never in the generated zone
            cli.append(shunctl(build, spec, "add", address, "--zone", ZONE, "--for", "1h"))
            serve.append(timeToServe(port, address))
        keys = "\n".join("254.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(options.batch)) + "\n"
        batchSeconds = shunctl(build, spec, "add", "-f", "-", "--zone", ZONE, "--for", "1d", stdin=keys)
        batchServe = timeToServe(port, "254.%d.%d.%d" % ((options.batch - 1) >> 16, ((options.batch - 1) >> 8) & 255,
                                                         (options.batch - 1) & 255), timeout=30)
    command = "/usr/bin/python3 bench/lifecycle.py --lines %d --adds %d --batch %d" % (
        options.lines, options.adds, options.batch)
    print("| figure (zone of %d lines, ip4trie) | value | target |" % options.lines)
    print("|---|---|---|")
    print("| `shunctl add` returned -> served, median (max) of %d | %.2f s (%.2f s) | <= 1 s |"
          % (options.adds, statistics.median(serve), max(serve)))
    print("| `shunctl add` run time, median | %.2f s | - |" % statistics.median(cli))
    print("| batch add of %d keys | %.2f s = %.0f keys/s | >= 10k keys/s |"
          % (options.batch, batchSeconds, options.batch / batchSeconds))
    print("| batch returned -> last key served | %.2f s | - |" % batchServe)
    print("\nCommand: `%s`" % command)
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
