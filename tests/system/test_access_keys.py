"""Keyed zones (--keyed-zone): <ip>.<key>.<zone> queries with keys made by shunctl key, directly over UDP
and TCP and through Debian's unbound with QNAME minimisation and use-caps-for-id; refusals, quotas,
reloads, metrics by id, and a query log that never shows a key."""

import os
import pwd
import shutil
import signal
import subprocess
import time
import unittest

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

import harness

ZONE = "bl.example"
DATA = ("$SOA 3600 ns1.bl.example. hostmaster.bl.example. 1 600 300 86400 300\n$NS 3600 ns1.bl.example\n"
        ":127.0.0.2:Listed: see https://bl.example/$\n127.0.0.2\n10.0.0.0/24\n")


def shunctl(*args, check=True):
    result = subprocess.run([harness.shunctl_path(), *args], capture_output=True, text=True,
                            timeout=10)
    if check and result.returncode != 0:
        raise AssertionError("shunctl %s: %d %s" % (" ".join(args), result.returncode, result.stderr))
    return result


def addresses(response):
    return [rdata.to_text() for rrset in response.answer if rrset.rdtype == dns.rdatatype.A for rdata in rrset]


class KeyedZone:
    """A zone dir owned by the server user with a key file made by shunctl, and shund serving it keyed."""

    def __init__(self, options=()):
        self.dir = harness.ZoneDir()
        self.data = self.dir.write("bl.ip4set", DATA)
        self.keys = self.dir.file("access.keys")
        entry = pwd.getpwnam(harness.UNPRIVILEGED)
        os.chown(self.dir.path, entry.pw_uid, entry.pw_gid)  # the service user's data dir: shunctl gives it the key file
        self.key = {}
        self.add("partner", "--daily-quota", "0")
        self.add("quota", "--daily-quota", "2")
        self.add("gone")
        shunctl("key", "--key-file", self.keys, "revoke", "gone")
        self.add("old", "--until", "2001-01-01")
        self.log = self.dir.file("queries.log")
        self.server = harness.start_shund(
            ["%s:ip4set:%s" % (ZONE, self.data), "open.example:ip4set:%s" % self.data],
            ["-u", harness.UNPRIVILEGED, "--keyed-zone", ZONE, "-l", "+" + self.log, "--http", "127.0.0.1/0",
             *options])
        self.http = harness.http_port(self.server)

    def add(self, key_id, *options):
        result = shunctl("key", "--key-file", self.keys, "add", key_id, "--zone", ZONE, *options)
        self.key[key_id] = result.stdout.strip()

    def metrics(self):
        return harness.http_request(self.http, "GET", "/metrics")[1]

    def stop(self):
        status = self.server.stop()
        self.dir.cleanup()
        return status


class AccessKeyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.zone = KeyedZone()

    @classmethod
    def tearDownClass(cls):
        log = cls.zone.server.log()
        if cls.zone.stop() != 0:
            raise AssertionError("shund did not exit cleanly:\n" + log)

    def ask(self, name, rdtype="A", transport="udp"):
        return self.zone.server.query(name, rdtype, transport)

    def test_the_key_file_is_private_and_keys_are_long_random_lower_case(self):
        self.assertEqual(os.stat(self.zone.keys).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(self.zone.keys).st_uid, pwd.getpwnam(harness.UNPRIVILEGED).pw_uid)
        self.assertRegex(self.zone.key["partner"], r"^[a-z0-9]{32}$")
        self.assertNotEqual(self.zone.key["partner"], self.zone.key["quota"])

    def test_a_correct_key_answers_in_any_case_over_udp_and_tcp(self):
        key = self.zone.key["partner"]
        for name in ("5.0.0.10.%s.%s" % (key, ZONE), "5.0.0.10.%s.BL.Example" % key.upper()):
            for transport in ("udp", "tcp"):
                response = self.ask(name, "A", transport)
                self.assertEqual(response.rcode(), dns.rcode.NOERROR, name)
                self.assertEqual(addresses(response), ["127.0.0.2"])
        txt = self.ask("5.0.0.10.%s.%s" % (key, ZONE), "TXT")
        self.assertIn("https://bl.example/10.0.0.5", txt.answer[0].to_text())
        self.assertEqual(self.ask("1.0.0.11.%s.%s" % (key, ZONE)).rcode(), dns.rcode.NXDOMAIN)

    def test_rfc5782_test_points_work_under_a_key(self):
        key = self.zone.key["partner"]
        self.assertEqual(addresses(self.ask("2.0.0.127.%s.%s" % (key, ZONE))), ["127.0.0.2"])
        self.assertEqual(self.ask("1.0.0.127.%s.%s" % (key, ZONE)).rcode(), dns.rcode.NXDOMAIN)

    def test_key_dot_zone_is_nodata_and_the_apex_answers(self):
        response = self.ask("%s.%s" % (self.zone.key["partner"].upper(), ZONE))
        self.assertEqual(response.rcode(), dns.rcode.NOERROR)
        self.assertEqual(response.answer, [])
        self.assertEqual(response.authority[0].rdtype, dns.rdatatype.SOA)
        self.assertEqual(self.ask(ZONE, "SOA").rcode(), dns.rcode.NOERROR)

    def test_wrong_revoked_expired_malformed_and_missing_keys_are_refused(self):
        names = ["5.0.0.10.%s.%s" % (key, ZONE) for key in
                 ("a" * 32, self.zone.key["gone"], self.zone.key["old"], "short", "x" * 63, "bad_key-" * 4)]
        names += ["2.0.0.127.%s" % ZONE, "5.0.0.10.%s.%s" % ("\\000" * 30, ZONE)]
        for name in names:
            self.assertEqual(self.ask(name).rcode(), dns.rcode.REFUSED, name)
        self.assertEqual(self.ask(ZONE, "SOA").rcode(), dns.rcode.NOERROR)  # still alive

    def test_the_unkeyed_zone_answers_as_before(self):
        self.assertEqual(addresses(self.ask("5.0.0.10.open.example")), ["127.0.0.2"])

    def test_a_daily_quota_refuses_once_used_up_and_metrics_count_by_id_never_the_key(self):
        name = "5.0.0.10.%s.%s" % (self.zone.key["quota"], ZONE)
        self.assertEqual([self.ask(name).rcode() for _ in range(3)],
                         [dns.rcode.NOERROR, dns.rcode.NOERROR, dns.rcode.REFUSED])
        metrics = self.zone.metrics()
        self.assertIn('shun_access_key_queries_total{id="quota",result="valid"} 2', metrics)
        self.assertIn('shun_access_key_queries_total{id="quota",result="over_quota"} 1', metrics)
        self.assertRegex(metrics, r'shun_access_queries_total\{result="unknown"\} \d')
        for key in self.zone.key.values():
            self.assertNotIn(key, metrics)

    def test_shunctl_key_list_shows_ids_and_states_never_keys(self):
        listing = shunctl("key", "--key-file", self.zone.keys, "list").stdout
        self.assertRegex(listing, r"(?m)^gone revoked ")
        self.assertRegex(listing, r"(?m)^old expired expires 2001-01-01T00:00:00Z ")
        self.assertRegex(listing, r"(?m)^quota active expires .* quota 2/day zones bl.example$")
        for key in self.zone.key.values():
            self.assertNotIn(key, listing)
        self.assertEqual(shunctl("key", "--key-file", self.zone.keys, "revoke", "nosuch", check=False).returncode, 4)
        self.assertEqual(shunctl("key", "--key-file", self.zone.keys, "add", "partner", "--zone", ZONE,
                                 check=False).returncode, 2)

    def test_a_key_added_or_revoked_while_running_is_served_at_once(self):
        self.zone.add("later")
        name = "2.0.0.127.%s.%s" % (self.zone.key["later"], ZONE)
        deadline = time.monotonic() + 5
        while self.ask(name).rcode() != dns.rcode.NOERROR and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.ask(name).rcode(), dns.rcode.NOERROR, self.zone.server.log())
        shunctl("key", "--key-file", self.zone.keys, "revoke", "later")
        deadline = time.monotonic() + 5
        while self.ask(name).rcode() != dns.rcode.REFUSED and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.ask(name).rcode(), dns.rcode.REFUSED, self.zone.server.log())

    def test_the_query_log_shows_the_id_never_the_key(self):
        self.ask("2.0.0.127.%s.%s" % (self.zone.key["partner"], ZONE))
        self.ask("2.0.0.127.%s.%s" % ("b" * 30, ZONE))
        deadline = time.monotonic() + 3
        text = ""
        while "[key]" not in text and time.monotonic() < deadline:
            with open(self.zone.log) as log:
                text = log.read()
            time.sleep(0.05)
        self.assertIn("2.0.0.127.[key:partner].bl.example", text)
        self.assertIn("2.0.0.127.[key].bl.example", text)
        for key in list(self.zone.key.values()) + ["b" * 30]:
            self.assertNotIn(key, text)
            self.assertNotIn(key, self.zone.server.log())


