"""The fail2ban action in packaging/fail2ban/ run by Debian's fail2ban: a ban lists the address in a zone
that a real shund serves, with the jail, failure count and first log line as evidence; an unban delists it.

fail2ban runs as a private instance (its own configuration directory, socket, pidfile and database under a
temporary directory, in the foreground) with one jail on a generated log file and shun's action only: the
machine's own fail2ban and firewall are never touched."""

import calendar
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

import dns.rcode

import harness

ZONE = "bl.example"
JAIL = "shun-test"
ADDRESS = "192.0.2.10"
OTHER = "192.0.2.11"
BANTIME = 600
BASE = (
    "$SOA 60 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 60\n"
    "$NS 60 ns.bl.example.\n"
    "$TTL 300\n"
    "#@policy default=7d\n"
    ":127.0.0.2:Listed, see http://127.0.0.1:8053/lookup/$\n"
    "127.0.0.2\n"
)
ACTION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packaging", "fail2ban",
                      "action.d", "shun.conf")
# A log line carries what the shell must not interpret: quotes, $(...), backticks, ;, a backslash.
FAILURE = 'auth: authentication failure from %s user "ro\'ot" $(touch x) `id`; \\ ok'


def have_fail2ban():
    return bool(shutil.which("fail2ban-server") and shutil.which("fail2ban-client"))


