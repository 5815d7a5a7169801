"""The HTTP removal page of shund (--http): lookups, JSON, escaping, self-removal, rate limits, metrics."""

import json
import os
import pwd
import re
import socket
import time
import unittest

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
SAMPLE = re.compile(r'^(shun_(server|zone|web|build|xfr)|process)_[a-z_]+(\{[a-z_]+="(?:[^"\\\n]|\\.)*"(,[a-z_]+="(?:[^"\\\n]|\\.)*")*\})? '
                    r'-?[0-9.e+]+$')


def service_owned(path):
    """Gives a data file to the service user, as the page's zones must be (shun-zone(5), "Ownership")."""
    user = pwd.getpwnam(harness.UNPRIVILEGED)
    os.chown(path, user.pw_uid, user.pw_gid)
    return path


COMMENT = re.compile(r"^# (HELP|TYPE) (shun|process)_[a-z_]+ .+$")


class WebTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shund (nobody) writes the journal and the requests log here
        self.path = service_owned(self.dir.write("bl.ip4set", ZONE))
        self.spec = "bl.example:ip4set:" + self.path
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(self.server.stop)
        self.port = harness.http_port(self.server)

    def request(self, method, path, body=None, headers=None):
        return harness.http_request(self.port, method, path, body, headers)

    def remove(self, key, client="127.0.0.1"):
        return harness.web_remove(self.port, key, "bl.example", client=client)

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
        shunctl = harness.shunctl_path()
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
        granted = "self-removal of 192.0.2.7 from bl.example requested by 127.0.0.1: granted"
        self.assertEqual(self.server.log().count(granted), 2, self.server.log())

    def test_removal_posts_are_rate_limited_per_client(self):
        statuses = [self.remove("203.0.113.%d" % i)[0] for i in range(8)]
        self.assertEqual(statuses[:5], [404] * 5)  # not listed, but answered
        self.assertEqual(statuses[5:], [429] * 3)
        self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)  # DNS unaffected

    def test_pipelined_requests_are_all_answered_in_order(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"GET /lookup/192.0.2.7 HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"GET /api/v1/lookup/192.0.2.8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        statuses = re.findall(rb"^HTTP/1\.1 (\d+) ", data, re.M)
        self.assertEqual(statuses, [b"200", b"404", b"200"], data[:500])

    def test_cross_site_wrong_type_and_tokenless_removals_are_refused(self):
        token = harness.web_form_token(self.port, "192.0.2.7", "bl.example")
        self.assertTrue(token)
        form = {"key": "192.0.2.7", "zone": "bl.example", "token": token}
        body = "&".join("%s=%s" % item for item in form.items())
        urlencoded = {"Content-Type": "application/x-www-form-urlencoded"}
        cases = [({**urlencoded, "Origin": "http://evil.example"}, body, 403),
                 ({**urlencoded, "Referer": "http://evil.example/page"}, body, 403),
                 ({"Content-Type": "text/plain"}, body, 415),
                 (urlencoded, body.replace(token, "1.0"), 403),
                 (urlencoded, body.split("&token=")[0], 403)]
        for headers, data, expected in cases:
            with self.subTest(headers=headers, data=data):
                self.assertEqual(self.request("POST", "/remove", data, headers)[0], expected)
        self.assertEqual(self.rcode("192.0.2.7"), dns.rcode.NOERROR)
        status = harness.http_request(self.port, "POST", "/remove", body,
                                      {**urlencoded, "Origin": "http://127.0.0.1:%d" % self.port}, "127.0.0.2")[0]
        self.assertEqual(status, 200)  # same site: another address, its own limit

    def test_removal_posts_from_many_addresses_of_one_network_share_a_limit(self):
        statuses = [self.remove("203.0.113.9", client="127.0.0.%d" % host)[0] for host in range(1, 41)]
        self.assertEqual(statuses[:10], [404] * 10)
        self.assertEqual(statuses[10:], [429] * 30)

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

    def test_metrics_have_process_figures_and_reload_durations(self):
        self.server.reload()
        deadline = time.monotonic() + 3
        while True:
            text = self.request("GET", "/metrics")[1]
            if re.search(r'\nshun_server_reload_passes_total\{trigger="signal"\} 1\n', text):
                break
            self.assertLess(time.monotonic(), deadline, text)
            time.sleep(0.05)
        self.assertRegex(text, r"\nprocess_cpu_seconds_total [0-9.e+-]+\n")
        self.assertRegex(text, r"\nprocess_resident_memory_bytes [1-9][0-9]*\n")
        self.assertRegex(text, r"\nprocess_open_fds [1-9][0-9]*\n")
        self.assertRegex(text, r"\nprocess_max_fds [1-9][0-9]*\n")
        start = float(re.search(r"\nprocess_start_time_seconds ([0-9.e+]+)\n", text).group(1))
        self.assertLess(abs(start - time.time()), 120)
        self.assertIn("# TYPE shun_server_reload_duration_seconds histogram", text)
        self.assertRegex(text, r'\nshun_server_reload_duration_seconds_bucket\{le="\+Inf"\} [1-9]')
        self.assertRegex(text, r"\nshun_server_reload_duration_seconds_count [1-9]")
        self.assertRegex(text, r'\nshun_build_info\{version="\d+\.\d+\.\d+"\} 1\n')
        # the rcodes shund answers with are there even at zero; the ones it never sends are not
        self.assertIn('shun_server_queries_total{transport="tcp",rcode="REFUSED"} ', text)
        self.assertNotIn('rcode="rcode7"', text)


class WebBudgetTest(unittest.TestCase):
    """Past a zone's hourly budget, self-removals wait for the operator (shunctl requests)."""

    def test_removals_past_the_budget_are_queued_and_the_operator_approves_or_denies(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        os.chmod(zones.path, 0o777)
        path = zones.write("bl.ip4set", "#@selfremoval allowed=yes max=2 per=30d budget=1\n"
                                        "192.0.2.1\n192.0.2.2\n192.0.2.3\n")
        service_owned(path)
        spec = "bl.example:ip4set:" + path
        server = harness.start_shund([spec], ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = harness.http_port(server)
        shunctl = [harness.shunctl_path(), "--zone-spec", spec, "requests", "--zone", "bl.example"]
        self.assertEqual(harness.web_remove(port, "192.0.2.1", "bl.example")[0], 200)
        for key in ("192.0.2.2", "192.0.2.3"):
            status, page = harness.web_remove(port, key, "bl.example")
            self.assertEqual(status, 202, page)
            self.assertIn("queued", page)
        self.assertEqual(server.query("2.2.0.192.bl.example").rcode(), dns.rcode.NOERROR)
        pending = harness.run_tool(shunctl + ["--pending"]).stdout.splitlines()[1:]
        self.assertEqual([line.split()[1] for line in pending], ["192.0.2.2", "192.0.2.3"])
        self.assertEqual(harness.run_tool(shunctl + ["--approve", "192.0.2.2"]).returncode, 0)
        self.assertEqual(harness.run_tool(shunctl + ["--deny", "192.0.2.3"]).returncode, 0)
        self.assertEqual(harness.run_tool(shunctl + ["--deny", "192.0.2.3"]).returncode, 4)
        deadline = time.monotonic() + 2.0
        while server.query("2.2.0.192.bl.example").rcode() != dns.rcode.NXDOMAIN:
            self.assertLess(time.monotonic(), deadline, "approved removal not served")
            time.sleep(0.05)
        self.assertEqual(server.query("3.2.0.192.bl.example").rcode(), dns.rcode.NOERROR)
        self.assertEqual(harness.run_tool(shunctl + ["--pending"]).stdout.splitlines()[1:], [])


class WebDomainTest(unittest.TestCase):
    """A zone of several datasets: self-removal writes to the dataset that holds the key's kind."""

    def test_domain_self_removal_and_protected_test_point(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        os.chmod(zones.path, 0o777)
        generic = zones.write("dbl.generic", "@ TXT \"domain list\"\n")
        dnset = service_owned(zones.write("dbl.dnset", "#@selfremoval allowed=yes max=1\n:127.0.1.2:listed $\ntest\nbad.example\n"))
        ip4 = service_owned(zones.write("bl.ip4set", "#@selfremoval allowed=yes\n127.0.0.2\n"))
        specs = ["dbl.example:generic:" + generic, "dbl.example:dnset:" + dnset, "bl.example:ip4set:" + ip4]
        server = harness.start_shund(specs, ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = harness.http_port(server)

        def post(key, zone):
            return harness.web_remove(port, key, zone)[0]

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
        data = service_owned(zones.write("bl.zone", guards.ZONE_TEXT))
        server = harness.start_shund(["%s:ip4trie:%s" % (guards.ZONE, data)],
                                     ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        self.addCleanup(server.stop)
        port = harness.http_port(server)
        for name, key, past, listing, delisting, words in guards.GUARDS:
            if delisting is None:
                continue
            with self.subTest(guard=name):
                status, page = harness.web_remove(port, key, guards.ZONE)
                self.assertEqual(status, guards.HTTP_STATUS[delisting], page)
                if delisting == "refused":
                    self.assertIn(words, page)
        self.assertEqual(server.query("2.0.0.127.bl.example").rcode(), dns.rcode.NOERROR)


if __name__ == "__main__":
    unittest.main()
