"""The query log (-l) and statistics file (-s) keep rbldnsd's line formats, checked against rbldnsd itself."""

import os
import re
import shutil
import time
import unittest

import harness

# (name, type): a listed key, an unlisted key, a TXT, a name outside every zone.
QUERIES = [("2.0.0.127.bl.example", "A"), ("1.0.0.127.bl.example", "TXT"), ("3.0.0.127.bl.example", "TXT"),
           ("example.org", "A"), ("test.dbl.example", "A")]
# time, then "client qname QTYPE QCLASS: RCODE/ancount", then the reply size (compression may differ).
LOG_LINE = re.compile(r"^(\d+) (\S+ \S+ \S+ \S+: \S+/\d+)/(\d+)$")


def writable_file(zones, name):
    """An empty file the server can append to after dropping root privileges."""
    path = zones.file(name)
    with open(path, "w", encoding="utf-8"):
        pass
    os.chmod(path, 0o666)
    return path


def wait_for_lines(path, count, timeout=5.0):
    """The log's lines, less the harness's readiness probes (SOA at the first zone's apex)."""
    deadline = time.monotonic() + timeout
    while True:
        with open(path, encoding="utf-8") as log:
            lines = [line.rstrip("\n") for line in log if line.strip() and " bl.example SOA IN: " not in line]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


class LogTest(unittest.TestCase):
    def setUp(self):
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)
        self.specs = harness.standard_specs(self.zones)

    def query_log(self, start):
        path = writable_file(self.zones, "query-%s.log" % start.__name__)
        server = start(self.specs, ["-l", "+" + path])
        self.addCleanup(server.stop)
        for name, rdtype in QUERIES:
            server.query(name, rdtype)
        return wait_for_lines(path, len(QUERIES))

    def test_query_log_lines_have_rbldnsd_format(self):
        lines = self.query_log(harness.start_shund)
        self.assertEqual(len(lines), len(QUERIES), lines)
        for line in lines:
            self.assertRegex(line, LOG_LINE)
            self.assertLess(abs(int(line.split()[0]) - time.time()), 60)
        self.assertRegex(lines[0], r" 127\.0\.0\.1 2\.0\.0\.127\.bl\.example A IN: NOERROR/1/\d+$")
        self.assertRegex(lines[1], r" 1\.0\.0\.127\.bl\.example TXT IN: NXDOMAIN/0/\d+$")

    @unittest.skipUnless(shutil.which("rbldnsd"), "Debian's rbldnsd is not installed (scripts/install-deps)")
    def test_query_log_matches_rbldnsd_apart_from_the_time(self):
        ours = [LOG_LINE.match(line).group(2) for line in self.query_log(harness.start_shund)]
        theirs = [LOG_LINE.match(line).group(2) for line in self.query_log(harness.start_rbldnsd)]
        self.assertEqual(ours, theirs)

    def test_statistics_file_has_rbldnsd_format(self):
        path = writable_file(self.zones, "stats.log")
        server = harness.start_shund(self.specs, ["-c", "1", "-s", path])
        for name, rdtype in QUERIES:
            server.query(name, rdtype)
        deadline = time.monotonic() + 5
        while "bl.example:" not in open(path, encoding="utf-8").read() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(server.stop(), 0, server.log())
        with open(path, encoding="utf-8") as stats:
            lines = [line.split() for line in stats if "bl.example:" in line]
        self.assertTrue(lines, "no statistics line written")
        zones = {field.split(":")[0]: [int(n) for n in field.split(":")[1:]] for field in lines[-1][1:]}
        self.assertIn("*", zones)
        # zone:qtot:qok:qnxd:bytes_in:bytes_out; bl.example got 3 queries, 1 NXDOMAIN, plus readiness probes.
        total, ok, nxdomain = zones["bl.example"][:3]
        self.assertGreaterEqual(total, 3)
        self.assertGreaterEqual(nxdomain, 1)
        self.assertGreaterEqual(zones["*"][0], total + 2)


if __name__ == "__main__":
    unittest.main()
