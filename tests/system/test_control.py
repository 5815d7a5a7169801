"""The control socket (--control): shunctl status (text and JSON), shunctl reload, and the warning of
shunctl add and show when the running shund does not serve what the zone's files say."""

import json
import os
import pwd
import stat
import subprocess
import unittest

import dns.rcode

import harness

ZONE = "bl.example"
BASE = (
    "$SOA 60 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 60\n"
    "$NS 60 ns.bl.example.\n"
    ":127.0.0.2:Listed\n"
    "127.0.0.2\n"
)


def reverse(address):
    return harness.ip4_name(address, ZONE)


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class ControlTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        self.data = self.dir.write("bl.zone", BASE)
        os.chmod(self.dir.path, 0o777)  # shunctl (root) writes journals here; shund (nobody) reads them
        self.spec = "%s:ip4trie:%s" % (ZONE, self.data)
        self.control = self.dir.file("control")
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "-c", "0",
                                                        "--control", self.control])
        self.addCleanup(self.stop)

    def stop(self):
        self.assertEqual(self.server.stop(), 0, self.server.log())

    def shunctl(self, *args, control=None):
        argv = [harness.shunctl_path(), "--zone-spec", self.spec,
                "--control", control or self.control, *args]
        return subprocess.run(argv, capture_output=True, text=True, timeout=60)

    def break_base(self):
        self.dir.write("bl.zone", BASE + "not-an-address\n")

    def test_the_socket_belongs_to_the_service_user_with_mode_0660(self):
        info = os.stat(self.control)
        self.assertTrue(stat.S_ISSOCK(info.st_mode))
        self.assertEqual(stat.S_IMODE(info.st_mode), 0o660)
        self.assertEqual(info.st_uid, pwd.getpwnam(harness.UNPRIVILEGED).pw_uid)

    def test_status_shows_version_zones_and_journal_lag_in_text_and_json(self):
        self.assertEqual(self.shunctl("add", "198.51.100.7", "--zone", ZONE).returncode, 0)
        text = self.shunctl("status")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertRegex(text.stdout, r"^shund \S+, up \d+s\n")
        self.assertRegex(text.stdout, r"zone bl\.example: serial \d+, 2 entries\n")
        self.assertRegex(text.stdout, r"journal .*bl\.zone\.journal: (\d+) of \1 bytes applied, lag 0 bytes")
        result = self.shunctl("status", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        status = json.loads(result.stdout)
        self.assertEqual([zone["zone"] for zone in status["zones"]], [ZONE])
        self.assertEqual(status["zones"][0]["entries"], 2)
        self.assertGreaterEqual(status["uptime"], 0)
        dataset = status["datasets"][0]
        self.assertEqual(dataset["zones"], [ZONE])
        self.assertFalse(dataset["previous_data"])
        self.assertGreater(dataset["journal_bytes"], 0)
        self.assertEqual(dataset["lag_bytes"], 0)

    def test_reload_serves_the_new_file_at_once_and_reports_a_broken_one(self):
        self.dir.write("bl.zone", BASE + "192.0.2.9\n")
        result = self.shunctl("reload", ZONE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("reloaded bl.example", result.stdout)
        self.assertEqual(self.server.query(reverse("192.0.2.9")).rcode(), dns.rcode.NOERROR)
        # The log line is read from shund's stderr by another thread: wait for it, do not race it.
        self.assertIsNotNone(self.server.process.wait_line("after shunctl reload", 5), self.server.log())
        self.break_base()
        result = self.shunctl("reload")
        self.assertEqual(result.returncode, 1)
        self.assertIn("bl.zone:5: ", result.stdout)
        self.assertIn("still serving the previous data", result.stdout)
        self.assertEqual(self.server.query(reverse("192.0.2.9")).rcode(), dns.rcode.NOERROR)
        status = json.loads(self.shunctl("status", "--json").stdout)
        self.assertTrue(status["datasets"][0]["previous_data"])
        self.assertEqual(status["last_reload"]["diagnostics"][0]["line"], 5)
        self.assertIn("unknown zone", self.shunctl("reload", "other.example").stderr)

    def test_add_and_show_warn_when_the_base_file_is_broken(self):
        clean = self.shunctl("add", "198.51.100.8", "--zone", ZONE)
        self.assertEqual((clean.returncode, clean.stderr), (0, ""))
        self.break_base()
        added = self.shunctl("add", "198.51.100.9", "--zone", ZONE)
        self.assertEqual(added.returncode, 0, added.stderr)
        self.assertIn("shunctl: warning: shund is still serving the previous data", added.stderr)
        shown = self.shunctl("show", "198.51.100.9", "--zone", ZONE)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("still serving the previous data", shown.stderr)

    def test_without_a_running_shund_add_says_nothing_and_status_fails(self):
        missing = self.dir.file("no-such-socket")
        added = self.shunctl("add", "198.51.100.10", "--zone", ZONE, control=missing)
        self.assertEqual((added.returncode, added.stderr), (0, ""))
        status = self.shunctl("status", control=missing)
        self.assertEqual(status.returncode, 1)
        self.assertIn("no shund answers on " + missing, status.stderr)


if __name__ == "__main__":
    unittest.main()
