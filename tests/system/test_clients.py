"""shund answers the command-line clients operators use: dig (BIND) and kdig (Knot), over UDP and TCP."""

import shutil
import unittest

import harness

SERVER = harness.SharedServer()
setUpModule = SERVER.start
tearDownModule = SERVER.stop


class ClientTest(unittest.TestCase):
    def client(self, tool, transport, *args):
        tcp = "+tcp" if transport == "tcp" else "+notcp"
        limits = ["+time=2", "+tries=1"] if tool == "dig" else ["+timeout=2", "+retry=0"]
        result = harness.run_tool([tool, "@" + harness.HOST, "-p", str(SERVER.port), tcp, *limits, *args])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def clients(self):
        for tool in ("dig", "kdig"):
            if not shutil.which(tool):
                self.fail("%s is not installed (scripts/install-deps)" % tool)
        return [(tool, transport) for tool in ("dig", "kdig") for transport in ("udp", "tcp")]

    def test_short_a_answer(self):
        for tool, transport in self.clients():
            with self.subTest(tool=tool, transport=transport):
                output = self.client(tool, transport, "+short", "2.0.0.127.bl.example", "A")
                self.assertEqual(output.split(), ["127.0.0.2"])

    def test_txt_answer(self):
        for tool, transport in self.clients():
            with self.subTest(tool=tool, transport=transport):
                output = self.client(tool, transport, "+short", "2.0.0.127.bl.example", "TXT")
                self.assertEqual(output.strip(), '"Listed, see http://127.0.0.1:8053/lookup/127.0.0.2"')

    def test_nxdomain_status_and_aa_flag(self):
        for tool, transport in self.clients():
            with self.subTest(tool=tool, transport=transport):
                output = self.client(tool, transport, "1.0.0.127.bl.example", "A")
                self.assertRegex(output, r"status: NXDOMAIN")
                self.assertRegex(output, r"(?i)flags: [^;]*\baa\b")
                self.assertIn("hostmaster.bl.example.", output)

    def test_dig_any_over_tcp_default(self):
        # Modern dig sends ANY over TCP on its own; rbldnsd cannot answer it, shund must.
        result = harness.run_tool(["dig", "@" + harness.HOST, "-p", str(SERVER.port), "+time=2", "+tries=1",
                                   "+short", "2.0.0.127.bl.example", "ANY"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("127.0.0.2", result.stdout.split())


if __name__ == "__main__":
    unittest.main()
