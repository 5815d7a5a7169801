"""The HTTP removal page of shund (--http): lookups, JSON, escaping, self-removal, rate limits, metrics."""

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import dns.rcode

import guards
import harness

ZONE = """#@selfremoval allowed=yes max=2 per=30d cooldown=0
#@code 127.0.0.3 Spam source
:127.0.0.2:Listed, see http://127.0.0.1:8053/lookup/$
#@ added=2026-11-20T10:00:00Z expires=2036-11-27T10:00:00Z count=2 reason="trap hits" evidence="<script>alert(1)</script> & more" note="private operator note"
192.0.2.7
#@ added=2026-01-01T00:00:00Z expires=2026-01-02T00:00:00Z evidence="old"
192.0.2.8
192.0.3.0/24 :3:range
"""
SAMPLE = re.compile(r'^shun_(server|zone|web|build)_[a-z_]+(\{[a-z_]+="(?:[^"\\\n]|\\.)*"(,[a-z_]+="(?:[^"\\\n]|\\.)*")*\})? '
                    r'-?[0-9.e+]+$')
COMMENT = re.compile(r"^# (HELP|TYPE) shun_[a-z_]+ .+$")


class WebTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shund (nobody) writes the journal and the requests log here
        self.path = self.dir.write("bl.ip4set", ZONE)
        self.spec = "bl.example:ip4set:" + self.path
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(self.server.stop)
        match = re.search(r"http on 127\.0\.0\.1/(\d+)", self.server.log())
        self.assertTrue(match, self.server.log())
        self.port = int(match.group(1))

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def remove(self, key):
        body = urllib.parse.urlencode({"key": key, "zone": "bl.example"})
        return self.request("POST", "/remove", body, {"Content-Type": "application/x-www-form-urlencoded"})

    def rcode(self, address):
        return self.server.query(harness.ip4_name(address, "bl.example")).rcode()

    def test_listed_key_shows_public_evidence_escaped_and_hides_the_private_note(self):
        status, page = self.request("GET", "/lookup/192.0.2.7")
        self.assertEqual(status, 200)
        self.assertIn("Listed.", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", page)
        self.assertNotIn("<script>", page)
        self.assertNotIn("private operator note", page)
        self.assertIn("2036-11-27T10:00:00Z", page)
        self.assertIn('action="/remove"', page)

    def test_unlisted_and_expired_keys_are_not_listed(self):
        for key in ("198.51.100.1", "192.0.2.8"):
            status, page = self.request("GET", "/lookup/" + key)
            self.assertEqual(status, 200)
            self.assertIn("Not listed.", page, key)

    def test_json_lookup_gives_code_meaning_and_times(self):
        status, text = self.request("GET", "/api/v1/lookup/192.0.3.9")
        self.assertEqual(status, 200)
        zone = json.loads(text)["zones"][0]
        self.assertTrue(zone["listed"])
        self.assertEqual(zone["answers"][0]["code"], "127.0.0.3")
        self.assertEqual(zone["answers"][0]["meaning"], "Spam source")
        self.assertNotIn("note", text)

    def test_bad_and_oversized_requests(self):
        self.assertEqual(self.request("GET", "/lookup/not..valid")[0], 400)
        self.assertEqual(self.request("GET", "/api/v1/lookup/192.0.2.0%2F24")[0], 400)
        self.assertEqual(self.request("GET", "/nowhere")[0], 404)
        self.assertEqual(self.request("POST", "/remove", "x" * 100000)[0], 413)
        self.assertEqual(self.request("GET", "/lookup/" + "a" * 3000)[0], 413)

    def test_self_removal_is_served_nxdomain_within_a_second_then_refused_after_the_limit(self):
        shunctl = os.path.join(harness.BUILD_DIR, "shunctl")
        for attempt in range(2):
            self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)
            status, page = self.remove("192.0.2.7")
            self.assertEqual(status, 200, page)
            deadline = time.monotonic() + 1.0
            while self.rcode("192.0.2.7") != dns.rcode.NXDOMAIN:
                self.assertLess(time.monotonic(), deadline, "still listed 1 s after self-removal")
                time.sleep(0.05)
            # the operator lists it again
            harness.run_tool([shunctl, "--zone-spec", self.spec, "add", "--zone", "bl.example", "192.0.2.7"])
            deadline = time.monotonic() + 2.0
            while self.rcode("192.0.2.7") != dns.rcode.NOERROR:
                self.assertLess(time.monotonic(), deadline, "relisting not served")
                time.sleep(0.05)
        status, page = self.remove("192.0.2.7")
        self.assertEqual(status, 403)
        self.assertIn("Fix the problem", page)
        self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)
        log = harness.run_tool([shunctl, "--zone-spec", self.spec, "requests", "--zone", "bl.example"]).stdout
        self.assertEqual([line.split()[-1] for line in log.splitlines()[1:]], ["granted", "granted", "refused-limit"])
        self.assertIn("127.0.0.1", log)

    def test_removal_posts_are_rate_limited_per_client(self):
        statuses = [self.remove("203.0.113.%d" % i)[0] for i in range(8)]
        self.assertEqual(statuses[:5], [404] * 5)  # not listed, but answered
        self.assertEqual(statuses[5:], [429] * 3)
        self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)  # DNS unaffected

    def test_slow_client_is_timed_out(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as sock:
            sock.sendall(b"GET /lookup/192.0.2.7 HTTP/1.1\r\nHost: x\r\n")  # never finishes its headers
            started = time.monotonic()
            self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)
            while sock.recv(4096):
                pass
            self.assertLess(time.monotonic() - started, 15)

    def test_metrics_are_valid_exposition_format(self):
        self.server.query(harness.ip4_name("192.0.2.7", "bl.example"))
        status, text = self.request("GET", "/metrics")
        self.assertEqual(status, 200)
        for line in text.splitlines():
            self.assertTrue(SAMPLE.match(line) or COMMENT.match(line), line)
        for name in ("shun_server_queries_total", "shun_server_answers_total", "shun_server_truncated_total",
                     "shun_server_reloads_total", "shun_server_reload_failures_total", "shun_zone_entries",
                     "shun_web_removal_requests_total", "shun_server_zone_queries_total",
                     "shun_server_queries_by_type_total"):
            self.assertIn("\n" + name, text)
        self.assertRegex(text, r'shun_server_answers_total\{result="listed"\} [1-9]')
        self.assertRegex(text, r'shun_server_queries_by_type_total\{type="A"\} [1-9]')
        self.assertRegex(text, r'\nshun_build_info\{version="\d+\.\d+\.\d+"\} 1\n')

    def test_page_renders_in_headless_chromium(self):
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if not browser:
            self.skipTest("chromium is not installed (scripts/install-deps installs it)")
        with tempfile.TemporaryDirectory() as profile:
            shot = os.path.join(profile, "page.png")
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + shot,
                            "http://127.0.0.1:%d/lookup/192.0.2.7" % self.port],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            with open(shot, "rb") as image:
                self.assertEqual(image.read(8), b"\x89PNG\r\n\x1a\n")
            self.assertGreater(os.path.getsize(shot), 1000)


