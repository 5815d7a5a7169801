"""Debian's Knot, NSD and BIND as secondaries of shund on loopback (docs/scale-out.md): each transfers
every zone (signed with TSIG), answers as shund does, and after a change takes an IXFR (not an AXFR)
within a second of the NOTIFY, which Knot and NSD accept only signed with the key. Knot killed in the middle of
a transfer catches up after its restart. Skipped where a server is not installed (scripts/install-deps installs them)."""

import os
import re
import shutil
import subprocess
import time
import unittest

import dns.rcode

import harness

ZONES = ("bl.example", "bl6.example", "dbl.example", "combo.example")
# name, type: answers a secondary must give as shund does
QUERIES = [("2.0.0.127.bl.example", "A"), ("2.0.0.127.bl.example", "TXT"), ("3.0.0.127.bl.example", "TXT"),
           ("9.9.9.10.bl.example", "A"), ("3.2.1.10.bl.example", "A"), ("7.2.0.192.bl.example", "A"),
           ("1.0.0.127.bl.example", "A"), ("ns1.bl.example", "A"), ("bl.example", "TXT"),
           ("test.dbl.example", "TXT"), ("x.wild.example.dbl.example", "A"),
           ("y.sub.wild.example.dbl.example", "A"), ("both.example.dbl.example", "A"),
           ("2.0.0.127.relays.combo.example", "TXT"), ("spam.example.names.sub.combo.example", "A"),
           (harness.ip6_name("2001:db8::1", "bl6.example"), "A"),
           (harness.ip6_name("2001:db8::bad", "bl6.example"), "A")]


KEY, SECRET = "xfr-key", "c2h1bi10ZXN0LWtleS1zaHVuLXRlc3Qta2V5LXNodW4tdGVzdA=="


def knot_config(directory, port, primary, zones=ZONES):
    zones = "".join("  - domain: %s\n    master: primary\n    acl: primary\n" % zone for zone in zones)
    return ("server:\n  listen: 127.0.0.1@%d\n  rundir: %s\n"
            "database:\n  storage: %s\n"
            "log:\n  - target: stderr\n    any: info\n"
            "key:\n  - id: %s\n    algorithm: hmac-sha256\n    secret: %s\n"
            "remote:\n  - id: primary\n    address: 127.0.0.1@%d\n    key: %s\n"
            "acl:\n  - id: primary\n    address: 127.0.0.1\n    key: %s\n    action: notify\n"
            "template:\n  - id: default\n    storage: %s\n    zonefile-sync: -1\n    zonefile-load: none\n"
            "    journal-content: changes\n"
            "zone:\n%s" % (port, directory, directory, KEY, SECRET, primary, KEY, KEY, directory, zones))


def nsd_config(directory, port, primary, zones=ZONES):
    zones = "".join("zone:\n  name: %s\n  request-xfr: 127.0.0.1@%d %s\n  allow-notify: 127.0.0.1 %s\n"
                    % (zone, primary, KEY, KEY) for zone in zones)
    return ("server:\n  ip-address: 127.0.0.1@%d\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"%s\"\n"
            "  database: \"\"\n  pidfile: \"%s/nsd.pid\"\n  xfrdfile: \"%s/xfrd.state\"\n"
            "  zonelistfile: \"%s/zone.list\"\n  xfrdir: \"%s\"\n  verbosity: 2\n  rrl-ratelimit: 0\n"
            "  xfrd-reload-timeout: 0\n"
            "remote-control:\n  control-enable: no\n"
            "key:\n  name: %s\n  algorithm: hmac-sha256\n  secret: \"%s\"\n%s"
            % (port, directory, directory, directory, directory, directory, KEY, SECRET, zones))


def bind_config(directory, port, primary, zones=ZONES):
    zones = "".join('zone "%s" { type secondary; primaries port %d { 127.0.0.1; }; file "%s/%s.db"; };\n'
                    % (zone, primary, directory, zone) for zone in zones)
    return ('options { directory "%s"; listen-on port %d { 127.0.0.1; }; listen-on-v6 { none; };\n'
            '  pid-file "%s/named.pid"; recursion no; notify no; allow-notify { 127.0.0.1; };\n'
            '  request-ixfr yes; };\ncontrols { };\n'
            'key "%s" { algorithm hmac-sha256; secret "%s"; };\n'
            'server 127.0.0.1 { keys { %s; }; };\n%s' % (directory, port, directory, KEY, SECRET, KEY, zones))


