"""DNS answers of a running shund for the standard test zones, over UDP and TCP."""

import random
import socket
import struct
import unittest

import dns.flags
import dns.rcode
import dns.rdataclass
import dns.rdatatype

import harness
from harness import ip4_name, ip6_name

TRANSPORTS = ("udp", "tcp")
SERVER = harness.SharedServer()
setUpModule = SERVER.start
tearDownModule = SERVER.stop


def answer_texts(response, rdtype):
    return sorted(rdata.to_text() for rrset in response.answer if rrset.rdtype == rdtype for rdata in rrset)


class AnswerTest(unittest.TestCase):
    """Helpers shared by the answer tests."""

    def ask(self, name, rdtype="A", transport="udp", **options):
        return SERVER.query(name, rdtype, transport, **options)

    def assertRcode(self, response, rcode):
        self.assertEqual(dns.rcode.to_text(response.rcode()), dns.rcode.to_text(rcode), response.to_text())

    def assertListed(self, name, a=None, txt=None, transport="udp"):
        response = self.ask(name, "A", transport)
        self.assertRcode(response, dns.rcode.NOERROR)
        self.assertTrue(response.flags & dns.flags.AA, "AA not set")
        if a is not None:
            self.assertEqual(answer_texts(response, dns.rdatatype.A), [a])
        if txt is not None:
            response = self.ask(name, "TXT", transport)
            self.assertEqual(answer_texts(response, dns.rdatatype.TXT), ['"%s"' % txt])

    def assertNegative(self, name, rcode, rdtype="A", transport="udp", soa_ttl=300, zone="bl.example."):
        """rcode with an empty ANSWER and the zone's SOA in AUTHORITY with the RFC 2308 TTL."""
        response = self.ask(name, rdtype, transport)
        self.assertRcode(response, rcode)
        self.assertTrue(response.flags & dns.flags.AA, "AA not set")
        self.assertEqual(response.answer, [], response.to_text())
        soas = [rrset for rrset in response.authority if rrset.rdtype == dns.rdatatype.SOA]
        self.assertEqual(len(soas), 1, response.to_text())
        self.assertEqual(soas[0].name.to_text().lower(), zone)
        self.assertEqual(soas[0].ttl, soa_ttl)


