#!/usr/bin/python3
"""shund vs rbldnsd side by side on the same synthetic zone (see bench/README.md).

Default mode: throughput. Each round starts one server pinned to CPU 0, measures its time to first
answer, loads it with dnsperf pinned to CPU 1 (saturating and/or at fixed rates), records server CPU
per answered query and peak RSS, stops it, then does the same for the other server; the order
alternates between rounds. Other modes: --smoke, --callgrind, --reload, --load (bench/modes.py).
This is a measurement, not a test: nothing here asserts a timing.
"""

import argparse
import os
import shlex
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
import gen_lists  # noqa: E402
import gen_zone  # noqa: E402
import report  # noqa: E402

ZONE = "bl.test"
DATA_VERSION = 1  # bump when gen_zone.py changes what it writes


def findShund(explicit):
    if explicit:
        return os.path.abspath(explicit)
    for build in ("build-bench", "build"):
        path = os.path.join(report.REPO_DIR, build, "shund")
        if os.access(path, os.X_OK):
            return path
    sys.exit("run.py: no shund binary; build it (see bench/README.md) or pass --shund")


class Data:
    """Cached zone and query files under --data-dir (readable by nobody for rbldnsd -u)."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        os.chmod(directory, 0o755)

    def _cached(self, name, write):
        path = os.path.join(self.directory, name)
        if not os.path.exists(path):
            started = time.monotonic()
            temp = path + ".tmp"
            write(temp)
            os.chmod(temp, 0o644)
            os.rename(temp, path)
            print("generated %s in %.1f s" % (path, time.monotonic() - started), flush=True)
        return path

    def zone(self, lines, seed=1, sentinel=False):
        name = "zone-v%d-%d-s%d%s.txt" % (DATA_VERSION, lines, seed, "-sentinel" if sentinel else "")
        return self._cached(name, lambda p: gen_zone.writeZone(p, lines, seed, ZONE, sentinel))

    def names(self, count, seed=1):
        """A DBL-like dnset of count names (gen_lists.py)."""
        return self._cached("names-v1-%d-s%d.txt" % (count, seed), lambda p: gen_lists.writeNames(p, count, seed))

    def ip6(self, count, seed=1):
        """An IPv6 list of count prefixes, /64, /48 and /128 (gen_lists.py)."""
        return self._cached("ip6-v2-%d-s%d.txt" % (count, seed), lambda p: gen_lists.writeIp6(p, count, seed))

    def listFor(self, dtype, count):
        """The generated file a dataset type of that size loads."""
        if dtype == "dnset":
            return self.names(count)
        if dtype.startswith("ip6"):
            return self.ip6(count)
        return self.zone(count)

    def queries(self, lines, count, hitRatio, seed=1):
        name = "queries-v%d-%d-s%d-%d-h%g.txt" % (DATA_VERSION, lines, seed, count, hitRatio)
        return self._cached(name, lambda p: gen_zone.writeQueries(p, lines, seed, ZONE, count, hitRatio))

    def scratch(self, name):
        path = os.path.join(self.directory, "run", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.chmod(os.path.dirname(path), 0o777)
        return path


def serverArgv(args, which, zoneSpec, port, extra=()):
    """Command line of shund or rbldnsd serving zoneSpec on 127.0.0.1/port, timers off."""
    if which == "echo":
        return [args.echo, "127.0.0.1/%d" % port]  # the kernel's floor: no zone, no options
    user = benchlib.dropUser()
    if which == "shund":
        argv = [args.shund, "-n", "-b", "127.0.0.1/%d" % port, "-c", "0"]
        if args.threads > 0:  # 0: shund's default, one worker per CPU it may use (here the one it is pinned to)
            argv += ["--threads", str(args.threads)]
    else:
        argv = ["rbldnsd", "-n", "-b", "127.0.0.1/%d" % port, "-c", "0"]
    if user and (which != "shund" or args.shund_user):
        argv += ["-u", user]
    if which == "shund":
        argv += shlex.split(getattr(args, "shund_extra", "") or "")
    return argv + list(extra) + [zoneSpec]


def makeServer(args, data, which, zoneSpec, label=None, extra=(), cpu=0, wrapper=()):
    port = benchlib.freePort()
    label = label or which
    log = data.scratch("%s.log" % label.replace(" ", "_"))
    return benchlib.Server(label, serverArgv(args, which, zoneSpec, port, extra), port, log, cpu, wrapper)


def measureLoad(server, argv):
    """Runs one dnsperf load against a started server: its report plus server CPU per answer."""
    before, userBefore = server.cpuSeconds(), server.cpuSeconds(userOnly=True)
    workersBefore = benchlib.threadCpuSeconds(server.pid, "shund-w")
    result = benchlib.runDnsperf(argv)
    after, userAfter = server.cpuSeconds(), server.cpuSeconds(userOnly=True)
    workersAfter = benchlib.threadCpuSeconds(server.pid, "shund-w")
    perAnswer = (1e6 / result["completed"]) if result["completed"] else None
    result["cpuUs"] = perAnswer and perAnswer * (after - before)
    result["userUs"] = perAnswer and perAnswer * (userAfter - userBefore)  # the rest is the kernel's
    # Each shund worker's share of the workers' CPU: with --threads 2 neither may sit idle.
    used = {name: workersAfter[name] - workersBefore.get(name, 0) for name in workersAfter}
    total = sum(used.values())
    result["workerShares"] = {name: used[name] / total for name in sorted(used)} if total else {}
    return result


def _loadRows(servers, rates, samples):
    """Table rows per server and rate: medians (ranges) of qps and CPU per answer, then the ratio row."""
    rows = []
    for rate in rates:
        med = {s: {k: report.median([x[k] for x in samples[(s, rate)]]) for k in ("qps", "cpuUs", "userUs")}
               for s in servers}
        for s in servers:
            runs = samples[(s, rate)]
            rows.append([s, rate or "max (closed loop)", report.spread([x["qps"] for x in runs], "%.0f"),
                         report.spread([x["cpuUs"] for x in runs], "%.2f"),
                         report.spread([x["userUs"] for x in runs], "%.2f"), sum(x["lost"] for x in runs),
                         sum(x["completed"] for x in runs)])
        for s in _comparedWithRbldnsd(servers):
            rows.append(["%s/rbldnsd" % s, rate or "max", report.ratio(med[s]["qps"], med["rbldnsd"]["qps"]),
                         report.ratio(med[s]["cpuUs"], med["rbldnsd"]["cpuUs"]),
                         report.ratio(med[s]["userUs"], med["rbldnsd"]["userUs"]), "", ""])
        for s in _comparedWithEcho(servers):  # issue 15.8: shund's CPU per query against the kernel's floor
            rows.append(["%s/echo" % s, rate or "max", "", report.ratio(med[s]["cpuUs"], med["echo"]["cpuUs"]),
                         report.ratio(med[s]["userUs"], med["echo"]["userUs"]), "", ""])
            # Each round runs the two servers back to back, so a round's ratio cancels slow changes of
            # the machine's load that the medians of whole columns keep.
            rounds = _perRoundRatios(samples[(s, rate)], samples[("echo", rate)])
            rows.append(["%s/echo, per round" % s, rate or "max", "",
                         report.spread([r[0] for r in rounds], "%.2f"),
                         report.spread([r[1] for r in rounds], "%.2f"), "", ""])
    return rows


def _perRoundRatios(runs, echoRuns):
    """(CPU, user CPU) ratio of each round's run to the echo's run of the same round."""
    return [(a["cpuUs"] / b["cpuUs"] if a["cpuUs"] and b["cpuUs"] else None,
             a["userUs"] / b["userUs"] if a["userUs"] and b["userUs"] else None) for a, b in zip(runs, echoRuns)]


def _comparedWithEcho(servers):
    """The servers that get a CPU ratio row against the echo floor, when echo ran too."""
    return [s for s in servers if s != "echo"] if "echo" in servers else []


def _comparedWithRbldnsd(servers):
    """The servers that get a ratio row: every one but rbldnsd, when rbldnsd ran too."""
    return [s for s in servers if s != "rbldnsd"] if "rbldnsd" in servers else []


def _startRows(servers, ttfa, hwm):
    rows = [[s, report.spread([1000 * t for t in ttfa[s]], "%.0f"), report.spread(hwm[s], "%.1f")] for s in servers]
    for s in _comparedWithRbldnsd(servers):
        rows.append(["%s/rbldnsd" % s, report.ratio(report.median(ttfa[s]), report.median(ttfa["rbldnsd"])),
                     report.ratio(report.median(hwm[s]), report.median(hwm["rbldnsd"]))])
    return rows


def _serverRound(args, data, which, zoneFile, queries, rates, rnd):
    """One server life: (time to first answer, [dnsperf sample per rate], peak RSS MiB)."""
    runs = []
    with makeServer(args, data, which, "%s:%s:%s" % (ZONE, args.type, zoneFile)) as server:
        ttfa = server.waitReady(ZONE)
        for rate in rates:
            sample = measureLoad(server, benchlib.dnsperfArgv(server.port, queries, args.seconds, args.clients, rate))
            runs.append(sample)
            print("round %d %-8s %-6s %8.0f qps %6.2f us/q lost %d" % (
                rnd + 1, which, rate or "max", sample["qps"], sample["cpuUs"] or 0, sample["lost"]), flush=True)
        hwm = server.peakRssKb() / 1024.0
    return ttfa, runs, hwm


def throughput(args, data, results):
    """Alternating rounds of saturating and fixed-rate dnsperf loads against both servers."""
    zoneFile = data.zone(args.lines)
    queries = data.queries(args.lines, args.query_count, args.hit_ratio)
    servers = args.servers
    rates = [None if r == "max" else int(r) for r in args.rates.split(",")]
    samples = {(s, r): [] for s in servers for r in rates}
    ttfa, hwm, mixes = {s: [] for s in servers}, {s: [] for s in servers}, {}
    stealBefore = benchlib.stealTicks()
    for rnd in range(args.rounds):
        for which in servers if rnd % 2 == 0 else servers[::-1]:
            first, runs, peak = _serverRound(args, data, which, zoneFile, queries, rates, rnd)
            ttfa[which].append(first)
            hwm[which].append(peak)
            for rate, sample in zip(rates, runs):
                samples[(which, rate)].append(sample)
                mixes.setdefault(which, (benchlib.rcodeMix(sample), sample["responseSize"]))
    steal = (benchlib.stealTicks() - stealBefore) / benchlib.CLK_TCK
    header = ["server", "dnsperf -Q", "queries/s", "server CPU us/answer", "of which user space", "lost",
              "answered"]
    results.add("Load: %s, %d lines, %d rounds x %g s, dnsperf -c %d" % (
        args.type, args.lines, args.rounds, args.seconds, args.clients),
        report.table(header, _loadRows(servers, rates, samples)))
    results.add("Start-up and memory", report.table(
        ["server", "time to first answer (ms)", "peak RSS (MiB)"], _startRows(servers, ttfa, hwm)))
    notes = ["rcode mix and response size per server: %s" % mixes, "CPU steal during the runs: %.1f s" % steal]
    if args.threads > 1 and "shund" in servers:
        for rate in rates:
            shares = [", ".join("%s %.0f %%" % (name, 100 * share) for name, share in run["workerShares"].items())
                      for run in samples[("shund", rate)]]
            notes.append("shund worker CPU shares at %s, per round: %s" % (rate or "max", "; ".join(shares)))
    if not _sameAnswers([mix for which, mix in mixes.items() if which != "echo"]):
        notes.append("WARNING: the servers gave different rcode mixes or response sizes; CPU/answer is not comparable")
    return notes


def _sameAnswers(mixes):
    """True if every (rcode shares, response size) matches the first: sizes exactly, shares within 0.5 %
    (a few answers still in flight when dnsperf stops move the last digit)."""
    first = mixes[0] if mixes else None
    return all(size == first[1] and set(mix) == set(first[0]) and all(abs(mix[c] - first[0][c]) <= 0.5 for c in mix)
               for mix, size in mixes)


def parseArgs(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group()
    for name in ("smoke", "callgrind", "reload", "load"):
        mode.add_argument("--" + name, action="store_true", help="see bench/README.md")
    p.add_argument("--lines", type=int, help="zone lines (default: 1M; --smoke 20k; --callgrind 100k; --reload 5M)")
    p.add_argument("--type", default="ip4trie", choices=("ip4trie", "ip4set"), help="dataset type served")
    p.add_argument("--rounds", type=int, help="rounds per server (default 3; --smoke, --load, --reload 1)")
    p.add_argument("--seconds", type=float, help="dnsperf seconds per load (default 10; --smoke 2; --reload 15)")
    p.add_argument("--rates", help="comma list: max (closed loop) and/or dnsperf -Q rates (default max,20000)")
    p.add_argument("--clients", type=int, default=8, help="dnsperf -c: client sockets")
    p.add_argument("--query-count", type=int, help="queries in the query file (default 200000)")
    p.add_argument("--hit-ratio", type=float, default=0.3, help="share of listed keys among queries")
    p.add_argument("--servers", default="shund,rbldnsd",
                   help="comma list of servers to run: shund, rbldnsd, and echo (throughput only: a datagram "
                        "echo with shund's receive loop, the kernel's floor)")
    p.add_argument("--threads", type=int, default=1, help="shund --threads (server pinned to CPU 0); 0: shund's default")
    p.add_argument("--shund", help="shund binary (default build-bench/shund, then build/shund)")
    p.add_argument("--shund-user", action="store_true", help="also give shund -u nobody when root")
    p.add_argument("--shund-extra", default="", help="more shund options, e.g. --shund-extra=--rrl (split as sh does)")
    p.add_argument("--load-lines", default="1000000,5000000", help="--load: zone sizes")
    p.add_argument("--load-types", default="ip4set,ip4trie",
                   help="--load: dataset types, of ip4set, ip4trie, dnset (gen_lists.py names), ip6trie (gen_lists.py "
                        "IPv6 prefixes)")
    p.add_argument("--callgrind-rate", type=int, default=2000, help="--callgrind: dnsperf -Q")
    p.add_argument("--keyed", action="store_true",
                   help="--callgrind: also shund with --keyed-zone, the same queries as <ip>.<key>.<zone>")
    p.add_argument("--reload-outstanding", type=int, default=60000, help="--reload: dnsperf -q")
    p.add_argument("--reload-rate", type=int, default=20000, help="--reload: dnsperf -Q")
    p.add_argument("--data-dir", default="/var/tmp/shun-bench", help="cache of generated zones and queries")
    p.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    args = p.parse_args(argv)
    smoke = args.smoke
    single = smoke or args.load or args.reload
    defaults = {"lines": 20000 if smoke else 100000 if args.callgrind else 5000000 if args.reload else 1000000,
                "rounds": 1 if single else 3, "seconds": 2 if smoke else 15 if args.reload else 10,
                "rates": "max" if smoke else "max,20000",
                "query_count": 20000 if args.callgrind or smoke else 200000}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.servers = tuple(s for s in ("shund", "rbldnsd", "echo") if s in args.servers.split(","))
    if not args.servers:
        p.error("--servers names none of shund, rbldnsd, echo")
    if "echo" in args.servers and (args.smoke or args.callgrind or args.reload or args.load):
        p.error("--servers echo is for the throughput mode only")
    args.shund = findShund(args.shund) if "shund" in args.servers or "echo" in args.servers else None
    args.echo = os.path.join(os.path.dirname(args.shund), "bench", "echo_server") if args.shund else None
    return args


def main(argv):
    args = parseArgs(argv)
    import modes  # noqa: E402 (keeps the throughput path importable alone)

    data = Data(args.data_dir)
    name = next((m for m in ("smoke", "callgrind", "reload", "load") if getattr(args, m)), "throughput")
    results = report.Results(name)
    run = {"callgrind": modes.callgrind, "reload": modes.reload, "load": modes.load}.get(name, throughput)
    notes = run(args, data, results) or []
    notes.append("shund: %s; rbldnsd: Debian %s; dnsperf %s" % (
        args.shund, report.versionOf(["dpkg-query", "-W", "-f=${Version}", "rbldnsd"]),
        report.versionOf(["dpkg-query", "-W", "-f=${Version}", "dnsperf"])))
    for note in notes:
        print("- " + note)
    if not args.no_write:
        results.write(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