SECONDARIES = {
    "knot": ("knotd", knot_config, lambda conf: ["knotd", "-c", conf]),
    "nsd": ("nsd", nsd_config, lambda conf: ["nsd", "-d", "-c", conf]),
    "bind": ("named", bind_config, lambda conf: ["named", "-g", "-c", conf]),
}


def answer_key(response):
    """What a resolver ends with: an excluded name's CNAME to excluded.invalid. resolves to NXDOMAIN."""
    rdatas = sorted(rdata.to_text() for rrset in response.answer for rdata in rrset)
    if rdatas == ["excluded.invalid."]:
        return ("NXDOMAIN", [])
    return (dns.rcode.to_text(response.rcode()), rdatas)


class SecondaryCase:
    """One secondary: started on a free port with shund (port 0) as its primary."""
    name = None

    def setUp(self):
        binary, self.config, self.argv = SECONDARIES[self.name]
        if not shutil.which(binary) and not os.path.exists("/usr/sbin/" + binary):
            self.skipTest("%s is not installed" % binary)
        self.zones = harness.ZoneDir()
        self.state = harness.ZoneDir()
        os.chmod(self.zones.path, 0o777)  # shunctl writes journals here
        self.specs = harness.standard_specs(self.zones)
        self.port = harness.free_port()
        notify = ["--notify=%s 127.0.0.1/%d" % (zone, self.port) for zone in ZONES]
        key = self.state.write("xfr.key", SECRET + "\n")
        os.chmod(key, 0o600)  # readable only by the service user
        if os.geteuid() == 0:
            shutil.chown(key, harness.UNPRIVILEGED)
        self.shund = harness.start_shund(self.specs, ["-u", harness.UNPRIVILEGED, "--xfr-allow", "127.0.0.1",
                                                      "--xfr-key", "%s hmac-sha256 %s" % (KEY, key)] + notify)
        conf = os.path.join(self.state.path, "secondary.conf")
        with open(conf, "w", encoding="utf-8") as out:
            out.write(self.config(self.state.path, self.port, self.shund.port))
        self.secondary = harness.Process(self.argv(conf), self.name)

    def tearDown(self):
        if hasattr(self, "secondary"):
            self.secondary.stop()
            self.shund.stop()
            self.zones.cleanup()
            self.state.cleanup()

    def wait_serial(self, zone, serial, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                answer = harness.query(self.port, zone, "SOA", timeout=0.3)
                if answer.answer and answer.answer[0][0].serial == serial:
                    return time.monotonic()
            except Exception:  # not up yet
                pass
            time.sleep(0.02)
        self.fail("%s: %s not at serial %s in %ss:\n%s" % (self.name, zone, serial, timeout, self.secondary.log()))

    def shunctl(self, *args):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", self.specs[0], *args],
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_transfers_every_zone_answers_as_shund_and_takes_changes_by_ixfr(self):
        for zone in ZONES:
            self.wait_serial(zone, self.shund.query(zone, "SOA").answer[0][0].serial, timeout=20)
        for name, rdtype in QUERIES:
            expected = answer_key(self.shund.query(name, rdtype))
            got = answer_key(harness.query(self.port, name, rdtype))
            self.assertEqual(got, expected, "%s %s from %s" % (name, rdtype, self.name))
        for action in (("add", "198.51.100.7", "--for", "1h", "--reason", "test"), ("remove", "198.51.100.7")):
            before = self.shund.query("bl.example", "SOA").answer[0][0].serial
            started = time.monotonic()
            self.shunctl(action[0], action[1], "--zone", "bl.example", *action[2:])
            deadline = time.monotonic() + 5
            while self.shund.query("bl.example", "SOA").answer[0][0].serial == before:
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.01)
            serial = self.shund.query("bl.example", "SOA").answer[0][0].serial
            current = self.wait_serial("bl.example", serial)
            self.assertLess(current - started, 1.5, "%s took %.2fs" % (self.name, current - started))
            expected = answer_key(self.shund.query("7.100.51.198.bl.example", "A"))
            # NSD's old server processes may answer for a moment after its new ones serve the new serial.
            deadline = time.monotonic() + 2
            while answer_key(harness.query(self.port, "7.100.51.198.bl.example", "A")) != expected:
                self.assertLess(time.monotonic(), deadline, "%s: the change is not served" % self.name)
                time.sleep(0.02)
        # shund says how it answered each transfer; the secondary's own log where it says it too.
        deadline = time.monotonic() + 3  # the log lines come through a reader thread
        while len(re.findall(r"IXFR of bl\.example to 127\.0\.0\.1: 1 change", self.shund.log())) < 2:
            self.assertLess(time.monotonic(), deadline, self.shund.log())
            time.sleep(0.05)
        self.assertNotIn("TSIG", self.shund.log())  # every request was signed and verified
        if self.IXFR_LOG:
            self.assertRegex(self.secondary.log(), self.IXFR_LOG)


