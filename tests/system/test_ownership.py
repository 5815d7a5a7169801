"""Who owns a zone's files: a root-run shunctl gives every file it writes the data file's owner, group
and mode, so the page (the service user) can still write them; shund names its user and what that user
cannot read or write; `shund --check` as root checks as the service user. Also shunctl's answer for an
address listed through a range, and the exclusion (`!ADDR`) it can add."""

import os
import pwd
import re
import stat
import subprocess
import time
import unittest

import dns.rcode

import harness

ZONE = "bl.example"
DATA = "#@selfremoval allowed=yes max=5 per=30d cooldown=0\n:127.0.0.2:Listed\n192.0.3.0/24 :3:range\n"


def shunctl(spec, command, *args):
    return subprocess.run([harness.shunctl_path(), "--zone-spec", spec, command, *args,
                           "--zone", ZONE],
                          capture_output=True, text=True, timeout=30)


def service_user():
    return pwd.getpwnam(harness.UNPRIVILEGED)


@unittest.skipUnless(harness.have_shund() and os.geteuid() == 0, "needs shund and root (to own files)")
class OwnershipTest(unittest.TestCase):
    def setUp(self):
        self.user = service_user()
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chown(self.dir.path, self.user.pw_uid, self.user.pw_gid)  # the service user's data directory
        self.data = self.dir.write("bl.zone", DATA)
        os.chown(self.data, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.data, 0o640)
        self.spec = "%s:ip4trie:%s" % (ZONE, self.data)

    def start(self):
        server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = harness.http_port(server)
        return server, port

    def wait_rcode(self, server, address, rcode):
        deadline = time.monotonic() + 2
        while server.query(harness.ip4_name(address, ZONE)).rcode() != rcode:
            self.assertLess(time.monotonic(), deadline, "%s never answered %s" % (address, rcode))
            time.sleep(0.02)

    def test_root_shunctl_files_belong_to_the_data_files_owner_and_the_page_can_still_remove(self):
        server, port = self.start()
        self.assertIn("running as user %s (uid %d" % (harness.UNPRIVILEGED, self.user.pw_uid), server.log())
        result = shunctl(self.spec, "add", "192.0.2.9", "--reason", "trap")
        self.assertEqual(result.returncode, 0, result.stderr)
        for suffix in (".journal", ".history", ".lock"):
            info = os.stat(self.data + suffix)
            self.assertEqual((info.st_uid, info.st_gid), (self.user.pw_uid, self.user.pw_gid), suffix)
            self.assertEqual(stat.S_IMODE(info.st_mode), 0o640, suffix)
        self.wait_rcode(server, "192.0.2.9", dns.rcode.NOERROR)
        status, page = harness.web_remove(port, "192.0.2.9", ZONE)
        self.assertEqual(status, 200, page)
        self.wait_rcode(server, "192.0.2.9", dns.rcode.NXDOMAIN)
        self.assertEqual(os.stat(self.data + ".requests").st_uid, self.user.pw_uid)
        result = shunctl(self.spec, "add", "192.0.2.10")  # root appends after the page's block
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_rcode(server, "192.0.2.10", dns.rcode.NOERROR)

    def test_a_failed_page_write_is_logged_with_its_path_and_reason(self):
        os.chown(self.data, 0, 0)  # root's data file: the service user could not give its files that owner
        os.chmod(self.data, 0o644)
        server, port = self.start()
        result = shunctl(self.spec, "add", "192.0.2.11")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.wait_rcode(server, "192.0.2.11", dns.rcode.NOERROR)
        status, page = harness.web_remove(port, "192.0.2.11", ZONE)
        self.assertEqual(status, 500, page)
        self.assertNotIn(self.data, page)  # the visitor gets a plain sentence, the log the cause
        deadline = time.monotonic() + 2
        while not re.search(re.escape(self.data) + r" belongs to root.*run it as root", server.log()):
            self.assertLess(time.monotonic(), deadline, server.log())
            time.sleep(0.05)

    def test_check_as_root_checks_as_the_service_user(self):
        secret = self.dir.write("secret.zone", "192.0.2.1\n")
        os.chmod(secret, 0o600)  # root's, unreadable for the service user
        argv = [harness.shund_path(), "--check", "-u", harness.UNPRIVILEGED, "%s:ip4set:%s" % (ZONE, secret)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("user %s (uid %d" % (harness.UNPRIVILEGED, self.user.pw_uid), result.stdout)
        self.assertIn("cannot read the zone file " + secret, result.stdout)
        os.chown(secret, self.user.pw_uid, self.user.pw_gid)
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class RangeExclusionTest(unittest.TestCase):
    def test_remove_names_the_covering_range_and_an_exclusion_carves_the_address_out(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        os.chmod(zones.path, 0o755)
        data = zones.write("bl.zone", DATA)
        spec = "%s:ip4trie:%s" % (ZONE, data)
        server = harness.start_shund([spec], ["-c", "0"])
        self.addCleanup(server.stop)
        result = shunctl(spec, "remove", "192.0.3.7")
        self.assertEqual(result.returncode, 4, result.stdout + result.stderr)
        self.assertIn("part of the entry 192.0.3.0/24", result.stdout + result.stderr)
        self.assertIn("shunctl add '!192.0.3.7'", result.stdout + result.stderr)
        result = shunctl(spec, "add", "!192.0.3.7", "--reason", "our customer")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        deadline = time.monotonic() + 2
        while server.query(harness.ip4_name("192.0.3.7", ZONE)).rcode() != dns.rcode.NXDOMAIN:
            self.assertLess(time.monotonic(), deadline, "the exclusion is not served")
            time.sleep(0.02)
        self.assertEqual(server.query(harness.ip4_name("192.0.3.8", ZONE)).rcode(), dns.rcode.NOERROR)
        shown = shunctl(spec, "show", "192.0.3.7")
        self.assertEqual(shown.returncode, 4, shown.stdout + shown.stderr)
        self.assertIn("192.0.3.7 is not listed in bl.example: the exclusion !192.0.3.7 excepts it from the entry "
                      "192.0.3.0/24", shown.stdout)
        self.assertIn("exclusion:     !192.0.3.7 (%s.journal)" % data, shown.stdout)
        self.assertIn("excepted from: 192.0.3.0/24 :3:range (%s:3)" % data, shown.stdout)
        self.assertIn("reason:        our customer", shown.stdout)
        result = shunctl(spec, "add", "!127.0.0.2")  # would delist the RFC 5782 test point
        self.assertNotEqual(result.returncode, 0)
        result = shunctl(spec, "expire")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        server.reload()
        time.sleep(0.3)
        self.assertEqual(server.query(harness.ip4_name("192.0.3.7", ZONE)).rcode(), dns.rcode.NXDOMAIN)
        shown = shunctl(spec, "show", "192.0.3.7")  # folded into the file: named by its line
        self.assertRegex(shown.stdout, r"exclusion:     !192\.0\.3\.7 \(%s:\d+\)" % re.escape(data))
