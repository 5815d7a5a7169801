#!/usr/bin/python3
"""Knot, NSD and BIND as secondaries of shund: how long after `shunctl add` each is current (median of 20
changes), and what each costs in memory per listed entry compared with shund.

    bench/secondaries.py --build-dir build-rel [--lines 1000000] [--servers knot,nsd,bind] [--changes 20]

For each secondary, shund serves an ip4set of --lines distinct /32s scattered over the address space (two
records each, A and TXT) and of
1000 lines; the secondary (the configuration of tests/system/test_secondaries.py: TSIG, signed NOTIFY)
transfers it, and the memory of each process tree (Pss, which counts NSD's forked children's shared
pages once, and RSS) is read once both have settled. Per entry: the difference between the two zone
sizes divided by the difference in lines. Then --changes `shunctl add` calls, one at a time: the time
from starting shunctl until the secondary answers the new serial (shund and the secondary polled every
10 ms: a tighter Python loop takes CPU from the servers it measures on a busy machine), and the CPU the
secondary's processes used meanwhile (their work for the change, and the polls).
Every wait has a deadline; every process is stopped by its pid.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import dns.message
import dns.query

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "system"))
import benchlib  # noqa: E402
import gen_zone  # noqa: E402
import test_secondaries  # noqa: E402  (the secondaries' configurations)

ZONE = "bl.test"
SMALL = 1000


def write_zone(path, lines):
    with open(path, "w", encoding="ascii") as out:
        out.write("$SOA 3600 ns.%s. hostmaster.%s. 1 600 300 86400 300\n$NS 3600 ns.%s.\n:2:listed $\n"
                  % (ZONE, ZONE, ZONE))
        for i in range(lines):  # distinct addresses scattered over the space, as a real list's are
            address = gen_zone.mix32(i)
            if address >> 8 == 0xCB0071:  # 203.0.113.0/24: where the changes go
                address ^= 1 << 31
            out.write("%d.%d.%d.%d\n" % (address >> 24, address >> 16 & 255, address >> 8 & 255, address & 255))
    os.chmod(path, 0o666)


def serial(port, timeout=0.2):
    """The zone's serial as the server on port answers it, or None."""
    try:
        answer = dns.query.udp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port, timeout=timeout)
    except Exception:  # not up, or not serving the zone yet
        return None
    if not answer.answer:
        return None
    return answer.answer[0][0].serial


def wait_serial(port, wanted, timeout, every=0.01):
    """Seconds until the server on port answers serial wanted; raises after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if serial(port) == wanted:
            return time.monotonic() - started
        time.sleep(every)
    raise RuntimeError("serial %s not reached on port %d within %.0f s" % (wanted, port, timeout))


def tree_cpu(pid):
    """CPU seconds of pid's process tree (with the children it reaped)."""
    return sum(benchlib.procCpuSeconds(p) or 0 for p in benchlib.procTree(pid))


def memory(pid):
    """(Pss, RSS) of pid's process tree in MiB."""
    rss, pss = benchlib.treeMemoryKb(pid)
    return pss / 1024, rss / 1024


class Pair:
    """shund with a zone of `lines` lines and one secondary taking it, in work."""

    def __init__(self, build, name, work, lines):
        self.build, self.name, self.work, self.lines = build, name, work, lines
        self.data = os.path.join(work, "zone")
        self.spec = "%s:ip4set:%s" % (ZONE, self.data)
        self.shund = self.secondary = None

    def __enter__(self):
        write_zone(self.data, self.lines)
        key = os.path.join(self.work, "xfr.key")
        with open(key, "w", encoding="ascii") as out:
            out.write(test_secondaries.SECRET + "\n")
        os.chmod(key, 0o600)
        if benchlib.dropUser():
            shutil.chown(key, benchlib.dropUser())
        self.port, shund_port = benchlib.freePort(), benchlib.freePort()
        argv = [os.path.join(self.build, "shund"), "-n", "-b", "127.0.0.1/%d" % shund_port,
                "--xfr-allow", "127.0.0.1", "--xfr-key", "%s hmac-sha256 %s" % (test_secondaries.KEY, key),
                "--notify", "%s 127.0.0.1/%d" % (ZONE, self.port), self.spec]
        if benchlib.dropUser():
            argv[1:1] = ["-u", benchlib.dropUser()]
        self.shund = benchlib.Server("shund", argv, shund_port, os.path.join(self.work, "shund.log"))
        self.shund.start()
        self.shund.waitReady(ZONE, timeout=300)
        _, config, command = test_secondaries.SECONDARIES[self.name]
        state = os.path.join(self.work, self.name)
        os.makedirs(state, exist_ok=True)
        conf = os.path.join(state, "secondary.conf")
        with open(conf, "w", encoding="utf-8") as out:
            out.write(config(state, self.port, shund_port, zones=(ZONE,)))
        self.secondary = benchlib.Server(self.name, command(conf), self.port, os.path.join(state, "log"))
        self.secondary.start()
        return self

    def __exit__(self, *exc):
        for server in (self.secondary, self.shund):
            if server and server.proc:
                server.stop(timeout=20)

    def transfer(self, timeout):
        """Seconds until the secondary answers shund's serial."""
        try:
            return wait_serial(self.port, serial(self.shund.port, 2), timeout, every=0.1)
        except RuntimeError:
            with open(self.secondary.logPath, encoding="utf-8", errors="replace") as log:
                sys.stderr.write("%s's log ends:\n%s" % (self.name, "".join(log.readlines()[-30:])))
            raise

    def settled_memory(self):
        time.sleep(3)  # let the secondary free its transfer buffers and write its journal
        return memory(self.secondary.pid), memory(self.shund.pid)

    def change(self, index):
        """(seconds until shund answers the new serial, until the secondary does, from starting shunctl add;
        CPU seconds the secondary's processes spent meanwhile)."""
        before = serial(self.shund.port, 2)
        cpu = tree_cpu(self.secondary.pid)
        started = time.monotonic()
        subprocess.run([os.path.join(self.build, "shunctl"), "--zone-spec", self.spec, "add",
                        "203.0.113.%d" % (index + 1), "--zone", ZONE, "--for", "1h", "--reason", "bench"],
                       check=True, capture_output=True, timeout=30)
        deadline = started + 10
        while serial(self.shund.port) in (None, before):
            if time.monotonic() > deadline:
                raise RuntimeError("shund did not take change %d" % index)
            time.sleep(0.01)
        served = time.monotonic() - started
        wait_serial(self.port, serial(self.shund.port, 2), 60)
        return served, time.monotonic() - started, tree_cpu(self.secondary.pid) - cpu


