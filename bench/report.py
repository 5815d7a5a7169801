"""Statistics, markdown tables and the results file for bench/run.py."""

import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
RESULTS_DIR = os.path.join(BENCH_DIR, "results")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values, fmt="%.1f"):
    """"median (min-max)" of the non-None values, or "-"."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return fmt % values[0]
    return "%s (%s-%s)" % (fmt % statistics.median(values), fmt % min(values), fmt % max(values))


def ratio(a, b):
    """a/b of two medians as "x.xx", or "-"."""
    if a is None or b is None or b == 0:
        return "-"
    return "%.2f" % (a / b)


def table(header, rows):
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def versionOf(argv):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
        return out.stdout.strip().splitlines()[0] if out.stdout.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine():
    """One line about the machine: CPUs, model, kernel, load average."""
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    load = " ".join("%.2f" % x for x in os.getloadavg())
    return "%d vCPU %s, Linux %s, load average %s" % (os.cpu_count(), model, platform.release(), load)


class Results:
    """Collects sections and writes bench/results/<mode>-<time>.md with the exact command."""

    def __init__(self, mode):
        self.mode = mode
        self.sections = []
        self.stamp = time.strftime("%Y%m%d-%H%M%S")
        self.command = "cd %s && %s" % (
            shlex.quote(REPO_DIR),
            shlex.join(["/usr/bin/python3", "bench/run.py"] + sys.argv[1:]),
        )
        self.machineBefore = machine()

    def add(self, title, text):
        self.sections.append((title, text))
        print("\n## %s\n\n%s" % (title, text), flush=True)

    def write(self, notes=()):
        os.makedirs(RESULTS_DIR, exist_ok=True)
        path = os.path.join(RESULTS_DIR, "%s-%s.md" % (self.mode, self.stamp))
        with open(path, "w") as f:
            f.write("# shun benchmark: %s (%s)\n\n" % (self.mode, self.stamp))
            f.write("Command:\n\n```\n%s\n```\n\n" % self.command)
            f.write("Machine before: %s\n\nMachine after: %s\n\n" % (self.machineBefore, machine()))
            for note in notes:
                f.write("- %s\n" % note)
            for title, text in self.sections:
                f.write("\n## %s\n\n%s\n" % (title, text))
        print("\nwrote %s" % path)
        return path
