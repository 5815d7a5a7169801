"""The change path: a journal change rebuilds only its dataset and is served at once; every change gives
the zone a new SOA serial that survives restarts; a broken file of one zone does not hold back another."""

import os
import re
import signal
import subprocess
import time
import unittest

import dns.rcode
import dns.rdatatype

import harness

SMALL, BIG = "small.example", "big.example"
BIG_LINES = 300000


def header(serial):
    return ("$SOA 60 ns.example. hostmaster.example. %d 600 300 86400 60\n$NS 60 ns.example.\n"
            ":127.0.0.2:Listed\n" % serial)


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class ChangePathTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shunctl (root) writes journals here; shund (nobody) reads them
        self.small = self.dir.write("small.zone", header(100) + "192.0.2.1\n")
        self.specs = ["%s:ip4set:%s" % (SMALL, self.small)]
        self.server = None

    def add_big_zone(self, lines=BIG_LINES):
        body = "".join("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(lines))
        self.big = self.dir.write("big.zone", header(200) + body)
        self.specs.append("%s:ip4set:%s" % (BIG, self.big))

    def start(self, *extra):
        self.server = harness.start_shund(self.specs, ["-u", harness.UNPRIVILEGED, "-c", "0", *extra])

    def stop(self):
        if self.server:
            self.assertEqual(self.server.stop(), 0, self.server.log())
            self.server = None

    def tearDown(self):
        self.stop()

    def shunctl(self, spec, *args):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", spec, *args],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)

    def add(self, address, zone=SMALL):
        spec = next(spec for spec in self.specs if spec.startswith(zone + ":"))
        self.shunctl(spec, "add", address, "--zone", zone, "--for", "1h", "--reason", "test")

    def wait_listed(self, address, zone=SMALL, timeout=2.0):
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.server.query(harness.ip4_name(address, zone), "A").rcode() == dns.rcode.NOERROR:
                return time.monotonic() - started
            time.sleep(0.01)
        self.fail("%s not served in %.1fs\n%s" % (address, timeout, self.server.log()))

    def serial(self, zone=SMALL):
        response = self.server.query(zone, "SOA")
        return [rrset for rrset in response.answer if rrset.rdtype == dns.rdatatype.SOA][0][0].serial

    def log_since(self, mark):
        return "\n".join(self.server.process.lines[mark:])

    def test_add_to_a_small_zone_is_served_without_reloading_the_big_zone(self):
        self.add_big_zone()
        self.start()
        self.assertIn("loaded ip4set:" + self.big, self.server.log())
        self.assertNotIn("polling journals", self.server.log(), "inotify wakes the reloader")
        mark = len(self.server.process.lines)
        self.add("198.51.100.7")
        waited = self.wait_listed("198.51.100.7")
        self.assertLess(waited, 1.0)
        self.server.process.wait_line(r"reloaded after", 2.0)
        since = self.log_since(mark)
        self.assertRegex(since, r"reloaded after a journal change in [0-9.]+ s: %s serial \d+ \(\d+ entries\)"
                         % re.escape(SMALL))
        self.assertIn("applied 1 journal record(s) to ip4set:" + self.small, since)
        self.assertNotIn("ip4set:" + self.big, since)
        self.assertEqual(self.server.query(harness.ip4_name("10.0.1.2", BIG), "A").rcode(), dns.rcode.NOERROR)

    def test_soa_serial_increases_after_an_add_and_survives_a_restart(self):
        self.start()
        self.assertEqual(self.serial(), 100)
        self.add("198.51.100.7")
        self.wait_listed("198.51.100.7")
        self.assertEqual(self.serial(), 101)
        self.stop()
        self.start()
        self.assertEqual(self.serial(), 101, "the same data keeps its serial across a restart")
        self.stop()
        self.add("198.51.100.8")  # while shund is down
        self.start()
        self.wait_listed("198.51.100.8")
        self.assertEqual(self.serial(), 102, "data changed while down: the serial moves on")

    def test_state_dir_keeps_the_serial_where_the_data_directory_is_not_writable(self):
        os.chmod(self.dir.path, 0o755)  # the service user can read the data but not write beside it
        state = os.path.join(self.dir.path, "state")
        os.mkdir(state, 0o777)
        os.chmod(state, 0o777)
        self.start("--state-dir", state)
        os.chmod(self.dir.path, 0o777)  # shunctl runs as root here, but keep the journal path writable anyway
        self.add("198.51.100.7")
        self.wait_listed("198.51.100.7")
        self.assertEqual(self.serial(), 101)
        self.stop()
        self.assertTrue(os.path.exists(os.path.join(state, "." + SMALL + ".serial")))
        self.assertFalse(os.path.exists(os.path.join(self.dir.path, "." + SMALL + ".serial")))
        self.start("--state-dir", state)
        self.assertEqual(self.serial(), 101, "the serial kept in --state-dir survives the restart")
        self.assertNotIn("cannot create", self.server.log())

    def test_a_broken_file_of_one_zone_does_not_stop_another_zones_change(self):
        self.add_big_zone(lines=10)
        self.start()
        self.dir.write("big.zone", header(201) + "10.0.0.1\nnot-an-address\n")
        mark = len(self.server.process.lines)
        self.server.reload()
        self.assertTrue(self.server.process.wait_line(r"still serving the previous data of ip4set:" + self.big,
                                                      5.0), self.server.log())
        self.assertIn("big.zone:5: invalid address", self.log_since(mark))
        self.add("198.51.100.9")
        self.wait_listed("198.51.100.9")
        self.assertEqual(self.server.query(harness.ip4_name("10.0.0.5", BIG), "A").rcode(), dns.rcode.NOERROR,
                         "the broken zone still serves its previous data")
        self.assertEqual(self.serial(BIG), 200)

    def test_a_batch_past_the_merge_threshold_is_merged_in_the_background_with_the_same_answers(self):
        self.start()
        batch = ["10.9.%d.%d" % (i // 250, i % 250 + 1) for i in range(9000)]  # past kMergeAt (8192)
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", self.specs[0], "add",
                                 "-f", "-", "--zone", SMALL, "--for", "1h"], input="\n".join(batch) + "\n",
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_listed(batch[-1], timeout=10.0)  # what this checks is the merge; batch latency is a benchmark
        serial = self.serial()
        self.assertTrue(self.server.process.wait_line(r"merged the changes to ip4set:" + self.small, 10.0),
                        self.server.log())
        self.assertEqual(self.serial(), serial, "a merge is not a new version")
        for address in batch[:3] + batch[-3:] + ["192.0.2.1"]:
            self.assertEqual(self.server.query(harness.ip4_name(address, SMALL), "A").rcode(), dns.rcode.NOERROR,
                             address)
        self.assertEqual(self.server.query(harness.ip4_name("10.9.200.1", SMALL), "A").rcode(), dns.rcode.NXDOMAIN)
        self.add("198.51.100.9")
        self.wait_listed("198.51.100.9")

    def thread_nice(self, name):
        """The nice level of shund's thread called name (field 19 of its /proc stat)."""
        for tid in os.listdir("/proc/%d/task" % self.server.pid):
            with open("/proc/%d/task/%s/stat" % (self.server.pid, tid)) as f:
                stat = f.read()
            if stat[stat.index("(") + 1:stat.rindex(")")] == name:
                return int(stat[stat.rindex(")") + 2:].split()[16])
        self.fail("no thread %s in shund" % name)

    def test_the_reload_thread_is_not_niced_and_a_full_reload_still_serves(self):
        self.start()
        self.assertEqual(self.thread_nice("shund-reload"), 0, "a change set is served before a niced thread runs")
        self.add("198.51.100.7")
        self.wait_listed("198.51.100.7")
        with open(self.small, "a") as f:  # a full load of the file: on shund-load, at nice 5
            f.write("198.51.100.8\n")
        self.server.process.signal(signal.SIGHUP)
        self.wait_listed("198.51.100.8")
        self.wait_listed("198.51.100.7")
        self.assertEqual(self.thread_nice("shund-reload"), 0)

    def test_name_changes_are_overlaid_and_a_removed_listed_name_is_merged_at_once(self):
        names = self.dir.write("names.zone", header(300) + "".join("n%d.example.com\n" % i for i in range(20000))
                               + "spam.deep.example.net :3:spam\n")
        spec = "names.example:dnset:%s" % names
        self.specs.append(spec)
        self.start()
        mark = len(self.server.process.lines)
        self.shunctl(spec, "add", "*.bad.example.org", "--zone", "names.example", "--for", "1h")
        self.wait_listed_name("x.bad.example.org.names.example")
        self.shunctl(spec, "add", "one.example.org", "--zone", "names.example", "--for", "1h")
        self.wait_listed_name("one.example.org.names.example")
        self.assertTrue(self.server.process.wait_line(r"applied 1 journal record\(s\) to dnset:", 5.0))
        self.assertNotIn("loaded dnset:", self.log_since(mark), "a name change is not a rebuild")
        self.shunctl(spec, "remove", "spam.deep.example.net", "--zone", "names.example")
        deadline = time.monotonic() + 5.0
        while self.server.query("spam.deep.example.net.names.example", "A").rcode() != dns.rcode.NXDOMAIN:
            self.assertLess(time.monotonic(), deadline, self.server.log())
            time.sleep(0.01)
        self.assertTrue(self.server.process.wait_line(r"merged the changes to dnset:", 10.0), self.server.log())
        # After the merge the emptied name above it is NXDOMAIN, as a full load says (the log line comes just
        # before the merged version is published).
        deadline = time.monotonic() + 2.0
        while self.server.query("deep.example.net.names.example", "A").rcode() != dns.rcode.NXDOMAIN:
            self.assertLess(time.monotonic(), deadline, self.server.log())
            time.sleep(0.01)
        for name in ("x.bad.example.org", "one.example.org", "n7.example.com"):
            self.assertEqual(self.server.query(name + ".names.example", "A").rcode(), dns.rcode.NOERROR, name)

    def test_ranges_and_ipv6_prefixes_are_overlaid_not_rebuilt(self):
        self.specs[0] = "%s:ip4trie:%s" % (SMALL, self.small)
        v6 = self.dir.write("v6.zone", header(400) + "2001:db8::/32 :2:wide\n2001:db8:1::/48 :3:narrow\n")
        spec6 = "v6.example:ip6trie:%s" % v6
        self.specs.append(spec6)
        self.start()
        mark = len(self.server.process.lines)
        self.shunctl(self.specs[0], "add", "10.7.0.0/16", "--zone", SMALL, "--for", "1h")
        self.wait_listed("10.7.3.4")
        self.shunctl(spec6, "add", "2001:db8:2::/48", "--zone", "v6.example", "--for", "1h")
        self.shunctl(spec6, "remove", "2001:db8:1::/48", "--zone", "v6.example")
        nibbles = ".".join(reversed("20010db80002" + "0" * 19 + "1")) + ".v6.example"
        self.wait_listed_name(nibbles)
        self.assertTrue(self.server.process.wait_line(r"applied \d+ journal record\(s\) to ip6trie:", 5.0))
        log = self.log_since(mark)
        self.assertIn("journal record(s) to ip4trie:", log)
        self.assertNotIn("loaded ip4trie:", log, "a range is not a rebuild")
        self.assertNotIn("loaded ip6trie:", log, "a prefix is not a rebuild")
        # The removed /48 answers from the /32 around it, as a full load of the folded file would.
        inside = ".".join(reversed("20010db80001" + "0" * 19 + "1")) + ".v6.example"
        deadline = time.monotonic() + 2.0
        while "wide" not in str(self.server.query(inside, "TXT").answer):
            self.assertLess(time.monotonic(), deadline, self.server.log())
            time.sleep(0.01)

    def wait_listed_name(self, name, timeout=2.0):
        deadline = time.monotonic() + timeout
        while self.server.query(name, "A").rcode() != dns.rcode.NOERROR:
            self.assertLess(time.monotonic(), deadline, "%s not served\n%s" % (name, self.server.log()))
            time.sleep(0.01)


if __name__ == "__main__":
    unittest.main()