class RefusalCodeTest(unittest.TestCase):
    def test_key_refusal_answers_127_255_255_x_with_a_txt_saying_why(self):
        zone = KeyedZone(["--key-refusal", "127.255.255.254"])
        try:
            name = "5.0.0.10.%s.%s" % (zone.key["old"], ZONE)
            self.assertEqual(addresses(zone.server.query(name)), ["127.255.255.254"])
            txt = zone.server.query(name, "TXT")
            self.assertEqual(txt.answer[0][0].to_text(), '"access key expired"')
            self.assertEqual(addresses(zone.server.query("5.0.0.10.%s.%s" % (zone.key["partner"], ZONE))),
                             ["127.0.0.2"])
        finally:
            self.assertEqual(zone.stop(), 0)


UNBOUND_CONF = """server:
    interface: 127.0.0.1
    port: {port}
    username: ""
    chroot: ""
    directory: "{dir}"
    pidfile: "{dir}/unbound.pid"
    use-syslog: no
    logfile: "{dir}/unbound.log"
    do-daemonize: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    qname-minimisation: yes
    qname-minimisation-strict: no
    use-caps-for-id: yes
    module-config: "iterator"
    harden-referral-path: no
    num-threads: 1
    so-reuseport: no
    outgoing-interface: 127.0.0.1
    domain-insecure: "bl.example"
stub-zone:
    name: "bl.example"
    stub-addr: 127.0.0.1@{shund}
remote-control:
    control-enable: no
"""


def recursive(port, name, rdtype="A"):
    """A query with RD set, as a mail server asks its resolver."""
    return dns.query.udp(dns.message.make_query(name, rdtype), harness.HOST, port=port, timeout=3)


@unittest.skipUnless(shutil.which("unbound") or os.path.exists("/usr/sbin/unbound"), "unbound not installed")
class UnboundTest(unittest.TestCase):
    """Keys through a real resolver that minimises QNAMEs and randomises their case."""

    def test_keys_work_through_unbound_with_qname_minimisation_and_caps_for_id(self):
        zone = KeyedZone()
        self.addCleanup(zone.stop)
        port = harness.free_port()
        with open(zone.dir.file("unbound.conf"), "w") as conf:
            conf.write(UNBOUND_CONF.format(port=port, dir=zone.dir.path, shund=zone.server.port))
        unbound = subprocess.Popen([shutil.which("unbound") or "/usr/sbin/unbound", "-d", "-c",
                                    zone.dir.file("unbound.conf")], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)

        def stop_unbound():
            unbound.send_signal(signal.SIGTERM)
            try:
                unbound.wait(5)
            except subprocess.TimeoutExpired:
                unbound.kill()
                unbound.wait()
        self.addCleanup(stop_unbound)
        key = zone.key["partner"]
        deadline, response = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            try:
                response = recursive(port, "2.0.0.127.%s.%s" % (key, ZONE))
                break
            except Exception:
                time.sleep(0.1)
        self.assertIsNotNone(response, "unbound did not answer")
        self.assertEqual(addresses(response), ["127.0.0.2"])
        self.assertEqual(addresses(recursive(port, "5.0.0.10.%s.%s" % (key.upper(), ZONE))), ["127.0.0.2"])
        self.assertEqual(recursive(port, "1.0.0.127.%s.%s" % (key, ZONE)).rcode(), dns.rcode.NXDOMAIN)
        self.assertEqual(recursive(port, "2.0.0.127.%s.%s" % ("c" * 30, ZONE)).rcode(), dns.rcode.SERVFAIL)
        with open(zone.log) as log:
            text = log.read()
        self.assertRegex(text.lower(), r" \[key:partner\]\.bl\.example ")  # the minimised <key>.<zone> step
        self.assertNotIn(key, text.lower())


if __name__ == "__main__":
    unittest.main()
