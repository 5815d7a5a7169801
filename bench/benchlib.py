"""Process, /proc and dnsperf helpers for bench/run.py (Linux only, /usr/bin/python3)."""

import os
import re
import signal
import socket
import struct
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
QTYPES = {"A": 1, "NS": 2, "SOA": 6, "TXT": 16}


def freePort():
    """A UDP+TCP port free on 127.0.0.1 right now (small race, fine on a private test box)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dnsQuery(port, name, qtype="A", timeout=0.05):
    """rcode of one UDP query to 127.0.0.1:port, or None (no answer, refused port, garbage)."""
    qid = int.from_bytes(os.urandom(2), "big")
    packet = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    packet += b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".")) + b"\0"
    packet += struct.pack(">HH", QTYPES[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.connect(("127.0.0.1", port))
            s.send(packet)
            reply = s.recv(4096)
        except OSError:
            return None
    if len(reply) < 12 or struct.unpack(">H", reply[:2])[0] != qid or not reply[2] & 0x80:
        return None
    return reply[3] & 0x0F


def procCpuSeconds(pid, userOnly=False):
    """utime+stime (+ reaped children) of pid in seconds, or None if it is gone; userOnly: utime+cutime."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = [int(x) for x in fields[11:15]]  # utime, stime, cutime, cstime
    return (ticks[0] + ticks[2] if userOnly else sum(ticks)) / CLK_TCK


def threadCpuSeconds(pid, prefix):
    """{thread name: utime+stime seconds} of pid's threads whose name starts with prefix (shund's workers
    are named shund-w0, shund-w1, ...)."""
    seconds = {}
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return seconds
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                name, rest = f.read().split("(", 1)[1].rsplit(")", 1)
        except OSError:
            continue
        if name.startswith(prefix):
            fields = rest.split()
            seconds[name] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return seconds


def threadCpuNs(pid, name):
    """CPU nanoseconds of pid's thread called name (schedstat: exact, unlike the clock ticks of stat), or None
    if pid has no such thread."""
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                if f.read().strip() != name:
                    continue
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                return int(f.read().split()[0])
        except OSError:
            continue
    return None


def procStatusKb(pid, key):
    """A "kB" field of /proc/pid/status (VmHWM, VmRSS), or 0 if it is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def procTree(pid):
    """pid and all its descendants (rbldnsd -f forks a serving child during reloads)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def treeMemoryKb(pid):
    """(sum of VmRSS, sum of Pss) over pid's process tree, in kB; Pss counts shared COW pages once."""
    rss = pss = 0
    for p in procTree(pid):
        rss += procStatusKb(p, "VmRSS")
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
        except OSError:
            pass
    return rss, pss


def stealTicks():
    """Cumulative steal ticks of all CPUs (/proc/stat), to report how noisy the VM was."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return int(fields[8]) if len(fields) > 8 else 0


def dropUser():
    """The -u argument both servers get when run as root (rbldnsd refuses to stay root)."""
    return "nobody" if os.geteuid() == 0 else None


class Server:
    """One DNSBL server process (shund or rbldnsd) on 127.0.0.1:port, optionally pinned to a CPU."""

    def __init__(self, name, argv, port, logPath, cpu=None, wrapper=()):
        self.name, self.port, self.logPath = name, port, logPath
        pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
        self.argv = pin + list(wrapper) + list(argv)
        self.proc = None
        self.started = self.ttfa = None

    def start(self):
        self.log = open(self.logPath, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def pid(self):
        return self.proc.pid

    def waitReady(self, zone, timeout=120.0, pollEvery=0.002):
        """Polls the zone's SOA; sets and returns ttfa (seconds from start to the first answer)."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %d; see %s" % (self.name, self.proc.returncode, self.logPath))
            if dnsQuery(self.port, zone, "SOA", timeout=max(pollEvery, 0.02)) is not None:
                self.ttfa = time.monotonic() - self.started
                return self.ttfa
            time.sleep(pollEvery)
        raise RuntimeError("%s did not answer within %.0f s; see %s" % (self.name, timeout, self.logPath))

    def cpuSeconds(self, userOnly=False):
        return procCpuSeconds(self.pid, userOnly)

    def peakRssKb(self):
        return procStatusKb(self.pid, "VmHWM")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=60.0):
        """SIGTERM, then SIGKILL; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def dnsperfArgv(port, queries, seconds=None, clients=8, rate=None, outstanding=None, timeout=None,
                passes=None, cpu=1):
    argv = ["taskset", "-c", str(cpu)] if cpu is not None else []
    argv += ["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d", queries, "-c", str(clients)]
    for flag, value in (("-l", seconds), ("-Q", rate), ("-q", outstanding), ("-t", timeout), ("-n", passes)):
        if value is not None:
            argv += [flag, str(value)]
    return argv


def parseDnsperf(text):
    """The numbers of a dnsperf 2.x report as a dict; raises if the report is missing."""

    def number(pattern, cast=float):
        m = re.search(pattern, text)
        if not m:
            raise RuntimeError("dnsperf output lacks %r:\n%s" % (pattern, text[-2000:]))
        return cast(m.group(1))

    result = {
        "sent": number(r"Queries sent:\s+(\d+)", int),
        "completed": number(r"Queries completed:\s+(\d+)", int),
        "lost": number(r"Queries lost:\s+(\d+)", int),
        "qps": number(r"Queries per second:\s+([\d.]+)"),
        "runtime": number(r"Run time \(s\):\s+([\d.]+)"),
        "latency": number(r"Average Latency \(s\):\s+([\d.]+)"),
        "maxLatency": number(r"Average Latency \(s\):.*max ([\d.]+)"),
        "requestSize": number(r"Average packet size:\s+request (\d+)", int),
        "responseSize": number(r"Average packet size:.*response (\d+)", int),
    }
    codes = re.search(r"Response codes:\s+(.*)", text)
    result["rcodes"] = dict((c, int(n)) for c, n in re.findall(r"(\w+) (\d+) \(", codes.group(1))) if codes else {}
    return result


def runDnsperf(argv):
    """Runs dnsperf to completion and returns its parsed report."""
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(argv), done.stdout[-2000:]))
    return parseDnsperf(done.stdout)


def rcodeMix(report):
    """The rcode shares of a dnsperf report rounded to 0.1 %, for comparing servers."""
    total = sum(report["rcodes"].values()) or 1
    return {code: round(100.0 * n / total, 1) for code, n in sorted(report["rcodes"].items())}