class WebDomainTest(unittest.TestCase):
    """A zone of several datasets: self-removal writes to the dataset that holds the key's kind."""

    def test_domain_self_removal_and_protected_test_point(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        os.chmod(zones.path, 0o777)
        generic = zones.write("dbl.generic", "@ TXT \"domain list\"\n")
        dnset = zones.write("dbl.dnset", "#@selfremoval allowed=yes max=1\n:127.0.1.2:listed $\ntest\nbad.example\n")
        ip4 = zones.write("bl.ip4set", "#@selfremoval allowed=yes\n127.0.0.2\n")
        specs = ["dbl.example:generic:" + generic, "dbl.example:dnset:" + dnset, "bl.example:ip4set:" + ip4]
        server = harness.start_shund(specs, ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = int(re.search(r"http on 127\.0\.0\.1/(\d+)", server.log()).group(1))

        def post(key, zone):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("POST", "/remove", urllib.parse.urlencode({"key": key, "zone": zone}),
                               {"Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            connection.close()
            return response.status

        self.assertEqual(post("bad.example", "dbl.example"), 200)
        deadline = time.monotonic() + 1.0
        while server.query("bad.example.dbl.example").rcode() != dns.rcode.NXDOMAIN:
            self.assertLess(time.monotonic(), deadline, "domain still listed 1 s after self-removal")
            time.sleep(0.05)
        self.assertEqual(post("127.0.0.2", "bl.example"), 403)  # RFC 5782 test point is protected
        self.assertEqual(server.query("2.0.0.127.bl.example").rcode(), dns.rcode.NOERROR)
        self.assertEqual(server.query("test.dbl.example").rcode(), dns.rcode.NOERROR)


class WebGuardTest(unittest.TestCase):
    """Self-removal runs the delisting column of the one guard table (guards.py), as shunctl remove does."""

    def test_self_removal_refuses_the_guard_table_as_remove_does(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        os.chmod(zones.path, 0o777)
        data = zones.write("bl.zone", guards.ZONE_TEXT)
        server = harness.start_shund(["%s:ip4trie:%s" % (guards.ZONE, data)],
                                     ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = int(re.search(r"http on 127\.0\.0\.1/(\d+)", server.log()).group(1))
        for name, key, past, listing, delisting, words in guards.GUARDS:
            if delisting is None:
                continue
            with self.subTest(guard=name):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("POST", "/remove", urllib.parse.urlencode({"key": key, "zone": guards.ZONE}),
                                   {"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                page = response.read().decode()
                connection.close()
                self.assertEqual(response.status, guards.HTTP_STATUS[delisting], page)
                if delisting == "refused":
                    self.assertIn(words, page)
        self.assertEqual(server.query("2.0.0.127.bl.example").rcode(), dns.rcode.NOERROR)


if __name__ == "__main__":
    unittest.main()
