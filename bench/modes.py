"""bench/run.py modes other than throughput: --callgrind, --reload, --load."""

import os
import pwd
import re
import shutil
import signal
import subprocess
import time

import benchlib
import gen_zone
import report
from run import ZONE, makeServer


def _chownToDropUser(path):
    # The servers write as the -u user after dropping root: callgrind's dump file must be theirs.
    user = benchlib.dropUser()
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _callgrindTotal(path):
    with open(path) as f:
        text = f.read()
    m = re.search(r"^(?:totals|summary):\s+(\d+)", text, re.M)
    if not m:
        raise RuntimeError("%s has no callgrind totals (did the server exit cleanly?)" % path)
    return int(m.group(1))


# Functions whose inclusive instructions per query the shund runs report: deterministic (unlike the
# totals, which count the wake-ups a loaded machine's pace decides), so key matching and rate limiting
# are measured as differences of these between runs.
_SHUND_FUNCTIONS = (("query::answer", "shun::query::answer("),
                    ("WorkerContext::handle", "shun::server::WorkerContext::handle("),
                    ("WorkerContext::refresh", "shun::server::WorkerContext::refresh("))


def _inclusivePerQuery(path, completed):
    """{label: inclusive Ir per query} for _SHUND_FUNCTIONS, from callgrind_annotate --inclusive=yes."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True, check=True).stdout
    found = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?\S*?:(.*)", line)
        if not m:
            continue
        for label, signature in _SHUND_FUNCTIONS:
            if label not in found and m.group(2).startswith(signature):
                found[label] = int(m.group(1).replace(",", "")) / completed
    return found


BENCH_KEY = "benchkey0benchkey0benchkey0bench"  # 32 characters, as shunctl key add makes them


def _keyedFiles(data, queries):
    """--keyed: a key file with BENCH_KEY for ZONE and the same query mix as <ip>.<key>.<zone>."""
    keys = data.scratch("access.keys")
    with open(keys, "w") as out:
        out.write("bench %s 0 0 active %s\n" % (BENCH_KEY, ZONE))
    os.chmod(keys, 0o644)  # read by the -u user; a real key file is 0600
    keyed = data.scratch("queries-keyed.txt")
    with open(queries) as source, open(keyed, "w") as out:
        for line in source:
            out.write(line.replace("." + ZONE + " ", ".%s.%s " % (BENCH_KEY, ZONE), 1))
    return keys, keyed


def _callgrindRun(args, data, which, zoneFile, queries, count, extra=(), label=None):
    """Total user-space instructions of one server life under callgrind answering count queries."""
    labelOf = label or which
    out = data.scratch("callgrind-%s-%d.out" % (labelOf, count))
    open(out, "w").close()
    os.chmod(out, 0o666)
    _chownToDropUser(out)
    wrapper = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
    server = makeServer(args, data, which, "%s:%s:%s" % (ZONE, args.type, zoneFile),
                        label="%s-callgrind-%d" % (labelOf, count), extra=extra, wrapper=wrapper)
    lost = completed = 0
    with server:
        server.waitReady(ZONE, timeout=600, pollEvery=0.2)
        if count:
            argv = benchlib.dnsperfArgv(server.port, queries, clients=args.clients, rate=args.callgrind_rate,
                                        timeout=10, passes=1)
            result = benchlib.runDnsperf(argv)
            lost, completed = result["lost"], result["completed"]
    if count and which == "shund" and completed:
        _callgrindRun.inclusive[labelOf] = _inclusivePerQuery(out, completed)
    return _callgrindTotal(out), completed, lost


_callgrindRun.inclusive = {}


def callgrind(args, data, results):
    """Instructions per query by difference: a server life with N queries minus one with none."""
    zoneFile = data.zone(args.lines)
    queries = data.queries(args.lines, args.query_count, args.hit_ratio)
    rows, per = [], {}
    for which in args.servers:
        idle, _, _ = _callgrindRun(args, data, which, zoneFile, queries, 0)
        busy, completed, lost = _callgrindRun(args, data, which, zoneFile, queries, args.query_count)
        per[which] = (busy - idle) / completed if completed else None
        rows.append([which, "%.3e" % idle, "%.3e" % busy, completed, lost, "%.0f" % per[which]])
        print("%s: idle %d busy %d -> %.0f instructions/query" % (which, idle, busy, per[which]), flush=True)
    if args.keyed and "shund" in args.servers:
        # The same mix with a key label under --keyed-zone: the extra instructions of key matching.
        keys, keyedQueries = _keyedFiles(data, queries)
        extra = ("--keyed-zone", ZONE, "--key-file", keys)
        idle, _, _ = _callgrindRun(args, data, "shund", zoneFile, keyedQueries, 0, extra, "shund-keyed")
        busy, completed, lost = _callgrindRun(args, data, "shund", zoneFile, keyedQueries, args.query_count,
                                              extra, "shund-keyed")
        per["shund keyed"] = (busy - idle) / completed if completed else None
        rows.append(["shund keyed", "%.3e" % idle, "%.3e" % busy, completed, lost, "%.0f" % per["shund keyed"]])
        rows.append(["keyed - unkeyed", "", "", "", "", "%+.0f" % (per["shund keyed"] - per["shund"])])
        print("shund keyed: %.0f instructions/query (%+.0f)" % (per["shund keyed"], per["shund keyed"] - per["shund"]))
    if "rbldnsd" in per and "shund" in per:
        rows.append(["shund/rbldnsd", "", "", "", "", report.ratio(per["shund"], per["rbldnsd"])])
    header = ["server", "Ir, no queries", "Ir, N queries", "answered", "lost", "instructions/query"]
    title = "%s, %d lines, N = %d queries at -Q %d%s" % (
        args.type, args.lines, args.query_count, args.callgrind_rate,
        ", shund " + args.shund_extra if args.shund_extra else "")
    results.add("callgrind: " + title, report.table(header, rows))
    inclusive = _callgrindRun.inclusive
    if inclusive:
        labels = [label for label, _ in _SHUND_FUNCTIONS]
        table = [[run] + ["%.1f" % found[label] if label in found else "" for label in labels]
                 for run, found in inclusive.items()]
        if "shund" in inclusive and "shund-keyed" in inclusive:
            table.append(["keyed - unkeyed"] + ["%+.1f" % (inclusive["shund-keyed"][label] - inclusive["shund"][label])
                                                if label in inclusive["shund"] and label in inclusive["shund-keyed"]
                                                else "" for label in labels])
        results.add("callgrind: instructions per query inside shund's functions (inclusive; %s)" % title,
                    report.table(["run"] + labels, table))
    return ["user-space instructions only (callgrind Ir); the kernel's share of each query is not counted"]


def _stage(source, target):
    """Copies source next to target, then renames it over target (what a zone generator should do)."""
    temp = target + ".tmp"
    shutil.copyfile(source, temp)
    os.chmod(temp, 0o644)
    os.rename(temp, target)


class _ReloadWatch:
    """Samples memory, probes the SOA (longest outage) and the sentinel (new data) while dnsperf runs."""

    def __init__(self, server):
        self.server, self.started = server, time.monotonic()
        self.samples, self.hupAt, self.reloadSeconds = [], None, None
        self.lastAnswer, self.maxGap = self.started, 0.0

    def tick(self, served, staged):
        now = time.monotonic()
        # dnsperf's lost count saturates once its outstanding queries run out; the probe does not.
        if benchlib.dnsQuery(self.server.port, ZONE, "SOA", timeout=0.05) is not None:
            self.maxGap = max(self.maxGap, time.monotonic() - self.lastAnswer)
            self.lastAnswer = time.monotonic()
        self.samples.append((now - self.started, *benchlib.treeMemoryKb(self.server.pid)))
        if self.hupAt is None and now - self.started >= 2.0:
            os.rename(staged, served)
            self.server.signal(signal.SIGHUP)
            self.hupAt = time.monotonic()
        elif self.hupAt is not None and self.reloadSeconds is None:
            sentinel = gen_zone.reversedName(gen_zone.SENTINEL, ZONE)
            if benchlib.dnsQuery(self.server.port, sentinel, "A", timeout=0.05) == 0:
                self.reloadSeconds = time.monotonic() - self.hupAt

    def finish(self):
        self.maxGap = max(self.maxGap, time.monotonic() - self.lastAnswer)


def _reloadRun(args, data, label, which, extra, zoneA, zoneB, queries):
    served = data.scratch("reload-zone.txt")
    staged = served + ".next"
    _stage(zoneA, served)
    _stage(zoneB, staged)
    server = makeServer(args, data, which, "%s:%s:%s" % (ZONE, args.type, served), label=label, extra=extra)
    with server, open(data.scratch("reload-dnsperf.txt"), "w+") as output:
        server.waitReady(ZONE, timeout=600)
        argv = benchlib.dnsperfArgv(server.port, queries, args.seconds, args.clients, args.reload_rate,
                                    outstanding=args.reload_outstanding, timeout=1)
        # A file, not a pipe: dnsperf prints a line per timed-out query and would block on a full pipe.
        perf = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, text=True)
        watch = _ReloadWatch(server)
        while perf.poll() is None:
            if time.monotonic() - watch.started > args.seconds + 60:
                perf.kill()
            watch.tick(served, staged)
            time.sleep(0.05)
        watch.finish()
        output.seek(0)
        result = benchlib.parseDnsperf(output.read())
    result["maxGap"] = watch.maxGap
    steady = [s for s in watch.samples if s[0] < 2.0] or watch.samples[:1]
    return result, watch.reloadSeconds, steady, watch.samples


def reload(args, data, results):
    """Fixed-rate load while the zone is replaced by a rewritten one (rename + SIGHUP at t = 2 s)."""
    zoneA = data.zone(args.lines, seed=1)
    zoneB = data.zone(args.lines, seed=2, sentinel=True)
    queries = data.queries(args.lines, args.query_count, args.hit_ratio)
    configs = [("shund", "shund", ()), ("rbldnsd", "rbldnsd", ()), ("rbldnsd -f", "rbldnsd", ("-f",))]
    rows = []
    for label, which, extra in (c for c in configs if c[1] in args.servers):
        result, seconds, steady, samples = _reloadRun(args, data, label, which, extra, zoneA, zoneB, queries)
        steadyRss = report.median([s[1] for s in steady]) / 1024.0
        steadyPss = report.median([s[2] for s in steady]) / 1024.0
        rows.append([label, result["sent"], result["lost"], "%.2f" % (100.0 * result["lost"] / max(result["sent"], 1)),
                     "%.0f" % (1000 * result["maxLatency"]), "%.2f" % result["maxGap"], "%.2f" % seconds if seconds is not None else "not seen",
                     "%.0f" % steadyRss, "%.0f" % (max(s[1] for s in samples) / 1024.0),
                     "%.0f" % steadyPss, "%.0f" % (max(s[2] for s in samples) / 1024.0)])
        print("%s: lost %d of %d, reload %s s" % (label, result["lost"], result["sent"], seconds), flush=True)
    header = ["server", "sent", "lost", "lost %", "max latency (ms)", "longest outage (s)", "SIGHUP -> new data (s)",
              "steady RSS (MiB)", "peak RSS (MiB)", "steady PSS (MiB)", "peak PSS (MiB)"]
    results.add("Reload: %s, %d lines, dnsperf -Q %d -q %d -t 1 for %g s, SIGHUP at 2 s" % (
        args.type, args.lines, args.reload_rate, args.reload_outstanding, args.seconds), report.table(header, rows))
    return ["RSS and PSS are summed over the server's process tree (rbldnsd -f forks a serving child); "
            "PSS counts copy-on-write pages shared by parent and child once"]


def _checkRun(args, zoneSpec):
    """shund --check: (wall s, CPU s, max RSS MiB) from wait4's rusage."""
    started = time.monotonic()
    proc = subprocess.Popen([args.shund, "--check", zoneSpec], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode


def load(args, data, results):
    """Load time and peak RSS of each --load-lines size of each --load-types type."""
    rows = []
    for lines in (int(x) for x in args.load_lines.split(",")):
        for dtype in args.load_types.split(","):
            zoneFile = data.listFor(dtype, lines)
            spec = "%s:%s:%s" % (ZONE, dtype, zoneFile)
            for _ in range(args.rounds):
                if "shund" in args.servers:
                    wall, cpu, rss, rc = _checkRun(args, spec)
                    rows.append([lines, dtype, "shund --check (exit %d)" % rc, "%.2f" % wall, "%.2f" % cpu, "%.1f" % rss])
                for which in args.servers:
                    with makeServer(args, data, which, spec, label="%s-load" % which) as server:
                        ttfa = server.waitReady(ZONE, timeout=600)
                        cpu, rss = server.cpuSeconds(), server.peakRssKb() / 1024.0
                    rows.append([lines, dtype, which + " (first answer)", "%.2f" % ttfa, "%.2f" % cpu, "%.1f" % rss])
                    print("%d %s %s: %.2f s, %.1f MiB" % (lines, dtype, which, ttfa, rss), flush=True)
    header = ["lines", "type", "measured", "wall (s)", "CPU (s)", "peak RSS (MiB)"]
    results.add("Zone load", report.table(header, rows))
    return ["wall: start -> first SOA answer (server) or process exit (--check); CPU and peak RSS of the process "
            "at that moment (VmHWM) or over its life (--check, rusage)"]
