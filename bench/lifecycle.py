#!/usr/bin/python3
"""Change-path figures (issues 4 and 12): how soon a `shunctl add` is served by a running shund when a big
zone is loaded next to a small one, what applying it costs shund, and the same change made the rbldnsd way
(edit the file, let rbldnsd -c 1 reload it) in the same run.

  /usr/bin/python3 bench/lifecycle.py [--lines 10000000] [--type ip4set|ip4trie|ip6trie|dnset] [--cidr]
                                      [--adds 10] [--batch 100000] [--build build] [--no-rbldnsd]

--type dnset loads a DBL-like name list (gen_lists.py) and adds names; --type ip6trie loads its IPv6 list
and adds /64 prefixes; --cidr adds /24 ranges instead of single addresses (overlaid: shund rebuilds the
dataset's ranges alone, not its single addresses).

Prints a markdown table and the command; not a test (no assertions on time).
"""

import argparse
import ipaddress
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIG, SMALL = "bl.test", "small.test"


def reverse(address, zone):
    """The name a key is asked as: an address reversed, a CIDR by its first address, a domain as it is."""
    if ":" in address:
        return ipaddress.IPv6Address(address.split("/")[0]).reverse_pointer[:-len("ip6.arpa")] + zone
    if address[0].isalpha():
        return address + "." + zone
    address = address.split("/")[0]
    return ".".join(reversed(address.split("."))) + "." + zone


