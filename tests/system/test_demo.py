"""The demo that scripts/run-demo serves (its DEMO_ZONES) answers what the README and run-demo promise."""

import os
import re
import shlex
import time
import unittest

import dns.rcode

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(harness.DATA_DIR)))


def demo_specs():
    """The zone specs listed in scripts/run-demo's DEMO_ZONES array (paths relative to the repository)."""
    with open(os.path.join(ROOT, "scripts", "run-demo"), encoding="utf-8") as script:
        block = re.search(r"^DEMO_ZONES=\(\n(.*?)^\)", script.read(), re.M | re.S).group(1)
    return block.split()


def printed_shunctl_commands(build_dir, data_dir):
    """The shunctl command lines that run-demo prints, with its $ROOT/$BUILD and $DATA filled in."""
    with open(os.path.join(ROOT, "scripts", "run-demo"), encoding="utf-8") as script:
        text = script.read().replace("\\\\\n", "")  # join the heredoc's continued lines
    return [shlex.split(line.replace("$ROOT/$BUILD", build_dir).replace("$DATA", data_dir))
            for line in text.split("\n") if line.strip().startswith("$ROOT/$BUILD/shunctl")]


class DemoTest(unittest.TestCase):
    def setUp(self):
        # A copy, so that the test can append to the demo files as run-demo tells the user to.
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)
        self.specs = []
        for spec in demo_specs():
            zone, kind, files = spec.split(":", 2)
            paths = []
            for path in files.split(","):
                with open(os.path.join(ROOT, path), encoding="utf-8") as source:
                    paths.append(self.zones.write(os.path.basename(path), source.read()))
            self.specs.append("%s:%s:%s" % (zone, kind, ",".join(paths)))

    def test_demo_zones_pass_check(self):
        result = harness.run_tool([harness.shund_path(), "--check", *self.specs])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_the_lookup_urls_run_demo_prints_answer_listed(self):
        with open(os.path.join(ROOT, "scripts", "run-demo"), encoding="utf-8") as script:
            paths = re.findall(r"^  curl http://127\.0\.0\.1:8053(/\S*lookup/\S+)", script.read(), re.M)
        self.assertEqual(len(paths), 2, paths)
        server = harness.start_shund(self.specs, ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = harness.http_port(server)
        for path in paths:
            with self.subTest(path=path):
                body = harness.http_request(port, "GET", path)[1]
                # both are RFC 5782 test points: listed, and the page says why
                self.assertIn('"listed":true' if "/api/" in path else "it is always listed, on purpose (RFC 5782)",
                              body)

    def test_demo_answers_the_queries_run_demo_prints(self):
        server = harness.start_shund(self.specs, ["-c", "1"])
        self.addCleanup(server.stop)
        for transport in ("udp", "tcp"):
            response = server.query("2.0.0.127.bl.example", "TXT", transport)
            self.assertEqual(response.rcode(), dns.rcode.NOERROR)
            texts = [rdata.to_text() for rrset in response.answer for rdata in rrset]
            self.assertIn("http://127.0.0.1:8053/lookup/127.0.0.2", " ".join(texts))
            self.assertEqual(server.query("1.0.0.127.bl.example", "A", transport).rcode(), dns.rcode.NXDOMAIN)
            self.assertEqual(server.query("test.dbl.example", "A", transport).rcode(), dns.rcode.NOERROR)

        # run-demo's shunctl lines, as printed: add is served within a second, show explains it, remove delists.
        name = "200.100.51.198.bl.example"
        self.assertEqual(server.query(name, "A").rcode(), dns.rcode.NXDOMAIN)
        add, show, remove = printed_shunctl_commands(harness.BUILD_DIR, self.zones.path)
        for command in (add, show):
            result = harness.run_tool(command)
            self.assertEqual(result.returncode, 0, " ".join(command) + "\n" + result.stdout + result.stderr)
        self.assertIn("spam trap hit", result.stdout)
        self.wait_for(server, name, dns.rcode.NOERROR)
        result = harness.run_tool(remove)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_for(server, name, dns.rcode.NXDOMAIN)

        # "Editing the zone files by hand works too": picked up by the -c timer.
        with open(self.zones.file("bl.example.ip4"), "a", encoding="utf-8") as zone:
            zone.write("198.51.100.201 :127.0.0.2:Listed for the demo\n")
        self.wait_for(server, "201.100.51.198.bl.example", dns.rcode.NOERROR)

    def wait_for(self, server, name, rcode, timeout=6):
        deadline = time.monotonic() + timeout
        while server.query(name, "A").rcode() != rcode:
            self.assertLess(time.monotonic(), deadline, "%s is not %s:\n%s"
                            % (name, dns.rcode.to_text(rcode), server.log()))
            time.sleep(0.1)

if __name__ == "__main__":
    unittest.main()
