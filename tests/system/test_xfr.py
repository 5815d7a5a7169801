"""Zone transfers (RFC 5936 AXFR, RFC 1995 IXFR) and NOTIFY (RFC 1996): what a secondary receives is
what `shund -d` writes; refusals, limits and counters."""

import os
import re
import shutil
import socket
import struct
import subprocess
import time
import unittest

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig
import dns.tsigkeyring
import dns.zone

import harness

ALLOW = ["--xfr-allow", "127.0.0.0/8"]


def dump_records(specs):
    """(owner, type, rdata) of every record `shund -d` writes, per zone."""
    result = subprocess.run([harness.shund_path(), "-d", *specs], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    zones, origin, owner = {}, None, None
    for line in result.stdout.splitlines():
        if line.startswith("$ORIGIN"):
            origin = dns.name.from_text(line.split()[1])
            zones.setdefault(origin.to_text(), [])
            continue
        if not line or line.startswith("$") or line.startswith(";"):
            continue
        fields = line.split("\t")
        if fields[0]:
            owner = dns.name.from_text(fields[0], origin)
        rest = fields[1:]
        if rest[0].isdigit():
            rest = rest[1:]
        rdtype = dns.rdatatype.from_text(rest[0])
        rdata = dns.rdata.from_text(dns.rdataclass.IN, rdtype, "\t".join(rest[1:]), origin, relativize=False)
        zones[origin.to_text()].append((owner.to_text().lower(), rest[0], rdata.to_text()))
    return zones


def xfr_messages(port, zone, rdtype="AXFR", serial=None, qid=None):
    """Every message of one transfer over TCP, read until the closing SOA (or a single-SOA answer)."""
    query = dns.message.make_query(zone, rdtype)
    if qid is not None:
        query.id = qid
    if serial is not None:
        soa = dns.rrset.from_text(zone, 0, "IN", "SOA", ". . %d 0 0 0 0" % serial)
        query.authority.append(soa)
    messages, soas = [], 0
    with socket.create_connection((harness.HOST, port), timeout=5) as sock:
        sock.sendall(harness.tcp_frame(query.to_wire()))
        while True:
            message = dns.message.from_wire(harness.read_tcp_frame(sock), one_rr_per_rrset=True)
            messages.append(message)
            soas += sum(1 for rrset in message.answer if rrset.rdtype == dns.rdatatype.SOA)
            if message.rcode() != dns.rcode.NOERROR or soas >= 2:
                return messages
            if soas == 1 and len(message.answer) == 1 and len(messages) == 1 and rdtype == "IXFR":
                return messages


def records_of(messages):
    return [(rrset.name.to_text().lower(), dns.rdatatype.to_text(rrset.rdtype), rdata.to_text())
            for message in messages for rrset in message.answer for rdata in rrset]


def metrics(port):
    text = harness.http_request(port, "GET", "/metrics")[1]
    return {match.group(1): int(match.group(2)) for match in re.finditer(r"^(shun_xfr_\w+) (\d+)$", text, re.M)}


class XfrTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.zones = harness.ZoneDir()
        cls.specs = harness.standard_specs(cls.zones)
        cls.server = harness.start_shund(cls.specs, ALLOW + ["--http", "127.0.0.1/0"])
        cls.http = harness.http_port(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.zones.cleanup()

    def serial(self, zone):
        return self.server.query(zone, "SOA").answer[0][0].serial

    def test_axfr_of_every_zone_is_the_dump(self):
        dumped = dump_records(self.specs)
        for zone in ("bl.example.", "bl6.example.", "dbl.example.", "combo.example."):
            messages = xfr_messages(self.server.port, zone, qid=4242)
            records = records_of(messages)
            self.assertEqual(records[0][1], "SOA", zone)
            self.assertEqual(records[-1], records[0], zone)
            self.assertEqual(sorted(records[:-1]), sorted(dumped[zone]), zone)
            for message in messages:
                self.assertEqual(message.id, 4242)
                self.assertTrue(message.flags & dns.flags.AA)

    def test_dnspython_inbound_xfr_accepts_the_zone(self):
        zone = dns.zone.from_xfr(dns.query.xfr(harness.HOST, "bl.example", port=self.server.port, timeout=5))
        self.assertEqual(zone.get_rdataset("@", "SOA")[0].serial, self.serial("bl.example"))

    def test_ixfr_from_the_current_serial_is_one_soa_and_from_an_old_one_the_zone(self):
        serial = self.serial("bl.example")
        current = xfr_messages(self.server.port, "bl.example.", "IXFR", serial)
        self.assertEqual(len(current), 1)
        self.assertEqual([r[1] for r in records_of(current)], ["SOA"])
        old = records_of(xfr_messages(self.server.port, "bl.example.", "IXFR", serial - 5))
        self.assertEqual(old, records_of(xfr_messages(self.server.port, "bl.example.")))

    def test_over_udp_axfr_is_refused_and_ixfr_gets_the_single_soa(self):
        self.assertEqual(self.server.query("bl.example", "AXFR").rcode(), dns.rcode.REFUSED)
        query = dns.message.make_query("bl.example", "IXFR")
        query.authority.append(dns.rrset.from_text("bl.example.", 0, "IN", "SOA", ". . 1 0 0 0 0"))
        answer = dns.query.udp(query, harness.HOST, port=self.server.port, timeout=2)
        self.assertEqual([rrset.rdtype for rrset in answer.answer], [dns.rdatatype.SOA])

    def test_unserved_zone_is_notauth_and_malformed_ixfr_formerr_both_counted(self):
        before = metrics(self.http)
        self.assertEqual(xfr_messages(self.server.port, "other.example.")[0].rcode(), dns.rcode.NOTAUTH)
        self.assertEqual(xfr_messages(self.server.port, "2.0.0.127.bl.example.")[0].rcode(), dns.rcode.NOTAUTH)
        no_soa = dns.message.make_query("bl.example", "IXFR")
        self.assertEqual(dns.query.tcp(no_soa, harness.HOST, port=self.server.port, timeout=3).rcode(),
                         dns.rcode.FORMERR)
        after = metrics(self.http)
        self.assertEqual(after["shun_xfr_notauth_total"] - before["shun_xfr_notauth_total"], 2)
        self.assertEqual(after["shun_xfr_malformed_total"] - before["shun_xfr_malformed_total"], 1)
        self.assertGreater(after["shun_xfr_records_total"], 0)
        self.assertIsNotNone(self.server.process.wait_line("refused", 3), self.server.log())
        self.assertEqual(self.server.query("2.0.0.127.bl.example").rcode(), dns.rcode.NOERROR)


class XfrRefusedTest(unittest.TestCase):
    def test_without_xfr_allow_every_transfer_is_refused(self):
        zones = harness.ZoneDir()
        server = harness.start_shund(harness.standard_specs(zones))
        try:
            self.assertEqual(xfr_messages(server.port, "bl.example.")[0].rcode(), dns.rcode.REFUSED)
            self.assertIsNotNone(server.process.wait_line("not in xfr-allow", 3), server.log())
        finally:
            self.assertEqual(server.stop(), 0)
            zones.cleanup()


class XfrFloodTest(unittest.TestCase):
    def test_a_flood_from_one_address_is_capped_and_other_queries_are_answered(self):
        zones = harness.ZoneDir()
        lines = ["$SOA 3600 ns.big.example. h.big.example. 1 600 300 86400 300", ":2:spam $"]
        lines += ["10.%d.%d.%d" % (i >> 16, i >> 8 & 255, i & 255) for i in range(200000)]
        spec = "big.example:ip4set:" + zones.write("big", "\n".join(lines) + "\n")
        server = harness.start_shund([spec], ALLOW + ["--xfr-max-per-client", "2"])
        socks = []
        try:
            query = dns.message.make_query("big.example", "AXFR").to_wire()
            for _ in range(2):  # transfers that stall: their clients do not read
                sock = socket.create_connection((harness.HOST, server.port), timeout=5)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(harness.tcp_frame(query))
                socks.append(sock)
            for sock in socks:  # each transfer has begun (and counts) once its first bytes arrive
                self.assertTrue(sock.recv(2), server.log())
            for _ in range(5):
                refused = xfr_messages(server.port, "big.example.")
                self.assertEqual(refused[0].rcode(), dns.rcode.REFUSED)
            self.assertEqual(server.query("1.0.0.10.big.example").rcode(), dns.rcode.NOERROR)
            self.assertIsNotNone(server.process.wait_line("too many transfers", 3), server.log())
        finally:
            for sock in socks:
                sock.close()
            self.assertEqual(server.stop(), 0)
            zones.cleanup()


class XfrTsigTest(unittest.TestCase):
    SECRET = "c2h1bi10ZXN0LWtleS1zaHVuLXRlc3Qta2V5LXNodW4tdGVzdA=="

    def setUp(self):
        self.zones = harness.ZoneDir()
        key = self.zones.write("xfr.key", self.SECRET + "\n")
        os.chmod(key, 0o600)  # readable only by the service user, as shund(8) asks
        if os.geteuid() == 0:
            shutil.chown(key, harness.UNPRIVILEGED)
        self.server = harness.start_shund(harness.standard_specs(self.zones),
                                          ALLOW + ["-u", harness.UNPRIVILEGED, "--xfr-key", "xfr-key hmac-sha256 " + key])

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        self.zones.cleanup()

    def transfer(self, secret, name="xfr-key"):
        keyring = dns.tsigkeyring.from_text({name: secret})
        return dns.zone.from_xfr(dns.query.xfr(harness.HOST, "bl.example", port=self.server.port, timeout=5,
                                               keyring=keyring, keyalgorithm=dns.tsig.HMAC_SHA256))

    def test_signed_transfer_verifies_and_unsigned_wrong_key_or_secret_are_refused(self):
        zone = self.transfer(self.SECRET)  # dnspython checks the TSIG of every message
        self.assertEqual(zone.get_rdataset("@", "SOA")[0].serial, self.server.query("bl.example", "SOA").answer[0][0].serial)
        self.assertEqual(xfr_messages(self.server.port, "bl.example.")[0].rcode(), dns.rcode.REFUSED)
        with self.assertRaises(Exception):
            self.transfer("d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy1zZWNyZXQ=")
        with self.assertRaises(Exception):
            self.transfer(self.SECRET, "other-key")
        for line in ("not signed \\(TSIG\\)", "does not verify", "unknown TSIG key other-key\\."):
            self.assertIsNotNone(self.server.process.wait_line(line, 3), self.server.log())
        self.assertEqual(self.server.query("2.0.0.127.bl.example").rcode(), dns.rcode.NOERROR)

    def test_a_signed_soa_query_gets_a_signed_answer_over_udp_and_tcp(self):
        keyring = dns.tsigkeyring.from_text({"xfr-key": self.SECRET})
        for send in (dns.query.udp, dns.query.tcp):
            query = dns.message.make_query("bl.example", "SOA")
            query.use_tsig(keyring, keyname="xfr-key", algorithm=dns.tsig.HMAC_SHA256)
            answer = send(query, harness.HOST, port=self.server.port, timeout=3)  # dnspython verifies it
            self.assertTrue(answer.had_tsig)
            self.assertEqual(answer.answer[0].rdtype, dns.rdatatype.SOA)


def secret_file(zones, name, secret):
    """A key's secret file as shund(8) asks for it: mode 0600, owned by the user shund runs as."""
    path = zones.write(name, secret + "\n")
    os.chmod(path, 0o600)
    if os.geteuid() == 0:
        shutil.chown(path, harness.UNPRIVILEGED)
    return path


class XfrZoneAccessTest(unittest.TestCase):
    """Keys and ranges of one zone (shund.conf values with the zone first) apply to it alone."""
    SECRET_A = "a2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWEta2V5LWE="

    def test_a_zone_key_is_refused_for_another_zone_and_a_zone_range_opens_only_its_zone(self):
        zones = harness.ZoneDir()
        key = secret_file(zones, "a.key", self.SECRET_A)
        server = harness.start_shund(harness.standard_specs(zones), [
            "-u", harness.UNPRIVILEGED, "--xfr-allow", "192.0.2.1", "--xfr-allow", "bl.example 127.0.0.0/8",
            "--xfr-allow", "dbl.example 127.0.0.1", "--xfr-key", "bl.example key-a hmac-sha256 " + key])
        keyring = dns.tsigkeyring.from_text({"key-a": self.SECRET_A})
        try:
            zone = dns.zone.from_xfr(dns.query.xfr(harness.HOST, "bl.example", port=server.port, timeout=5,
                                                   keyring=keyring, keyalgorithm=dns.tsig.HMAC_SHA256))
            self.assertEqual(zone.get_rdataset("@", "SOA")[0].serial,
                             server.query("bl.example", "SOA").answer[0][0].serial)
            with self.assertRaises(dns.tsig.PeerBadKey):  # dbl.example has no key: key-a is unknown there
                dns.zone.from_xfr(dns.query.xfr(harness.HOST, "dbl.example", port=server.port, timeout=5,
                                                keyring=keyring, keyalgorithm=dns.tsig.HMAC_SHA256))
            self.assertEqual(xfr_messages(server.port, "bl.example.")[0].rcode(), dns.rcode.REFUSED)  # unsigned
            self.assertEqual(len(records_of(xfr_messages(server.port, "dbl.example."))) > 2, True)
            self.assertEqual(xfr_messages(server.port, "bl6.example.")[0].rcode(), dns.rcode.REFUSED)  # 192.0.2.1
            self.assertIsNotNone(server.process.wait_line("bl6.example: address not in xfr-allow", 3), server.log())
        finally:
            self.assertEqual(server.stop(), 0)
            zones.cleanup()


class XfrSlowReaderTest(unittest.TestCase):
    def test_a_transfer_longer_than_the_idle_timeout_completes_while_the_client_reads(self):
        zones = harness.ZoneDir()
        count = 200000
        lines = ["$SOA 3600 ns.big.example. h.big.example. 1 600 300 86400 300", ":2:spam $"]
        lines += ["10.%d.%d.%d" % (i >> 16, i >> 8 & 255, i & 255) for i in range(count)]
        spec = "big.example:ip4set:" + zones.write("big", "\n".join(lines) + "\n")
        server = harness.start_shund([spec], ALLOW + ["--tcp-idle-timeout", "1"])
        try:
            query = dns.message.make_query("big.example", "AXFR").to_wire()
            with socket.create_connection((harness.HOST, server.port), timeout=5) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
                sock.sendall(harness.tcp_frame(query))
                started, records = time.monotonic(), 0
                while records < 2 * count + 2:
                    records += struct.unpack(">H", harness.read_tcp_frame(sock)[6:8])[0]
                    if time.monotonic() - started < 2.5:
                        time.sleep(0.02)  # a slow secondary: the transfer outlasts the 1 s idle timeout
            self.assertGreater(time.monotonic() - started, 2.5)
            self.assertEqual(records, 2 * count + 2)
        finally:
            self.assertEqual(server.stop(), 0)
            zones.cleanup()


class NotifyTest(unittest.TestCase):
    def receive_notify(self, sock, timeout=6.0):
        sock.settimeout(timeout)
        data, peer = sock.recvfrom(4096)
        message = dns.message.from_wire(data)
        self.assertEqual(message.opcode(), dns.opcode.NOTIFY)
        self.assertTrue(message.flags & dns.flags.AA)
        return message, peer

    def test_notify_is_sent_retried_until_answered_and_sent_again_on_a_new_serial(self):
        zones = harness.ZoneDir()
        specs = harness.standard_specs(zones)
        secondary = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        secondary.bind((harness.HOST, 0))
        target = "bl.example %s/%d" % (harness.HOST, secondary.getsockname()[1])
        server = harness.start_shund(specs, ALLOW + ["--notify", target])
        try:
            first, _ = self.receive_notify(secondary)
            self.assertEqual(first.question[0].name.to_text(), "bl.example.")
            retry, peer = self.receive_notify(secondary)  # not answered: sent again
            self.assertEqual(retry.id, first.id)
            response = dns.message.make_response(retry)
            secondary.sendto(response.to_wire(), peer)
            serial = first.answer[0][0].serial
            with open(zones.file("bl.ip4set"), "a", encoding="utf-8") as data:
                data.write("192.0.2.99\n")
            server.reload()
            while True:  # a retry of the old one may still be in flight
                changed, peer = self.receive_notify(secondary)
                if changed.answer[0][0].serial != serial:
                    break
            self.assertNotEqual(changed.id, first.id)
        finally:
            secondary.close()
            self.assertEqual(server.stop(), 0)
            zones.cleanup()

    def test_notify_is_signed_with_the_zone_key_and_only_a_signed_answer_counts(self):
        zones = harness.ZoneDir()
        key = secret_file(zones, "bl.key", XfrTsigTest.SECRET)
        secondary = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        secondary.bind((harness.HOST, 0))
        target = "bl.example %s/%d" % (harness.HOST, secondary.getsockname()[1])
        server = harness.start_shund(harness.standard_specs(zones), ALLOW + [
            "-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0", "--notify", target,
            "--xfr-key", "bl.example bl-key hmac-sha256 " + key])
        http = harness.http_port(server)
        keyring = dns.tsigkeyring.from_text({"bl-key": XfrTsigTest.SECRET})
        try:
            secondary.settimeout(6)
            data, peer = secondary.recvfrom(4096)
            notify = dns.message.from_wire(data, keyring=keyring)  # raises unless the TSIG verifies
            self.assertTrue(notify.had_tsig)
            self.assertEqual(notify.keyname.to_text(), "bl-key.")
            unsigned = dns.message.Message(id=notify.id)
            unsigned.flags = dns.flags.QR | dns.flags.AA
            unsigned.set_opcode(dns.opcode.NOTIFY)
            unsigned.question = list(notify.question)
            secondary.sendto(unsigned.to_wire(), peer)
            self.assertIsNotNone(server.process.wait_line("answer not signed with bl-key", 3), server.log())
            retry = dns.message.from_wire(secondary.recvfrom(4096)[0], keyring=keyring)
            self.assertEqual(retry.id, notify.id)  # the unsigned answer did not end the retries
            secondary.sendto(dns.message.make_response(retry).to_wire(), peer)  # signed as the NOTIFY was
            deadline = time.monotonic() + 3
            while metrics(http)["shun_xfr_notify_acked_total"] != 1:
                self.assertLess(time.monotonic(), deadline, server.log())
                time.sleep(0.05)
        finally:
            secondary.close()
            self.assertEqual(server.stop(), 0)
            zones.cleanup()


if __name__ == "__main__":
    unittest.main()
