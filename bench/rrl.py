#!/usr/bin/python3
"""Response rate limiting measured with dnsperf against shund --rrl (figures for the README):

1. "resolver": one client (127.0.0.1) sending DNSBL misses at --resolver-rate (default 1,000/s) for
   --seconds, shund at the --rrl defaults: every answer must be full (no slip, no drop, none lost).
2. "flood": --sources dnsperf processes, each from its own 127.0.0.x (one /24, as a spoofed flood
   aimed at one victim), together offering --flood-rate queries a second, far over --rrl-rate: the full
   answers a second shund sends must stay within 10 % of the configured rate.

    /usr/bin/python3 bench/rrl.py --shund build-bench/shund [--seconds 20]

Answers are counted from shund's /metrics (UDP answers by rcode, shun_server_rate_limited_total), read
before and after each run and, for the steady state, from second 3 to 3 seconds before the end.
"""

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ZONE = "bl.test"


def metrics(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    udp = sum(int(n) for n in re.findall(r'^shun_server_queries_total\{transport="udp",rcode="[^"]+"\} (\d+)$',
                                         text, re.M))
    limited = {a: int(n) for a, n in re.findall(r'^shun_server_rate_limited_total\{action="([^"]+)"\} (\d+)$',
                                                text, re.M)}
    return {"udp": udp, "slipped": limited.get("slipped", 0), "dropped": limited.get("dropped", 0),
            "log_only": limited.get("log_only", 0), "at": time.monotonic()}


def delta(after, before):
    d = {key: after[key] - before[key] for key in after}
    d["full"] = d["udp"] - d["slipped"]  # a slip is a (truncated) UDP answer too
    return d


def writeData(directory, count):
    """A small ip4set zone and count queries for keys it does not list (NXDOMAIN, the usual DNSBL answer)."""
    zone = os.path.join(directory, "bl.test.ip4set")
    with open(zone, "w") as f:
        f.write("$SOA 3600 ns.bl.test hostmaster.bl.test 1 3600 600 86400 300\n$NS 3600 ns.bl.test\n")
        f.write(":127.0.0.2:Listed\n")
        for i in range(1000):
            f.write("10.%d.%d.1\n" % (i // 256, i % 256))
    queries = os.path.join(directory, "misses.txt")
    rng = random.Random(1)
    with open(queries, "w") as f:
        for _ in range(count):
            f.write("%d.%d.%d.11.%s A\n" % (rng.randrange(256), rng.randrange(256), rng.randrange(256), ZONE))
    os.chmod(directory, 0o755)
    for path in (zone, queries):
        os.chmod(path, 0o644)
    return zone, queries


def startShund(args, zone, extra):
    port, http = benchlib.freePort(), benchlib.freePort()
    argv = [args.shund, "-n", "-b", "127.0.0.1/%d" % port, "-c", "0", "--threads", str(args.threads),
            "--http", "127.0.0.1/%d" % http, *extra, "%s:ip4set:%s" % (ZONE, zone)]
    server = benchlib.Server("shund", argv, port, os.path.join(args.scratch, "shund-%d.log" % port), cpu=0)
    server.start()
    server.waitReady(ZONE)
    server.http = http
    return server


def dnsperf(port, queries, rate, seconds, source, out):
    argv = ["taskset", "-c", "1", "dnsperf", "-s", "127.0.0.1", "-p", str(port), "-a", source, "-d", queries,
            "-c", "1", "-Q", str(rate), "-l", str(seconds), "-q", "20000", "-t", "1"]
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)


def run(server, queries, rate, seconds, sources):
    """dnsperf from each source at rate/len(sources); metrics for the whole run and its steady middle."""
    samples = {}
    before = metrics(server.http)
    outputs = [tempfile.TemporaryFile(mode="w+") for _ in sources]
    procs = [dnsperf(server.port, queries, rate // len(sources), seconds, s, o) for s, o in zip(sources, outputs)]

    def sample(name, at):
        time.sleep(max(0, at - time.monotonic()))
        samples[name] = metrics(server.http)

    start = time.monotonic()
    threads = [threading.Thread(target=sample, args=(name, start + at)) for name, at in
               (("early", 3), ("late", seconds - 3))]
    for t in threads:
        t.start()
    for p in procs:
        p.wait()
    for t in threads:
        t.join()
    time.sleep(1.2)  # dnsperf's last timeouts
    after = metrics(server.http)
    reports = []
    for o in outputs:
        o.seek(0)
        reports.append(benchlib.parseDnsperf(o.read()))
    whole, steady = delta(after, before), delta(samples["late"], samples["early"])
    whole["seconds"] = max(r["runtime"] for r in reports)
    steady["seconds"] = samples["late"]["at"] - samples["early"]["at"]
    whole["sent"] = sum(r["sent"] for r in reports)
    whole["lost"] = sum(r["lost"] for r in reports)
    return whole, steady


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--shund", default="build-bench/shund")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--resolver-rate", type=int, default=1000)
    p.add_argument("--rrl-rate", type=int, default=2000, help="the flood run's --rrl-rate (the default)")
    p.add_argument("--flood-rate", type=int, default=8000)
    p.add_argument("--sources", type=int, default=4)
    args = p.parse_args()
    args.scratch = tempfile.mkdtemp(prefix="shun-rrl-bench-")
    zone, queries = writeData(args.scratch, 200000)

    server = startShund(args, zone, ["--rrl"])
    try:
        whole, steady = run(server, queries, args.resolver_rate, args.seconds, ["127.0.0.1"])
    finally:
        server.stop()
    print("resolver at %d misses/s for %d s, --rrl defaults: sent %d, full answers %d (%.2f %%), slipped %d, "
          "dropped %d, lost %d" % (args.resolver_rate, args.seconds, whole["sent"], whole["full"],
                                   100.0 * whole["full"] / max(1, whole["sent"]), whole["slipped"],
                                   whole["dropped"], whole["lost"]))

    server = startShund(args, zone, ["--rrl", "--rrl-rate", str(args.rrl_rate)])
    try:
        sources = ["127.0.0.%d" % (10 + i) for i in range(args.sources)]
        whole, steady = run(server, queries, args.flood_rate, args.seconds, sources)
    finally:
        server.stop()
    for name, d in (("whole run", whole), ("steady state", steady)):
        rate = d["full"] / d["seconds"]
        print("flood from %d addresses of 127.0.0.0/24 at %d q/s, --rrl-rate %d, %s (%.1f s): full answers "
              "%.0f/s (%+.1f %% of the rate), slipped %.0f/s, dropped %.0f/s" % (
                  args.sources, args.flood_rate, args.rrl_rate, name, d["seconds"], rate,
                  100.0 * (rate - args.rrl_rate) / args.rrl_rate, d["slipped"] / d["seconds"],
                  d["dropped"] / d["seconds"]))
    print("flood: dnsperf sent %d, lost (dropped by the limit) %d" % (whole["sent"], whole["lost"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