class ListedTest(AnswerTest):
    def test_listed_ip_answers_a_and_expanded_txt(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed("2.0.0.127.bl.example", "127.0.0.2",
                                  "Listed, see http://127.0.0.1:8053/lookup/127.0.0.2", transport)

    def test_txt_template_expands_variables_and_address(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed("3.0.0.127.bl.example", "127.0.0.3",
                                  "Spam source 127.0.0.3 (see http://example.org/why)", transport)

    def test_any_returns_a_and_txt(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                response = self.ask("2.0.0.127.bl.example", "ANY", transport)
                self.assertEqual(answer_texts(response, dns.rdatatype.A), ["127.0.0.2"])
                self.assertEqual(len(answer_texts(response, dns.rdatatype.TXT)), 1)

    def test_range_with_exclusion(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed(ip4_name("10.200.3.4", "bl.example"), "127.0.0.2", transport=transport)
                self.assertNegative(ip4_name("10.1.2.3", "bl.example"), dns.rcode.NXDOMAIN, transport=transport)

    def test_answer_ttl_is_the_default_2100(self):
        response = self.ask("2.0.0.127.bl.example")
        self.assertEqual(response.answer[0].ttl, 2100)

    def test_leading_zeros_in_ip_labels_are_accepted(self):
        self.assertListed("02.0.0.127.bl.example", "127.0.0.2")


class NegativeTest(AnswerTest):
    def test_unlisted_is_nxdomain_with_soa(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertNegative("1.0.0.127.bl.example", dns.rcode.NXDOMAIN, transport=transport)

    def test_negative_soa_ttl_is_min_of_soa_ttl_and_minimum(self):
        # bl6.example: SOA TTL 60, MINIMUM 7200 -> 60 (RFC 2308 section 3; rbldnsd answers 7200).
        self.assertNegative(ip6_name("::1", "bl6.example"), dns.rcode.NXDOMAIN, soa_ttl=60, zone="bl6.example.")
        # dbl.example: SOA TTL 3600, MINIMUM 60 -> 60.
        self.assertNegative("invalid.dbl.example", dns.rcode.NXDOMAIN, soa_ttl=60, zone="dbl.example.")

    def test_listed_name_has_no_data_for_other_types(self):
        for transport in TRANSPORTS:
            for rdtype in ("AAAA", "MX", "NS"):
                with self.subTest(transport=transport, rdtype=rdtype):
                    self.assertNegative("2.0.0.127.bl.example", dns.rcode.NOERROR, rdtype, transport)

    def test_listed_entry_without_txt_has_no_txt_data(self):
        self.assertListed(ip4_name("192.0.2.7", "bl.example"), "127.0.0.4")
        self.assertNegative(ip4_name("192.0.2.7", "bl.example"), dns.rcode.NOERROR, "TXT")

    def test_empty_non_terminals_are_nodata(self):
        names = [("127.bl.example", "bl.example.", 300), ("0.0.127.bl.example", "bl.example.", 300),
                 ("com.dbl.example", "dbl.example.", 60), ("sub.combo.example", "combo.example.", 300)]
        for transport in TRANSPORTS:
            for name, zone, ttl in names:
                with self.subTest(transport=transport, name=name):
                    self.assertNegative(name, dns.rcode.NOERROR, "A", transport, ttl, zone)

    def test_partial_ip_with_nothing_below_is_nxdomain(self):
        self.assertNegative("99.bl.example", dns.rcode.NXDOMAIN)
        self.assertNegative("5.0.127.bl.example", dns.rcode.NXDOMAIN)

    def test_names_outside_our_zones_are_refused(self):
        for transport in TRANSPORTS:
            for name in ("example.org", "2.0.0.127.bl.example.org", "example"):
                with self.subTest(transport=transport, name=name):
                    response = self.ask(name, "A", transport)
                    self.assertRcode(response, dns.rcode.REFUSED)
                    self.assertFalse(response.flags & dns.flags.AA)


class ApexTest(AnswerTest):
    def test_apex_soa(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                response = self.ask("bl.example", "SOA", transport)
                self.assertRcode(response, dns.rcode.NOERROR)
                self.assertTrue(response.flags & dns.flags.AA)
                self.assertEqual(answer_texts(response, dns.rdatatype.SOA),
                                 ["ns1.bl.example. hostmaster.bl.example. 2026112201 600 300 86400 300"])
                self.assertEqual(response.answer[0].ttl, 3600)

    def test_apex_ns(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                response = self.ask("bl.example", "NS", transport)
                self.assertRcode(response, dns.rcode.NOERROR)
                self.assertEqual(answer_texts(response, dns.rdatatype.NS), ["ns1.bl.example."])

    def test_apex_generic_txt_and_glue_name(self):
        response = self.ask("bl.example", "TXT")
        self.assertEqual(answer_texts(response, dns.rdatatype.TXT), ['"shun system test zone"'])
        self.assertListed("ns1.bl.example", "127.0.0.53")


class ProtocolTest(AnswerTest):
    def test_question_case_is_echoed(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                response = self.ask("2.0.0.127.Bl.ExAmPlE", "A", transport)
                self.assertEqual(response.question[0].name.to_text(), "2.0.0.127.Bl.ExAmPlE.")
                self.assertEqual(answer_texts(response, dns.rdatatype.A), ["127.0.0.2"])

    def test_edns_opt_is_echoed(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertEqual(self.ask("2.0.0.127.bl.example", "A", transport, edns=0).edns, 0)
                self.assertEqual(self.ask("1.0.0.127.bl.example", "A", transport, edns=0).edns, 0)
                self.assertEqual(self.ask("2.0.0.127.bl.example", "A", transport).edns, -1)

    def test_big_answer_sets_tc_over_udp_and_is_complete_over_tcp(self):
        response = self.ask("99.0.0.127.bl.example", "TXT", "udp")
        self.assertTrue(response.flags & dns.flags.TC, "TC not set")
        self.assertLessEqual(len(response.to_wire()), 512)
        # EDNS raises the limit to the client's size, capped at 1232 by default (--max-udp-size).
        response = self.ask("99.0.0.127.bl.example", "TXT", "udp", edns=0, payload=4096)
        self.assertTrue(response.flags & dns.flags.TC, "TC not set")
        self.assertLessEqual(len(response.to_wire()), 1232)
        self.assertEqual(response.edns, 0)
        response = self.ask("99.0.0.127.bl.example", "TXT", "tcp")
        self.assertFalse(response.flags & dns.flags.TC)
        self.assertEqual(len(answer_texts(response, dns.rdatatype.TXT)), 30)

    def test_answer_over_512_bytes_fits_with_edns(self):
        response = self.ask("98.0.0.127.bl.example", "TXT", "udp")
        self.assertTrue(response.flags & dns.flags.TC, "TC not set")
        response = self.ask("98.0.0.127.bl.example", "TXT", "udp", edns=0, payload=1232)
        self.assertFalse(response.flags & dns.flags.TC)
        self.assertEqual(len(answer_texts(response, dns.rdatatype.TXT)), 8)
        self.assertGreater(len(response.to_wire()), 512)

    def test_two_questions_is_formerr(self):
        query = harness.make_query("2.0.0.127.bl.example", qid=4242).to_wire()
        question = query[12:]
        packet = query[:4] + struct.pack("!H", 2) + query[6:] + question
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                reply = self.raw(packet, transport)
                self.assertIsNotNone(reply, "no reply")
                self.assertEqual(reply[:2], query[:2])
                self.assertEqual(reply[3] & 0x0F, dns.rcode.FORMERR)

    def test_garbage_does_not_kill_the_server(self):
        rng = random.Random(5782)
        packets = [b"", b"\x00", b"\x12\x34\x81\x00", b"\xff" * 12, b"\x00\x01\x00\x00\x00\x01" + b"\x00" * 6,
                   b"\x00\x02\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01"]
        packets += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600))) for _ in range(200)]
        for packet in packets:
            harness.send_raw_udp(SERVER.port, packet, timeout=0.01)
        self.assertListed("2.0.0.127.bl.example", "127.0.0.2")
        self.assertListed("2.0.0.127.bl.example", "127.0.0.2", transport="tcp")

    def test_version_bind_chaos_txt(self):
        for transport in TRANSPORTS:
            for name in ("version.bind", "version.server"):
                with self.subTest(transport=transport, name=name):
                    response = self.ask(name, "TXT", transport, rdclass="CH")
                    self.assertRcode(response, dns.rcode.NOERROR)
                    texts = answer_texts(response, dns.rdatatype.TXT)
                    self.assertEqual(len(texts), 1)
                    self.assertRegex(texts[0], r'^"shund \d+\.\d+\.\d+"$')  # shund(8): "shund VERSION"
                    self.assertEqual(response.answer[0].rdclass, dns.rdataclass.CH)

    def raw(self, packet, transport):
        if transport == "udp":
            return harness.send_raw_udp(SERVER.port, packet)
        with socket.create_connection((harness.HOST, SERVER.port), timeout=2) as sock:
            sock.sendall(harness.tcp_frame(packet))
            return harness.read_tcp_frame(sock)


class ListTypesTest(AnswerTest):
    def test_rfc5782_test_points(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed("2.0.0.127.bl.example", "127.0.0.2", transport=transport)
                self.assertNegative("1.0.0.127.bl.example", dns.rcode.NXDOMAIN, transport=transport)
                # RFC 5782 section 5: ::FFFF:7F00:2 listed, ::FFFF:7F00:1 not, in IPv6 lists.
                self.assertListed(ip6_name("::ffff:7f00:2", "bl6.example"), "127.0.0.2", transport=transport)
                self.assertNegative(ip6_name("::ffff:7f00:1", "bl6.example"), dns.rcode.NXDOMAIN, "A", transport,
                                    60, "bl6.example.")
                self.assertListed("test.dbl.example", "127.0.1.2", transport=transport)
                self.assertNegative("invalid.dbl.example", dns.rcode.NXDOMAIN, "A", transport, 60, "dbl.example.")

    def test_ipv4_mapped_nibble_name_is_looked_up_in_ipv4_data(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed(ip6_name("::ffff:127.0.0.2", "bl.example"), "127.0.0.2", transport=transport)
                self.assertNegative(ip6_name("::ffff:127.0.0.1", "bl.example"), dns.rcode.NXDOMAIN,
                                    transport=transport)

    def test_ipv6_nibble_names(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed(ip6_name("2001:db8::1", "bl6.example"), "127.0.0.2",
                                  "IPv6 2001:db8::1 listed", transport)
                self.assertListed(ip6_name("2001:db8:1:2::", "bl6.example"), "127.0.0.5",
                                  "Single host 2001:db8:1:2::", transport)
                self.assertNegative(ip6_name("2001:db8::bad", "bl6.example").upper(), dns.rcode.NXDOMAIN, "A",
                                    transport, 60, "bl6.example.")
                self.assertNegative(ip6_name("2001:db9::1", "bl6.example"), dns.rcode.NXDOMAIN, "A", transport,
                                    60, "bl6.example.")

    def test_dnset_wildcards_and_exclusions(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed("a.wild.example.dbl.example", "127.0.1.2", "Domain wild.example listed",
                                  transport)
                self.assertListed("sub.wild.example.dbl.example", "127.0.1.2", transport=transport)
                self.assertListed("both.example.dbl.example", "127.0.1.2", transport=transport)
                self.assertListed("x.bad.both.example.dbl.example", "127.0.1.2", transport=transport)
                self.assertListed("example.com.dbl.example", "127.0.1.2", "Domain example.com listed", transport)
                for name in ("x.sub.wild.example", "bad.both.example", "www.example.com"):
                    self.assertNegative(name + ".dbl.example", dns.rcode.NXDOMAIN, "A", transport, 60,
                                        "dbl.example.")

    def test_combined_sub_zones(self):
        for transport in TRANSPORTS:
            with self.subTest(transport=transport):
                self.assertListed("2.0.0.127.combo.example", "127.0.0.2", "Open proxy 127.0.0.2", transport)
                self.assertListed("2.0.0.127.proxies.combo.example", "127.0.0.2", transport=transport)
                self.assertListed("2.0.0.127.relays.combo.example", "127.0.0.3", "Open relay 127.0.0.2",
                                  transport)
                self.assertListed("spam.example.names.sub.combo.example", "127.0.0.4",
                                  "Name spam.example listed", transport)
                self.assertNegative("3.0.0.127.relays.combo.example", dns.rcode.NXDOMAIN, "A", transport, 300,
                                    "combo.example.")
                self.assertNegative("relays.combo.example", dns.rcode.NOERROR, "A", transport, 300,
                                    "combo.example.")


if __name__ == "__main__":
    unittest.main()