def shunctl(build, spec, *args, stdin=None):
    result = subprocess.run([os.path.join(build, "shunctl"), "--zone-spec", spec, *args], input=stdin,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("shunctl %s failed: %s" % (" ".join(args[:2]), result.stderr))


def timeToServe(port, address, zone, server, timeout=30.0):
    """Seconds until address answers NOERROR (polled every millisecond); samples shund's RSS meanwhile."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if benchlib.dnsQuery(port, reverse(address, zone), "A", timeout=0.05) == 0:
            return time.monotonic() - started
        server.sampleRss()
        time.sleep(0.001)
    return float("inf")


def timeToLog(path, pattern, server, timeout=120.0):
    """Seconds until a line matching pattern is in the log at path; samples shund's RSS meanwhile."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with open(path, errors="replace") as f:
            if re.search(pattern, f.read()):
                return time.monotonic() - started
        server.sampleRss()
        time.sleep(0.01)
    return float("inf")


def reloadThreadNs(pid):
    """CPU nanoseconds the shund-reload thread has used, 0 before it exists."""
    return benchlib.threadCpuNs(pid, "shund-reload") or 0


class Watched(benchlib.Server):
    """A server whose largest RSS while changes arrive is recorded."""

    maxRssKb = 0

    def sampleRss(self):
        self.maxRssKb = max(self.maxRssKb, benchlib.procStatusKb(self.pid, "VmRSS"))


KIND = "address"  # set by main: "address", "cidr" or "name"


def addresses(prefix, count, kind=None):
    """count keys no generated zone holds, so an answer proves the change is served: addresses in
    255.<prefix*16>.0.0/12 (first octet 255 is never generated), /24 ranges there, or names under .test."""
    kind = kind or KIND
    if kind == "ip6":  # fc00::/7: gen_lists.py writes 2000::/3 only
        return ["fc%02x:%x::/64" % (prefix, i) for i in range(1, count + 1)]
    if kind == "name":
        return ["k%d-%d.bench.test" % (prefix, i) for i in range(1, count + 1)]
    if kind == "cidr":
        return ["255.%d.%d.0/24" % (prefix * 16 + (i >> 8), i & 255) for i in range(1, count + 1)]
    return ["255.%d.%d.%d" % (prefix * 16 + (i >> 16), (i >> 8) & 255, i & 255) for i in range(1, count + 1)]


def batchKind(options):
    return "name" if options.type == "dnset" else "ip6" if options.type == "ip6trie" else "address"


def measureShund(options, build, work, big, small):
    specs = {BIG: "%s:%s:%s" % (BIG, options.type, big), SMALL: "%s:%s:%s" % (SMALL, options.type, small)}
    port = benchlib.freePort()
    argv = [os.path.join(build, "shund"), "-n", "-b", "127.0.0.1/%d" % port, "-c", "600"] + list(specs.values())
    if benchlib.dropUser():
        argv[1:1] = ["-u", benchlib.dropUser()]
    figures = {}
    with Watched("shund", argv, port, os.path.join(work, "shund.log")) as server:
        server.waitReady(BIG, timeout=600)
        figures["load cpu"] = server.cpuSeconds()
        figures["rss before"] = benchlib.procStatusKb(server.pid, "VmRSS")
        for zone, prefix in ((BIG, 1), (SMALL, 2)):
            serve, cpu = [], []
            for address in addresses(prefix, options.adds):
                before = reloadThreadNs(server.pid)
                shunctl(build, specs[zone], "add", address, "--zone", zone, "--for", "1h")
                serve.append(timeToServe(port, address, zone, server))
                time.sleep(0.05)  # let the reload thread finish its bookkeeping before reading its CPU
                cpu.append((reloadThreadNs(server.pid) - before) / 1e9)
            figures[zone] = (serve, cpu)
        keys = addresses(3, options.batch, batchKind(options))
        shunctl(build, specs[BIG], "add", "-f", "-", "--zone", BIG, "--for", "1d", stdin="\n".join(keys) + "\n")
        figures["batch"] = timeToServe(port, keys[-1], BIG, server)
        # the overlay is past kMergeAt: shund-merge builds a new base in the background
        figures["merge"] = timeToLog(os.path.join(work, "shund.log"), r"merged the changes to \S*:" + re.escape(big),
                                     server)
        address = addresses(4, 1, batchKind(options))[0]
        shunctl(build, specs[BIG], "add", address, "--zone", BIG, "--for", "1h")
        figures["after merge"] = timeToServe(port, address, BIG, server)
        figures["rss after"] = benchlib.procStatusKb(server.pid, "VmRSS")
        figures["rss max"] = server.maxRssKb
    return figures


def measureRbldnsd(options, work, big, small):
    """The rbldnsd way of making a change: append to the data file; rbldnsd -c 1 notices and reloads it."""
    port = benchlib.freePort()
    argv = ["rbldnsd", "-n", "-f", "-b", "127.0.0.1/%d" % port, "-c", "1",
            "%s:%s:%s" % (BIG, options.type, big), "%s:%s:%s" % (SMALL, options.type, small)]
    if benchlib.dropUser():
        argv[1:1] = ["-u", benchlib.dropUser()]
    figures = {}
    with Watched("rbldnsd", argv, port, os.path.join(work, "rbldnsd.log")) as server:
        server.waitReady(BIG, timeout=600)
        for zone, path, prefix in ((BIG, big, 4), (SMALL, small, 5)):
            serve = []
            for address in addresses(prefix, 3, batchKind(options)):
                with open(path, "a") as f:
                    f.write(address + "\n")
                serve.append(timeToServe(port, address, zone, server, timeout=120))
            figures[zone] = serve
    return figures


def row(label, seconds):
    return "%s | %.1f ms | %.1f ms" % (label, 1000 * statistics.median(seconds), 1000 * max(seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10000000)
    parser.add_argument("--type", default="ip4set", choices=("ip4set", "ip4trie", "ip6trie", "dnset"))
    parser.add_argument("--cidr", action="store_true", help="add /24 ranges (ip4 types)")
    parser.add_argument("--adds", type=int, default=10)
    parser.add_argument("--batch", type=int, default=100000)
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    parser.add_argument("--no-rbldnsd", action="store_true")
    options = parser.parse_args()
    global KIND
    KIND = batchKind(options) if options.type in ("dnset", "ip6trie") else "cidr" if options.cidr else "address"
    build = os.path.abspath(options.build)
    work = tempfile.mkdtemp(prefix="shun-lifecycle-")
    os.chmod(work, 0o777)
    big, small = os.path.join(work, "big"), os.path.join(work, "small")
    if options.type in ("dnset", "ip6trie"):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_lists.py"), "ip6" if options.type == "ip6trie" else "dnset",
                        "--count", str(options.lines), "--out", big], check=True, capture_output=True)
    else:
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_zone.py"), "--lines", str(options.lines),
                        "--zone", BIG, "--out", big], check=True, capture_output=True)
    with open(small, "w") as f:
        f.write({"dnset": "example.com\n", "ip6trie": "2001:db8::1\n"}.get(options.type, "127.0.0.2\n"))
    for path in (big, small):
        os.chmod(path, 0o666)
    shund = measureShund(options, build, work, big, small)
    rbldnsd = None if options.no_rbldnsd else measureRbldnsd(options, work, big, small)

    print("| figure (%s, %d lines beside a 1-line zone) | median | max |" % (options.type, options.lines))
    print("|---|---|---|")
    for zone in (BIG, SMALL):
        serve, cpu = shund[zone]
        print("| shund: `shunctl add` returned -> served, %s, %d adds | %s |" % (
            zone, options.adds, row("", serve)[3:]))
        print("| shund: reload-thread CPU per add to %s | %.2f ms | %.2f ms |" % (
            zone, 1000 * statistics.median(cpu), 1000 * max(cpu)))
    print("| shund: CPU of the full initial load | %.2f s | |" % shund["load cpu"])
    print("| shund: CPU per add to %s / full load | %.2f %% | |" % (
        BIG, 100 * statistics.median(shund[BIG][1]) / shund["load cpu"]))
    print("| shund: batch of %d keys into %s returned -> last key served | %.3f s | |" % (
        options.batch, BIG, shund["batch"]))
    print("| shund: batch served -> merged into a new base in the background (shund-merge) | %.3f s | |" % (
        shund["merge"]))
    print("| shund: `shunctl add` returned -> served, %s, after the merge | %.3f s | |" % (BIG, shund["after merge"]))
    print("| shund: RSS before changes / largest while they arrived and merged / after | %d / %d / %d MiB | |" % (
        shund["rss before"] // 1024, shund["rss max"] // 1024, shund["rss after"] // 1024))
    if rbldnsd:
        for zone in (BIG, SMALL):
            print("| rbldnsd -c 1: line appended -> served, %s, 3 changes | %s |" % (zone, row("", rbldnsd[zone])[3:]))
    command = "/usr/bin/python3 bench/lifecycle.py --lines %d --type %s --adds %d --batch %d%s%s" % (
        options.lines, options.type, options.adds, options.batch, " --cidr" if options.cidr else "",
        " --no-rbldnsd" if options.no_rbldnsd else "")
    print("\nCommand: `%s`" % command)
    subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
