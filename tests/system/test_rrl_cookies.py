"""Response rate limiting (--rrl) and DNS cookies (RFC 7873/9018) end to end: dig and kdig get and return a
server cookie; a burst from one address over a small configured rate is slipped and dropped, and counted."""

import re
import select
import shutil
import socket
import subprocess
import time
import unittest

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode

import harness


def metrics(port):
    return harness.http_request(port, "GET", "/metrics")[1]


def sample(text, name, labels):
    match = re.search(r"^%s\{%s\} (\d+)$" % (re.escape(name), re.escape(labels)), text, re.M)
    return int(match.group(1)) if match else None


def start(options):
    """shund on the standard zones with --http on a free port; returns (server, zones, http port)."""
    zones = harness.ZoneDir()
    try:
        server = harness.start_shund(harness.standard_specs(zones), ["--http", "127.0.0.1/0", *options])
    except BaseException:
        zones.cleanup()
        raise
    port = harness.http_port(server)
    return server, zones, port


def cookie_data(option):
    """The bytes of a COOKIE option (dnspython 2.3 reads it as a GenericOption, later ones as CookieOption)."""
    if hasattr(option, "data"):
        return bytes(option.data)
    return bytes(option.client) + bytes(option.server)


def burst(port, names, timeout=1.0):
    """Sends every query of names at once over one UDP socket, then reads replies until timeout passes
    without one. Returns (full answers, truncated or BADCOOKIE answers, unanswered)."""
    wires = [harness.make_query(name, qid=index).to_wire() for index, name in enumerate(names)]
    replies = {}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        sock.connect((harness.HOST, port))
        for start_at in range(0, len(wires), 50):  # in chunks, reading as we go: no reply is lost to a full buffer
            for wire in wires[start_at:start_at + 50]:
                sock.send(wire)
            while select.select([sock], [], [], 0.02)[0]:
                reply = dns.message.from_wire(sock.recv(4096))
                replies[reply.id] = reply
        while select.select([sock], [], [], timeout)[0]:
            reply = dns.message.from_wire(sock.recv(4096))
            replies[reply.id] = reply
    slipped = sum(1 for reply in replies.values() if reply.flags & dns.flags.TC or reply.rcode() == 23)
    return len(replies) - slipped, slipped, len(wires) - len(replies)


class CookieTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server, cls.zones, cls.http = start([])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.zones.cleanup()

    def cookie_count(self, state):
        return sample(metrics(self.http), "shun_server_cookies_total", 'cookie="%s"' % state) or 0

    def run_client(self, argv):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def check_client(self, tool, cookie_option, cookie_pattern):
        if not shutil.which(tool):
            self.skipTest("%s is not installed" % tool)
        base = [tool, "@" + harness.HOST, "-p", str(self.server.port), "2.0.0.127.bl.example", "A"]
        first = self.run_client(base + [cookie_option])
        match = re.search(cookie_pattern, first)
        self.assertTrue(match, first)
        cookie = match.group(1).lower()
        self.assertEqual(len(cookie), 48, first)  # client cookie (8 bytes) and our server cookie (16)
        self.assertEqual(cookie[16:18], "01", first)  # RFC 9018 version 1
        self.assertIn("127.0.0.2", first)
        valid = self.cookie_count("valid")
        again = self.run_client(base + [cookie_option + "=" + cookie])
        self.assertEqual(re.search(cookie_pattern, again).group(1).lower(), cookie, again)
        self.assertEqual(self.cookie_count("valid"), valid + 1)
        # The worker set up OpenSSL's SipHash at its first cookie (issue 14: not at start), and it worked.
        self.assertRegex(metrics(self.http), r"(?m)^shun_server_cookie_failures_total 0$")

    def test_dig_gets_and_returns_a_server_cookie(self):
        self.check_client("dig", "+cookie", r"; COOKIE: ([0-9a-fA-F]+)")

    def test_kdig_gets_and_returns_a_server_cookie(self):
        self.check_client("kdig", "+cookie", r"COOKIE: ([0-9a-fA-F]+)")

    def test_a_bad_server_cookie_gets_a_fresh_one_and_a_full_answer(self):
        query = harness.make_query("2.0.0.127.bl.example", edns=0)
        client = bytes.fromhex("0102030405060708")
        query.use_edns(0, options=[dns.edns.GenericOption(10, client + bytes(16))])
        invalid = self.cookie_count("invalid")
        reply = dns.query.udp(query, harness.HOST, port=self.server.port, timeout=2)
        self.assertEqual(reply.rcode(), dns.rcode.NOERROR)
        self.assertEqual(len(reply.answer), 1)
        options = [option for option in reply.options if option.otype == 10]
        self.assertEqual(len(options), 1)
        data = cookie_data(options[0])
        self.assertEqual(len(data), 24)
        self.assertEqual(data[:8], client)
        self.assertNotEqual(data[8:], bytes(16))
        self.assertEqual(self.cookie_count("invalid"), invalid + 1)

    def test_cookie_options_of_the_wrong_length_are_formerr_and_counted(self):
        malformed = self.cookie_count("malformed")
        for length in (5, 12, 41):
            query = harness.make_query("2.0.0.127.bl.example", edns=0)
            query.use_edns(0, options=[dns.edns.GenericOption(10, bytes(length))])
            reply = dns.query.udp(query, harness.HOST, port=self.server.port, timeout=2)
            self.assertEqual(reply.rcode(), dns.rcode.FORMERR)
        self.assertEqual(self.cookie_count("malformed"), malformed + 3)