@unittest.skipUnless(harness.have_shund(), "shund is not built")
@unittest.skipUnless(have_fail2ban(), "fail2ban is not installed (scripts/install-deps installs it)")
class Fail2banTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shunctl (root, run by fail2ban) writes journals; shund (nobody) reads
        self.data = self.dir.write("bl.zone", BASE)
        self.spec = "%s:ip4trie:%s" % (ZONE, self.data)
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(self.server.stop)
        self.http_port = harness.http_port(self.server)
        self.f2b = tempfile.mkdtemp(prefix="shun-fail2ban-")
        self.addCleanup(shutil.rmtree, self.f2b, True)
        self.log = os.path.join(self.f2b, "auth.log")
        self.socket = os.path.join(self.f2b, "fail2ban.sock")

    def start(self, bantime=BANTIME):
        self.configure(bantime)
        self.fail2ban = self.start_fail2ban()
        self.addCleanup(self.fail2ban.stop, 15.0)  # runs before shund stops: its unbans still find shund

    def configure(self, bantime):
        """A fail2ban configuration directory with one jail, shun's action, nothing else."""
        for sub in ("action.d", "filter.d"):
            os.makedirs(os.path.join(self.f2b, sub))
        shutil.copy(ACTION, os.path.join(self.f2b, "action.d", "shun.conf"))
        self.write("fail2ban.conf",
                   "[Definition]\nloglevel = INFO\nlogtarget = STDERR\nsocket = %s\npidfile = %s\n"
                   "dbfile = %s\n" % (self.socket, os.path.join(self.f2b, "fail2ban.pid"),
                                      os.path.join(self.f2b, "fail2ban.sqlite3")))
        self.write("filter.d/%s.conf" % JAIL,
                   "[Definition]\nfailregex = ^\\s*\\S+ auth: authentication failure from <HOST>(?: .*)?$\n"
                   "datepattern = ^%%Y-%%m-%%d %%H:%%M:%%S\n")
        options = "--zone-spec %s" % self.spec
        self.write("jail.conf",
                   "[DEFAULT]\nbackend = polling\n\n[%s]\nenabled = true\nfilter = %s\nlogpath = %s\n"
                   "maxretry = 3\nfindtime = 600\nbantime = %d\nbanaction = shun\n"
                   "action = %%(banaction)s[zone=%s, shunctl=\"%s\", shunctl_opts=\"%s\"]\n"
                   % (JAIL, JAIL, self.log, bantime, ZONE, harness.shunctl_path(), options))
        with open(self.log, "w", encoding="utf-8"):
            pass

    def write(self, name, text):
        with open(os.path.join(self.f2b, name), "w", encoding="utf-8") as out:
            out.write(text)

    def start_fail2ban(self):
        argv = ["fail2ban-server", "-f", "-x", "-c", self.f2b, "-s", self.socket, "-p",
                os.path.join(self.f2b, "fail2ban.pid"), "--logtarget", "STDERR", "--loglevel", "INFO"]
        process = harness.Process(argv, "fail2ban-server")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.proc.poll() is not None:
                break
            if self.client("status", JAIL, check=False).returncode == 0:
                return process
            time.sleep(0.2)
        process.stop()
        self.fail("fail2ban did not start jail %s:\n%s" % (JAIL, process.log()))

    def client(self, *args, check=True):
        result = subprocess.run(["fail2ban-client", "-c", self.f2b, "-s", self.socket, *args],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        if check:
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result

    def fail_from(self, address, count, failure=FAILURE):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(self.log, "a", encoding="utf-8") as out:
            for _ in range(count):
                out.write("%s host %s\n" % (stamp, failure % address))

    def rcode(self, address):
        return self.server.query(harness.ip4_name(address, ZONE), "A").rcode()

    def wait_rcode(self, address, rcode, timeout):
        """Polls the DNS until address answers rcode; returns the seconds it took (or more than timeout)."""
        started = time.monotonic()
        while self.rcode(address) != rcode and time.monotonic() - started <= timeout:
            time.sleep(0.02)
        return time.monotonic() - started

    def lookup(self, path):
        return harness.http_request(self.http_port, "GET", path)

    def show(self, address):
        return subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, "show",
                               address, "--zone", ZONE], capture_output=True, text=True, timeout=30).stdout

    def expires_in(self, address):
        """Seconds from now to the listing's expiry, from shunctl show."""
        shown = self.show(address)
        expires = re.search(r"expires:\s+(\S+)", shown)
        self.assertTrue(expires, shown)
        return calendar.timegm(time.strptime(expires.group(1), "%Y-%m-%dT%H:%M:%SZ")) - time.time()

    def test_ban_lists_the_address_with_its_evidence_and_unban_delists_it(self):
        self.start()
        self.fail_from(ADDRESS, 3)
        banned = self.fail2ban.wait_line(r"\[%s\] Ban %s" % (JAIL, re.escape(ADDRESS)), 30)
        self.assertTrue(banned, self.fail2ban.log())
        waited = self.wait_rcode(ADDRESS, dns.rcode.NOERROR, 1.0)
        self.assertLessEqual(waited, 1.0, "not listed %.2fs after the ban:\n%s" % (waited, self.fail2ban.log()))
        self.assertIn(ADDRESS, self.client("status", JAIL).stdout)

        status, text = self.lookup("/api/v1/lookup/" + ADDRESS)
        self.assertEqual(status, 200, text)
        answer = json.loads(text)["zones"][0]["answers"][0]
        first = time.strftime("%Y-%m-%d")  # the line starts with its date
        evidence = answer["evidence"]
        self.assertTrue(evidence.startswith("jail %s, 3 failures, first: %s" % (JAIL, first)), evidence)
        self.assertTrue(evidence.endswith(" host " + FAILURE % ADDRESS), evidence)
        self.assertNotIn("\n", evidence)
        self.assertEqual(answer["reason"], "brute force seen by fail2ban (%s)" % JAIL)
        self.assertFalse(os.path.exists(os.path.join(self.f2b, "x")), "the log line ran in a shell")
        self.assertFalse(os.path.exists("x"), "the log line ran in a shell")
        status, page = self.lookup("/lookup/" + ADDRESS)
        self.assertEqual(status, 200)
        self.assertIn("Listed.", page)
        self.assertIn("jail %s, 3 failures, first: " % JAIL, page)
        self.assertIn("`id`; \\ ok", page)
        self.assertIn("source:        fail2ban", self.show(ADDRESS))
        self.assertAlmostEqual(self.expires_in(ADDRESS), BANTIME, delta=30)

        self.client("set", JAIL, "unbanip", ADDRESS)
        waited = self.wait_rcode(ADDRESS, dns.rcode.NXDOMAIN, 2.0)
        self.assertEqual(self.rcode(ADDRESS), dns.rcode.NXDOMAIN, self.fail2ban.log())
        self.assertLessEqual(waited, 1.0)

    def test_a_permanent_ban_lasts_the_zone_policy_default_and_a_long_line_is_cut_on_a_character(self):
        self.start(bantime=-1)
        # The line's 300th byte is the first of a two-byte character: the evidence ends before it.
        self.fail_from(ADDRESS, 3, "auth: authentication failure from %s " + "x" * 229 + "\u00e9" * 10)
        self.assertTrue(self.fail2ban.wait_line(r"Ban %s" % re.escape(ADDRESS), 30), self.fail2ban.log())
        self.assertLessEqual(self.wait_rcode(ADDRESS, dns.rcode.NOERROR, 1.0), 1.0, self.fail2ban.log())
        self.assertAlmostEqual(self.expires_in(ADDRESS), 7 * 86400, delta=30)
        status, text = self.lookup("/api/v1/lookup/" + ADDRESS)
        self.assertEqual(status, 200, text)
        evidence = json.loads(text)["zones"][0]["answers"][0]["evidence"]
        self.assertTrue(evidence.endswith(" " + "x" * 229), evidence)

    def test_unban_of_an_address_delisted_by_hand_is_not_an_error(self):
        self.start()
        self.fail_from(OTHER, 3)
        self.assertTrue(self.fail2ban.wait_line(r"Ban %s" % re.escape(OTHER), 30), self.fail2ban.log())
        self.assertLessEqual(self.wait_rcode(OTHER, dns.rcode.NOERROR, 1.0), 1.0)
        removed = subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, "remove",
                                  OTHER, "--zone", ZONE], capture_output=True, text=True, timeout=30)
        self.assertEqual(removed.returncode, 0, removed.stderr)
        self.client("set", JAIL, "unbanip", OTHER)
        self.assertTrue(self.fail2ban.wait_line(r"Unban %s" % re.escape(OTHER), 10), self.fail2ban.log())
        time.sleep(0.5)
        self.assertNotRegex(self.fail2ban.log(), r"(?i)error.*shun|actionunban.*failed", self.fail2ban.log())


if __name__ == "__main__":
    unittest.main()
