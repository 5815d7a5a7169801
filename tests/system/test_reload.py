"""Reloads: SIGHUP and the -c timer publish new data; nothing is lost meanwhile; a broken file is not served."""

import threading
import time
import unittest

import dns.exception
import dns.rcode
import dns.rdatatype

import harness

HEADER = "$SOA 3600 ns1.bl.example. hostmaster.bl.example. 1 600 300 86400 300\n$NS 3600 ns1.bl.example\n"


def version(number, extra=""):
    """A zone file where 127.0.0.2 answers TXT "version N"."""
    return HEADER + ":127.0.0.2:version %d\n127.0.0.2\n%s" % (number, extra)


def txt_of(server, name, transport="udp"):
    response = server.query(name, "TXT", transport)
    texts = [rdata.to_text() for rrset in response.answer if rrset.rdtype == dns.rdatatype.TXT for rdata in rrset]
    return response.rcode(), texts


class ReloadTest(unittest.TestCase):
    def start(self, text, options=("-c", "0")):
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)
        self.path = self.zones.write("bl.ip4set", text)
        self.server = harness.start_shund(["bl.example:ip4set:" + self.path], options)
        self.addCleanup(self.stop)

    def stop(self):
        status = self.server.stop()
        self.assertEqual(status, 0, self.server.log())

    def wait_for_txt(self, name, expected, timeout=5.0):
        deadline = time.monotonic() + timeout
        seen = None
        while time.monotonic() < deadline:
            seen = txt_of(self.server, name)
            if seen == (dns.rcode.NOERROR, ['"%s"' % expected]):
                return
            time.sleep(0.05)
        self.fail("%s never answered %r (last: %r)\n%s" % (name, expected, seen, self.server.log()))

    def test_sighup_publishes_the_changed_file(self):
        self.start(version(1))
        self.wait_for_txt("2.0.0.127.bl.example", "version 1")
        self.zones.write("bl.ip4set", version(2, "127.0.0.9\n"))
        self.server.reload()
        self.wait_for_txt("2.0.0.127.bl.example", "version 2")
        for transport in ("udp", "tcp"):
            self.assertEqual(txt_of(self.server, "9.0.0.127.bl.example", transport),
                             (dns.rcode.NOERROR, ['"version 2"']))

    def test_each_reload_logs_its_trigger_zones_entries_and_time_and_an_idle_sighup_says_so(self):
        self.start(version(1))
        self.zones.write("bl.ip4set", version(2, "127.0.0.9\n"))
        self.server.reload()
        line = self.server.process.wait_line(
            r"reloaded after SIGHUP in \d+\.\d{3} s: bl\.example serial \d+ \(2 entries\)", 5.0)
        self.assertIsNotNone(line, self.server.log())
        self.server.reload()
        line = self.server.process.wait_line(r"reload after SIGHUP: nothing changed", 5.0)
        self.assertIsNotNone(line, self.server.log())

    def test_check_interval_reloads_without_a_signal(self):
        self.start(version(1), ("-c", "1"))
        self.zones.write("bl.ip4set", version(2))
        self.wait_for_txt("2.0.0.127.bl.example", "version 2", timeout=5.0)

    def test_no_answer_is_lost_while_reloading_under_load(self):
        self.start(version(0))
        stop = threading.Event()
        counts = {"sent": 0, "lost": 0, "failed": 0}
        failures = []

        def hammer():
            while not stop.is_set():
                counts["sent"] += 1
                try:
                    rcode, texts = txt_of(self.server, "2.0.0.127.bl.example")
                except dns.exception.Timeout:
                    counts["lost"] += 1
                    continue
                if rcode != dns.rcode.NOERROR or len(texts) != 1:
                    counts["failed"] += 1
                    failures.append((rcode, texts))

        thread = threading.Thread(target=hammer)
        thread.start()
        try:
            for number in range(1, 7):
                # Each version also grows the file, so the reload has real work to do.
                extra = "".join("10.%d.%d.0/24\n" % (number, octet) for octet in range(200))
                self.zones.write("bl.ip4set", version(number, extra))
                self.server.reload()
                time.sleep(0.4)
        finally:
            stop.set()
            thread.join()
        self.wait_for_txt("2.0.0.127.bl.example", "version 6")
        self.assertGreater(counts["sent"], 50)
        self.assertEqual((counts["lost"], counts["failed"]), (0, 0), "%r %r" % (counts, failures[:5]))

    def test_broken_file_keeps_serving_the_last_good_data(self):
        self.start(version(1))
        self.wait_for_txt("2.0.0.127.bl.example", "version 1")
        self.zones.write("bl.ip4set", version(2, "127.0.0.7\nthis is not an address\n"))
        self.server.reload()
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            self.assertEqual(txt_of(self.server, "2.0.0.127.bl.example"), (dns.rcode.NOERROR, ['"version 1"']))
            self.assertEqual(txt_of(self.server, "7.0.0.127.bl.example")[0], dns.rcode.NXDOMAIN)
            time.sleep(0.1)
        self.assertEqual(self.server.process.proc.poll(), None, "shund died on a broken file")
        self.zones.write("bl.ip4set", version(3, "127.0.0.8\n"))
        self.server.reload()
        self.wait_for_txt("8.0.0.127.bl.example", "version 3")


if __name__ == "__main__":
    unittest.main()