def measure(build, name, lines, changes, logs):
    result = {}
    for size in (SMALL, lines):
        work = tempfile.mkdtemp(prefix="shun-secondaries-bench-")
        os.chmod(work, 0o777)
        try:
            with Pair(build, name, work, size) as pair:
                seconds = pair.transfer(timeout=max(60, lines / 5000))
                (pss, rss), (shund_pss, shund_rss) = pair.settled_memory()
                result[size] = dict(transfer=seconds, pss=pss, rss=rss, shund_pss=shund_pss, shund_rss=shund_rss)
                if size == lines:
                    result["changes"] = [pair.change(index) for index in range(changes)]
        finally:
            if logs:
                for log in (os.path.join(work, "shund.log"), os.path.join(work, name, "log")):
                    if os.path.exists(log):
                        shutil.copy(log, os.path.join(logs, "%s-%d-%s" % (name, size, os.path.basename(log))))
            shutil.rmtree(work, ignore_errors=True)
    return result


def report(name, lines, result):
    small, big = result[SMALL], result[lines]
    per = lambda key: (big[key] - small[key]) * 1024 * 1024 / (lines - SMALL)  # noqa: E731
    latencies = sorted(change[1] for change in result["changes"])
    served = sorted(change[0] for change in result["changes"])
    cpu = statistics.median(change[2] for change in result["changes"])
    print("%s: %d-line ip4set transferred in %.1f s; Pss %.1f MiB (RSS %.1f) against %.1f MiB (%.1f) for %d "
          "lines: %.0f bytes per entry (RSS %.0f); shund %.1f MiB Pss, %.0f bytes per entry (RSS %.0f)"
          % (name, lines, big["transfer"], big["pss"], big["rss"], small["pss"], small["rss"], SMALL, per("pss"),
             per("rss"), big["shund_pss"], per("shund_pss"), per("shund_rss")))
    # NSD applies a change in a reload process that comes and goes between the samples: not counted.
    cpu_text = "" if name == "nsd" else "; %s used a median of %.0f ms of CPU a change" % (name, cpu * 1000)
    print("%s: current after shunctl add: median %.0f ms, min %.0f, max %.0f (%d changes); shund served "
          "each new serial after a median of %.0f ms (max %.0f)%s (load average %.1f)"
          % (name, statistics.median(latencies) * 1000, latencies[0] * 1000, latencies[-1] * 1000,
             len(latencies), statistics.median(served) * 1000, served[-1] * 1000, cpu_text,
             os.getloadavg()[0]))
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build-rel")
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--servers", default="knot,nsd,bind")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--logs", help="copy each run's shund and secondary logs into this directory")
    options = parser.parse_args()
    if options.logs:
        os.makedirs(options.logs, exist_ok=True)
    if options.lines > 1 << 24 or options.lines <= SMALL:
        parser.error("--lines: %d to %d" % (SMALL + 1, 1 << 24))
    build = os.path.abspath(options.build_dir)
    for name in options.servers.split(","):
        binary = test_secondaries.SECONDARIES[name][0]
        if not shutil.which(binary) and not os.path.exists("/usr/sbin/" + binary):
            print("%s: not installed, skipped" % name)
            continue
        report(name, options.lines, measure(build, name, options.lines, options.changes, options.logs))


if __name__ == "__main__":
    main()
