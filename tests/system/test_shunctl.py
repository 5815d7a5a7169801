"""shunctl against a running shund: listings are served within a second, expire on time, survive
concurrency and SIGKILL, and export to a file that Debian's rbldnsd answers the same way."""

import os
import random
import shutil
import signal
import subprocess
import time
import unittest

import dns.rcode
import dns.rdatatype

import guards
import harness

ZONE = "bl.example"
BASE = (
    "$SOA 60 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 60\n"
    "$NS 60 ns.bl.example.\n"
    "$TTL 300\n"
    ":127.0.0.2:Listed, see http://127.0.0.1:8053/lookup/$\n"
    "#@policy default=7d window=30d factor=2 max=90d\n"
    "#@protect 192.0.2.128/25 reason=\"shared relay\"\n"
    "127.0.0.2\n"
)


def reverse(address):
    return harness.ip4_name(address, ZONE)


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class ShunctlTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.data = self.dir.write("bl.zone", BASE)
        os.chmod(self.dir.path, 0o777)  # shunctl (root) writes journals here; shund (nobody) reads them
        self.spec = "%s:ip4trie:%s" % (ZONE, self.data)
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "-c", "60"])

    def tearDown(self):
        self.server.stop()
        self.dir.cleanup()

    def shunctl(self, *args, stdin=None, check=True):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, *args], input=stdin,
                                capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def wait_rcode(self, address, rcode, timeout=1.0, transport="udp"):
        """Polls until address answers rcode; returns the response and the seconds it took."""
        started = time.monotonic()
        while True:
            response = self.server.query(reverse(address), "TXT", transport)
            waited = time.monotonic() - started
            if response.rcode() == rcode or waited > timeout:
                return response, waited
            time.sleep(0.02)

    def test_added_key_is_served_within_a_second_and_expires_on_time(self):
        for transport in ("udp", "tcp"):
            with self.subTest(transport=transport):
                address = "198.51.100.%d" % (10 if transport == "udp" else 11)
                self.shunctl("add", address, "--zone", ZONE, "--for", "3s", "--reason", "trap hits")
                response, waited = self.wait_rcode(address, dns.rcode.NOERROR, transport=transport)
                self.assertEqual(response.rcode(), dns.rcode.NOERROR, "not served after %.2fs" % waited)
                self.assertLess(waited, 1.0)
                txt = response.answer[0]
                self.assertEqual(txt[0].strings[0].decode(), "Listed, see http://127.0.0.1:8053/lookup/" + address)
                self.assertLessEqual(txt.ttl, 3, "TTL must not outlive the listing")
                time.sleep(3.1)
                response = self.server.query(reverse(address), "A", transport)
                self.assertEqual(response.rcode(), dns.rcode.NXDOMAIN)

    def test_ttl_with_a_unit_and_a_date_alone_as_the_end(self):
        self.shunctl("add", "198.51.100.25", "--zone", ZONE, "--ttl", "5m", "--until", "2099-12-31")
        response, _ = self.wait_rcode("198.51.100.25", dns.rcode.NOERROR)
        self.assertEqual(response.answer[0].ttl, 300)
        shown = self.shunctl("show", "198.51.100.25", "--zone", ZONE).stdout
        self.assertIn("expires:       2099-12-31T00:00:00Z", shown)

    def test_show_and_list_explain_a_listing(self):
        self.shunctl("add", "198.51.100.20", "--zone", ZONE, "--reason", "spam run", "--evidence", "12 trap hits",
                     "--source", "spamtrap", "--for", "2d")
        shown = self.shunctl("show", "198.51.100.20", "--zone", ZONE).stdout
        self.assertIn("198.51.100.20 is listed in bl.example", shown)
        self.assertIn('answer:        A 127.0.0.2, TXT "Listed, see http://127.0.0.1:8053/lookup/198.51.100.20"', shown)
        self.assertIn("evidence:      12 trap hits", shown)
        self.assertIn("times listed:  1", shown)
        listed = self.shunctl("list", "--zone", ZONE).stdout
        self.assertIn("198.51.100.20", listed)
        self.assertIn("spam run", listed)
        self.assertIn('"evidence":"12 trap hits"', self.shunctl("list", "--zone", ZONE, "--json").stdout)
        missing = self.shunctl("show", "198.51.100.21", "--zone", ZONE, check=False)
        self.assertEqual(missing.returncode, 4)
        self.assertIn("is not listed", missing.stdout)

    def test_protected_and_bad_keys_are_refused_and_nothing_is_written(self):
        cases = [
            (["add", "192.0.2.200", "--zone", ZONE], 3, "overlaps protected 192.0.2.128/25 (shared relay)"),
            (["add", "192.0.2.1/24", "--zone", ZONE], 2, "host bits set in 192.0.2.1/24"),
            (["add", "2001:db8::1", "--zone", ZONE], 2, "does not fit this zone's dataset type"),
            (["add", "198.51.100.1", "--zone", "nope.example"], 2, "unknown zone nope.example"),
            (["add", "198.51.100.1", "--zone", ZONE, "--until", "2020-01-01T00:00:00Z"], 2, "is in the past"),
            (["add", "198.51.100.1", "--zone", ZONE, "--for", "soon"], 2, "not a duration"),
            (["add", "198.51.100.1", "--zone", ZONE, "--for", "7"], 2, "not a duration with a unit"),
            (["add", "198.51.100.1", "--zone", ZONE, "--ttl", "5x"], 2, "--ttl 5x: not a TTL"),
            (["add", "198.51.100.1", "--zone", ZONE, "--until", "2099-13-01"], 2, "--until 2099-13-01: not a time"),
            (["remove", "127.0.0.2", "--zone", ZONE], 3, "RFC 5782 test point"),
        ]
        for args, code, message in cases:
            with self.subTest(args=args):
                result = self.shunctl(*args, check=False)
                self.assertEqual(result.returncode, code, result.stderr)
                self.assertIn(message, result.stderr)
                self.assertEqual(result.stderr.count("\n"), 1, "one line: %r" % result.stderr)
        self.assertFalse(os.path.exists(self.data + ".journal"))

    def test_concurrent_shunctl_processes_lose_nothing(self):
        addresses = ["203.0.113.%d" % i for i in range(1, 101)]
        processes = [subprocess.Popen([harness.shunctl_path(), "--zone-spec", self.spec, "add", address,
                                       "--zone", ZONE], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                     for address in addresses]
        for process in processes:
            _, errors = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, errors)
        time.sleep(1.0)
        missing = [a for a in addresses if self.server.query(reverse(a), "A").rcode() != dns.rcode.NOERROR]
        self.assertEqual(missing, [])

    def test_sigkill_during_a_batch_keeps_every_acknowledged_key(self):
        acknowledged = ["10.1.%d.%d" % (i // 250, i % 250 + 1) for i in range(1000)]
        self.shunctl("add", "-f", "-", "--zone", ZONE, stdin="\n".join(acknowledged) + "\n")
        batch = "\n".join("10.%d.%d.%d" % (2 + i // 62500, (i // 250) % 250, i % 250 + 1) for i in range(100000))
        rng = random.Random(7)
        for attempt in range(3):
            process = subprocess.Popen([harness.shunctl_path(), "--zone-spec", self.spec, "add", "-f", "-",
                                        "--zone", ZONE],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            process.stdin.write(batch.encode())
            process.stdin.close()
            time.sleep(rng.uniform(0.05, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait()
            check = subprocess.run([harness.shund_path(), "--check", self.spec], capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.server.reload()
        time.sleep(1.5)
        for address in rng.sample(acknowledged, 50) + acknowledged[:1] + acknowledged[-1:]:
            self.assertEqual(self.server.query(reverse(address), "A").rcode(), dns.rcode.NOERROR, address)

    @unittest.skipUnless(shutil.which("rbldnsd"), "rbldnsd is not installed")
    def test_exported_file_answers_the_same_in_rbldnsd(self):
        self.shunctl("add", "198.51.100.30", "198.51.100.64/27", "--zone", ZONE, "--for", "1d", "--reason", "x")
        self.shunctl("add", "198.51.100.31", "--zone", ZONE, "--code", "127.0.0.5", "--for", "1d")
        self.shunctl("add", "198.51.100.32", "--zone", ZONE, "--for", "2s")
        time.sleep(2.5)
        self.shunctl("expire", "--zone", ZONE)
        exported = self.dir.write("exported.zone", self.shunctl("export", "--zone", ZONE).stdout)
        rbldnsd = harness.start_rbldnsd(["%s:ip4trie:%s" % (ZONE, exported)])
        try:
            for address in ["127.0.0.2", "198.51.100.30", "198.51.100.31", "198.51.100.32", "198.51.100.70",
                            "198.51.100.99", "198.51.100.1"]:
                for rdtype in ("A", "TXT"):
                    with self.subTest(address=address, rdtype=rdtype):
                        ours = self.server.query(reverse(address), rdtype)
                        theirs = rbldnsd.query(reverse(address), rdtype)
                        self.assertEqual(ours.rcode(), theirs.rcode())
                        self.assertEqual(sorted(r.to_text() for rrset in ours.answer for r in rrset),
                                         sorted(r.to_text() for rrset in theirs.answer for r in rrset))
        finally:
            rbldnsd.stop()


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class ShunctlConfigTest(unittest.TestCase):
    """shunctl --config finds the zone's data file in a shund configuration written in any syntax shund
    accepts (it reads the file with shund's reader)."""

    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        self.data = self.dir.write("bl.zone", BASE)
        self.other = self.dir.write("other.zone", "127.0.0.5\n")

    def syntaxes(self):
        spec = "%s:ip4trie:%s" % (ZONE, self.data)
        other = "other.example:ip4set:" + self.other
        common = 'bind = [ "127.0.0.1/0", "::1/0" ]\nttl = "35m:1m:1d"\nforeground = true\nhide-version = 2\n'
        return {
            "double quotes": common + 'zone = "%s"\n' % spec,
            "single quotes": common + "zone = '%s'\n" % spec,
            "bare value": common + "zone = %s # comment\n" % spec,
            "one-line list": common + 'zone = [ "%s", "%s" ]\n' % (other, spec),
            "multi-line list": common + 'zone = [\n  "%s", # first\n  %s,\n]\n' % (other, spec),
            "repeated lines apart": 'zone = "%s"\n%szone = "%s"\n' % (other, common, spec),
            "two files": common + 'zone = "%s,%s"\n' % (spec, self.other),
        }

    def test_every_syntax_shund_accepts_finds_the_zone(self):
        for name, text in self.syntaxes().items():
            with self.subTest(syntax=name):
                config = self.dir.write("shund.conf", text)
                check = harness.run_tool([harness.shund_path(), "--config", config, "--check"])
                self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
                show = harness.run_tool([harness.shunctl_path(), "--config", config, "show", "127.0.0.2",
                                         "--zone", ZONE])
                self.assertEqual(show.returncode, 0, show.stdout + show.stderr)
                self.assertIn("127.0.0.2 is listed in %s" % ZONE, show.stdout)

    def test_shun_config_names_the_file_and_an_unknown_zone_is_a_bad_argument(self):
        config = self.dir.write("shund.conf", 'zone = "%s:ip4trie:%s"\n' % (ZONE, self.data))
        env = dict(os.environ, SHUN_CONFIG=config)
        show = subprocess.run([harness.shunctl_path(), "show", "127.0.0.2", "--zone", ZONE], env=env,
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(show.returncode, 0, show.stderr)
        unknown = harness.run_tool([harness.shunctl_path(), "--config", config, "show", "127.0.0.2",
                                    "--zone", "x.example"])
        self.assertEqual(unknown.returncode, 2, unknown.stderr)
        self.assertIn("unknown zone x.example", unknown.stderr)


@unittest.skipUnless(os.access(harness.shunctl_path(), os.X_OK), "shunctl is not built")
class GuardTableTest(unittest.TestCase):
    """add, import and remove run the one guard table (guards.py) and refuse alike."""

    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        self.data = self.dir.write("bl.zone", guards.ZONE_TEXT)
        self.spec = "%s:ip4trie:%s" % (guards.ZONE, self.data)

    def shunctl(self, *args):
        return subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, *args, "--zone", guards.ZONE],
                              capture_output=True, text=True, timeout=60)

    def test_each_writer_refuses_the_guard_table_the_same_way(self):
        for name, key, past, listing, delisting, words in guards.GUARDS:
            with self.subTest(guard=name):
                until = ["--until", guards.PAST] if past else []
                added = self.shunctl("add", key, *until)
                self.assertEqual(added.returncode, guards.EXIT_CODES[listing], added.stderr)
                meta = "#@ expires=%s\n" % guards.PAST if past else ""
                source = self.dir.write("import.txt", "# one entry\n" + meta + key + "\n")
                imported = self.shunctl("import", source)
                self.assertEqual(imported.returncode, guards.EXIT_CODES[listing], imported.stderr)
                if listing != "done":
                    self.assertIn(words, added.stderr)
                    line = 3 if past else 2
                    self.assertTrue(imported.stderr.startswith("%s:%d: " % (source, line)), imported.stderr)
                    self.assertEqual(imported.stderr.count("\n"), 1, imported.stderr)
                    self.assertIn(words, imported.stderr)
                if delisting:
                    removed = self.shunctl("remove", key)
                    self.assertEqual(removed.returncode, guards.EXIT_CODES[delisting], removed.stderr)
                    if delisting in ("bad", "refused"):
                        self.assertIn(words, removed.stderr)

    def test_import_writes_nothing_unless_every_line_is_valid(self):
        source = self.dir.write("import.txt", "198.51.100.1\n127.0.0.1\nnot an address\n198.51.100.2\n")
        result = self.shunctl("import", source)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual([line.split(": ")[0] for line in result.stderr.splitlines()],
                         [source + ":2", source + ":3"])
        self.assertFalse(os.path.exists(self.data + ".journal"))
        dry = self.shunctl("import", source, "--skip-invalid", "--dry-run")
        self.assertEqual(dry.returncode, 0, dry.stderr)
        self.assertIn("would import 2 entries into bl.example\nskipped 2 invalid lines\n", dry.stdout)
        self.assertFalse(os.path.exists(self.data + ".journal"))
        skipped = self.shunctl("import", source, "--skip-invalid")
        self.assertEqual(skipped.returncode, 0, skipped.stderr)
        self.assertIn("imported 2 entries into bl.example\nskipped 2 invalid lines\n", skipped.stdout)
        exported = self.shunctl("export").stdout
        self.assertIn("198.51.100.2", exported)
        self.assertNotIn("\n127.0.0.1\n", exported)

    def test_expire_dry_run_writes_nothing(self):
        self.dir.write("bl.zone", guards.ZONE_TEXT + "#@ expires=%s\n198.51.100.9\n" % guards.PAST)
        with open(self.data) as data:
            before = data.read()
        result = self.shunctl("expire", "--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("would prune 198.51.100.9 (expired 2020-01-01T00:00:00Z)", result.stdout)
        with open(self.data) as data:
            self.assertEqual(data.read(), before)


if __name__ == "__main__":
    unittest.main()