class KnotTest(SecondaryCase, unittest.TestCase):
    name = "knot"
    IXFR_LOG = r"IXFR, incoming"


class NsdTest(SecondaryCase, unittest.TestCase):
    name = "nsd"
    IXFR_LOG = None  # NSD 4.6 logs "received update ... of 430 bytes", not the kind of transfer


class BindTest(SecondaryCase, unittest.TestCase):
    name = "bind"
    IXFR_LOG = r"Transfer completed: 1 messages, 6 records"  # two SOAs, A and TXT, two SOAs


class KnotRestartTest(unittest.TestCase):
    """Knot killed while it takes a zone of 50k entries (100k records), and the zone changed while it is down: once
    restarted it transfers again and ends at shund's serial."""

    def test_a_secondary_killed_mid_transfer_catches_up_after_its_restart(self):
        if not os.path.exists("/usr/sbin/knotd"):
            self.skipTest("knotd is not installed")
        zones, state = harness.ZoneDir(), harness.ZoneDir()
        lines = ["$SOA 3600 ns.big.example. h.big.example. 1 600 300 86400 300", ":2:spam $"]
        lines += ["10.%d.%d.%d" % (i >> 16, i >> 8 & 255, i & 255) for i in range(50000)]
        data = zones.write("big", "\n".join(lines) + "\n")
        port = harness.free_port()
        key = state.write("xfr.key", SECRET + "\n")
        os.chmod(key, 0o600)
        if os.geteuid() == 0:
            shutil.chown(key, harness.UNPRIVILEGED)
        shund = harness.start_shund(["big.example:ip4set:" + data], [
            "-u", harness.UNPRIVILEGED, "--xfr-allow", "127.0.0.1", "--xfr-key", "%s hmac-sha256 %s" % (KEY, key),
            "--notify", "big.example 127.0.0.1/%d" % port])
        conf = os.path.join(state.path, "knot.conf")
        with open(conf, "w", encoding="utf-8") as out:
            out.write(knot_config(state.path, port, shund.port, zones=("big.example",)))
        knot = harness.Process(["knotd", "-c", conf], "knot")
        try:
            self.assertIsNotNone(shund.process.wait_line("AXFR of big.example to 127.0.0.1", 10), shund.log())
            self.assertIsNotNone(knot.wait_line(r"AXFR, incoming, .* started", 10), knot.log())
            os.kill(knot.proc.pid, 9)  # while it still reads the 100k records
            knot.proc.wait(5)
            self.assertNotIn("finished", knot.log())
            with open(data, "a", encoding="utf-8") as out:
                out.write("192.0.2.77\n")
            before = shund.query("big.example", "SOA").answer[0][0].serial
            shund.reload()
            deadline = time.monotonic() + 5
            while shund.query("big.example", "SOA").answer[0][0].serial == before:
                self.assertLess(time.monotonic(), deadline, shund.log())
                time.sleep(0.02)
            serial = shund.query("big.example", "SOA").answer[0][0].serial
            knot = harness.Process(["knotd", "-c", conf], "knot")
            deadline = time.monotonic() + 15
            while True:
                try:
                    answer = harness.query(port, "big.example", "SOA", timeout=0.3)
                    if answer.answer and answer.answer[0][0].serial == serial:
                        break
                except Exception:  # not up yet
                    pass
                self.assertLess(time.monotonic(), deadline, knot.log())
                time.sleep(0.05)
            self.assertEqual(harness.query(port, "77.2.0.192.big.example", "A").rcode(), dns.rcode.NOERROR)
            self.assertEqual(len(re.findall(r"XFR of big\.example to 127\.0\.0\.1", shund.log())), 2, shund.log())
        finally:
            knot.stop()
            shund.stop()
            zones.cleanup()
            state.cleanup()


if __name__ == "__main__":
    unittest.main()
