"""TCP (RFC 7766): pipelined queries on one connection; an idle half-sent frame blocks nobody."""

import socket
import unittest

import dns.message
import dns.rcode

import harness

SERVER = harness.SharedServer()
setUpModule = SERVER.start
tearDownModule = SERVER.stop


def connect():
    return socket.create_connection((harness.HOST, SERVER.port), timeout=3)


class TcpTest(unittest.TestCase):
    def test_pipelined_queries_on_one_connection_are_all_answered(self):
        names = ["%d.0.0.127.bl.example" % last for last in (2, 3, 1, 2, 99, 4)] + ["bl.example"]
        queries = {1000 + index: harness.make_query(name, "TXT", qid=1000 + index)
                   for index, name in enumerate(names)}
        with connect() as sock:
            sock.sendall(b"".join(harness.tcp_frame(query.to_wire()) for query in queries.values()))
            answers = {}
            for _ in queries:
                reply = dns.message.from_wire(harness.read_tcp_frame(sock))
                answers[reply.id] = reply
        self.assertEqual(sorted(answers), sorted(queries))
        for qid, query in queries.items():
            self.assertEqual(answers[qid].question[0].name, query.question[0].name)
        self.assertEqual(answers[1000].rcode(), dns.rcode.NOERROR)
        self.assertEqual(answers[1002].rcode(), dns.rcode.NXDOMAIN)
        self.assertEqual(len(answers[1004].answer[0]), 30)

    def test_a_stalled_half_frame_does_not_block_other_clients(self):
        query = harness.make_query("2.0.0.127.bl.example", qid=7).to_wire()
        stalled = [connect() for _ in range(3)]
        try:
            stalled[0].sendall(b"\x00")  # half the length prefix
            stalled[1].sendall(harness.tcp_frame(query)[:9])  # length and part of the header
            # stalled[2] connected and sent nothing.
            for transport in ("udp", "tcp"):
                for _ in range(5):
                    response = SERVER.query("2.0.0.127.bl.example", "A", transport)
                    self.assertEqual(response.rcode(), dns.rcode.NOERROR)
            # The stalled client can still finish its frame and be answered.
            stalled[1].sendall(harness.tcp_frame(query)[9:])
            reply = dns.message.from_wire(harness.read_tcp_frame(stalled[1]))
            self.assertEqual(reply.id, 7)
        finally:
            for sock in stalled:
                sock.close()

    def test_connection_stays_open_for_sequential_queries(self):
        with connect() as sock:
            for qid in range(5):
                sock.sendall(harness.tcp_frame(harness.make_query("2.0.0.127.bl.example", qid=qid).to_wire()))
                reply = dns.message.from_wire(harness.read_tcp_frame(sock))
                self.assertEqual(reply.id, qid)
                self.assertEqual([rdata.to_text() for rdata in reply.answer[0]], ["127.0.0.2"])


if __name__ == "__main__":
    unittest.main()