class CookieRotationTest(unittest.TestCase):
    def ask(self, client, server_cookie=b""):
        """The server cookie shund returns for client (8 bytes) and server_cookie (its own, or none)."""
        query = harness.make_query("2.0.0.127.bl.example", edns=0)
        query.use_edns(0, options=[dns.edns.GenericOption(10, client + server_cookie)])
        reply = dns.query.udp(query, harness.HOST, port=self.server.port, timeout=2)
        self.assertEqual(reply.rcode(), dns.rcode.NOERROR)
        return cookie_data([option for option in reply.options if option.otype == 10][0])[8:]

    def rotate(self, secret, rotations):
        with open(self.secret, "w") as out:
            out.write(secret + "\n")
        self.server.reload()
        deadline = time.monotonic() + 5
        while self.server.log().count("DNS cookie secret rotated") < rotations:
            self.assertLess(time.monotonic(), deadline, self.server.log())
            time.sleep(0.02)

    def test_sighup_rotates_the_secret_and_the_previous_one_stays_valid_until_the_next_rotation(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        self.secret = zones.write("cookie.secret", "00" * 16 + "\n")
        self.server = harness.start_shund(harness.standard_specs(zones), ["--cookie-secret", self.secret])
        self.addCleanup(self.server.stop)
        client = bytes.fromhex("0102030405060708")
        first = self.ask(client)
        self.assertEqual(self.ask(client, first), first)  # valid: returned as it is
        self.rotate("11" * 16, 1)
        self.assertEqual(self.ask(client, first), first)  # the previous secret still verifies
        second = self.ask(client)
        self.assertNotEqual(second, first)
        self.rotate("22" * 16, 2)
        self.assertEqual(self.ask(client, second), second)
        self.assertNotEqual(self.ask(client, first), first)  # two rotations ago: a fresh cookie instead
        self.assertNotIn("11" * 16, self.server.log())


class RateLimitTest(unittest.TestCase):
    def tearDown(self):
        self.server.stop()
        self.zones.cleanup()

    def test_a_burst_over_a_small_rate_is_slipped_and_dropped_and_counted(self):
        self.server, self.zones, self.http = start(["--rrl", "--rrl-rate", "20", "--rrl-slip", "2"])
        names = ["%d.0.0.127.bl.example" % (100 + index % 100) for index in range(300)]
        full, slipped, lost = burst(self.server.port, names)
        self.assertGreaterEqual(full, 20)
        self.assertLessEqual(full, 40)  # the burst (20) and 20 a second while it lasts
        self.assertGreater(slipped, 100)
        self.assertGreater(lost, 100)
        text = metrics(self.http)
        self.assertEqual(sample(text, "shun_server_rate_limited_total", 'action="slipped"'), slipped)
        self.assertEqual(sample(text, "shun_server_rate_limited_total", 'action="dropped"'), lost)
        # TCP is never limited, and a listed answer has its own bucket.
        self.assertEqual(self.server.query("2.0.0.127.bl.example", transport="tcp").rcode(), dns.rcode.NOERROR)
        self.assertEqual(len(self.server.query("2.0.0.127.bl.example").answer), 1)

    def test_log_only_answers_everything_and_counts(self):
        self.server, self.zones, self.http = start(["--rrl-log-only", "--rrl-rate", "20"])
        full, slipped, lost = burst(self.server.port, ["%d.0.0.127.bl.example" % (100 + i % 100) for i in range(100)])
        self.assertEqual((full, slipped, lost), (100, 0, 0))
        self.assertGreaterEqual(sample(metrics(self.http), "shun_server_rate_limited_total", 'action="log_only"'), 60)
        self.assertTrue(self.server.process.wait_line(r"rate limit \(log only\): would limit nxdomain answers to "
                                                      r"127\.0\.0\.0/24 in zone bl\.example", 5), self.server.log())

    def test_at_the_defaults_a_resolver_burst_of_1500_misses_gets_full_answers(self):
        self.server, self.zones, self.http = start(["--rrl"])
        full, slipped, lost = burst(self.server.port,
                                    ["%d.%d.0.127.bl.example" % (i % 200, 100 + i // 200) for i in range(1500)])
        self.assertEqual((full, slipped, lost), (1500, 0, 0))


if __name__ == "__main__":
    unittest.main()
