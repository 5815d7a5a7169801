#!/usr/bin/env python3
"""Two shund builds and the echo floor side by side: all three loaded at once and pinned to CPU 0, then
dnsperf (closed loop, on CPU 1) against each in turn, the order rotating per cycle, so that every cycle
compares the builds and the echo under the same moment's load. Prints server CPU per answer and the
per-cycle ratios (bench/README.md, "ab_echo.py")."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ZONE = "bl.test"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base", required=True, help="shund binary A")
    p.add_argument("--new", required=True, help="shund binary B")
    p.add_argument("--echo", required=True, help="bench/floor's echo_server binary")
    p.add_argument("--zone", required=True, help="ip4trie zone file (run.py's data, e.g. zone-v1-1000000-s1.txt)")
    p.add_argument("--queries", required=True, help="dnsperf query file")
    p.add_argument("--cycles", type=int, default=12)
    p.add_argument("--seconds", type=float, default=5)
    args = p.parse_args()
    servers = {}
    for name in ("base", "new"):
        port = benchlib.freePort()
        argv = [getattr(args, name), "-n", "-b", "127.0.0.1/%d" % port, "-c", "0", "%s:ip4trie:%s" % (ZONE, args.zone)]
        servers[name] = benchlib.Server(name, argv, port, "/tmp/ab_echo-%s.log" % name, 0)
    port = benchlib.freePort()
    servers["echo"] = benchlib.Server("echo", [args.echo, "127.0.0.1/%d" % port], port, "/tmp/ab_echo-echo.log", 0)
    cpu = {name: [] for name in servers}
    order = ["base", "new", "echo"]
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.waitReady(ZONE)
        for cycle in range(args.cycles):
            for name in order[cycle % 3:] + order[:cycle % 3]:
                server = servers[name]
                before = server.cpuSeconds()
                result = benchlib.runDnsperf(benchlib.dnsperfArgv(server.port, args.queries, args.seconds))
                cpu[name].append(1e6 * (server.cpuSeconds() - before) / result["completed"])
            b, n, e = cpu["base"][-1], cpu["new"][-1], cpu["echo"][-1]
            print("cycle %d: base %.2f new %.2f echo %.2f us/answer; base/echo %.3f new/echo %.3f new/base %.3f;"
                  " load %s" % (cycle + 1, b, n, e, b / e, n / e, n / b, open("/proc/loadavg").read().split()[0]),
                  flush=True)
    finally:
        for server in servers.values():
            if server.proc:
                server.stop()
    ratio = lambda a, b: statistics.median(x / y for x, y in zip(cpu[a], cpu[b]))  # noqa: E731
    print("medians: base %.2f new %.2f echo %.2f us/answer; per-cycle ratios base/echo %.3f new/echo %.3f"
          " new/base %.3f" % (statistics.median(cpu["base"]), statistics.median(cpu["new"]),
                              statistics.median(cpu["echo"]), ratio("base", "echo"), ratio("new", "echo"),
                              ratio("new", "base")))


if __name__ == "__main__":
    main()
