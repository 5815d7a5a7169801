"""The change path under faults: a base file that breaks while changes keep arriving, SIGKILL of shund
right after an add, during a rebuild and during a background merge, and SIGKILL of shunctl in the middle of a large batch (its
complete blocks stay, the next add goes after them)."""

import os
import random
import re
import signal
import subprocess
import sys
import time
import unittest

import dns.rcode
import dns.rdatatype

import harness

ZONE = "bl.example"
BIG_LINES = 300000


def header(serial):
    return ("$SOA 60 ns.example. hostmaster.example. %d 600 300 86400 60\n$NS 60 ns.example.\n"
            ":127.0.0.2:Listed\n" % serial)


def reverse(address):
    return harness.ip4_name(address, ZONE)


def big_body(lines):
    return "".join("10.%d.%d.%d\n" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(lines))


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class ChangePathFaultTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shunctl (root) writes journals here; shund (nobody) reads them
        self.server = None
        self.addCleanup(self.stop)

    def write_zone(self, body, serial=100):
        self.data = self.dir.write("bl.zone", header(serial) + body)
        self.spec = "%s:ip4set:%s" % (ZONE, self.data)

    def start(self):
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "-c", "0"])

    def stop(self):
        if self.server:
            self.server.stop()
            self.server = None

    def kill(self):
        self.server.process.signal(signal.SIGKILL)
        self.server.process.proc.wait()
        self.server.stop()
        self.server = None

    def shunctl(self, *args, stdin=None):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, *args, "--zone", ZONE], input=stdin,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def listed(self, address):
        return self.server.query(reverse(address), "A").rcode() == dns.rcode.NOERROR

    def wait_listed(self, address, timeout=3.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.listed(address):
                return
            time.sleep(0.01)
        self.fail("%s not served in %.1f s\n%s" % (address, timeout, self.server.log()))

    def serial(self):
        response = self.server.query(ZONE, "SOA")
        return [rrset for rrset in response.answer if rrset.rdtype == dns.rdatatype.SOA][0][0].serial

    def log_since(self, mark):
        return "\n".join(self.server.process.lines[mark:])

    def wait_log(self, mark, pattern, timeout=10.0):
        """Polls the log lines after mark for pattern: shund logs a reload after publishing it, and the
        harness reads its output on a thread of its own, so a served answer can come before its log line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log_since(mark)):
                return
            time.sleep(0.02)
        self.fail("no %r in the log within %.1f s:\n%s" % (pattern, timeout, self.log_since(mark)))

    def check(self):
        return harness.run_tool([harness.shund_path(), "--check", self.spec], timeout=60)

    # 2. A broken base while changes keep arriving.

    def test_add_while_the_file_is_broken_is_served_on_the_last_good_data(self):
        self.write_zone("10.0.0.1\n10.0.0.2\n")
        self.start()
        self.dir.write("bl.zone", header(101) + "10.0.0.1\nnot-an-address\n")
        mark = len(self.server.process.lines)
        self.server.reload()
        self.wait_log(mark, re.escape("still serving the previous data of ip4set:" + self.data))
        self.wait_log(mark, re.escape("bl.zone:5: invalid address"))
        mark = len(self.server.process.lines)
        self.shunctl("add", "198.51.100.7")
        self.wait_listed("198.51.100.7", timeout=10.0)
        self.assertTrue(self.listed("10.0.0.2"), "the last good file's data is still served")
        self.wait_log(mark, r"applied 1 journal record\(s\) to ip4set:.*still serving the previous data")
        self.dir.write("bl.zone", header(102) + "10.0.0.1\n10.0.0.3\n")
        self.server.reload()
        self.wait_listed("10.0.0.3")
        self.assertTrue(self.listed("198.51.100.7"), "the journalled add survives the fixed file")
        self.assertFalse(self.listed("10.0.0.2"))

    def test_add_right_after_the_file_broke_is_served_on_the_last_good_data(self):
        # No reload between the break and the add: the add's journal event finds both.
        self.write_zone("10.0.0.1\n10.0.0.2\n")
        self.start()
        self.dir.write("bl.zone", header(101) + "10.0.0.1\nnot-an-address\n")
        mark = len(self.server.process.lines)
        self.shunctl("add", "198.51.100.8")
        self.wait_listed("198.51.100.8", timeout=10.0)
        self.assertTrue(self.listed("10.0.0.2"))
        self.wait_log(mark, re.escape("bl.zone:5: invalid address"))
        self.wait_log(mark, re.escape("still serving the previous data of ip4set:" + self.data))
        self.dir.write("bl.zone", header(102) + "10.0.0.3\n")
        self.server.reload()
        self.wait_listed("10.0.0.3", timeout=10.0)
        self.assertTrue(self.listed("198.51.100.8"))

    # 3. SIGKILL.

    def test_sigkill_of_shund_right_after_an_add_loses_nothing_acknowledged(self):
        self.write_zone("10.0.0.1\n")
        self.start()
        rng = random.Random(12)
        acknowledged, last_serial = [], self.serial()
        for attempt in range(5):
            address = "198.51.100.%d" % (attempt + 1)
            self.shunctl("add", address)
            acknowledged.append(address)
            time.sleep(rng.choice([0, 0.005, 0.02, 0.05]))
            served = self.serial()  # just before the kill: the add may be applied by now
            self.assertGreaterEqual(served, last_serial)
            last_serial = served
            self.kill()
            self.start()
            for earlier in acknowledged:
                self.wait_listed(earlier)
            serial = self.serial()
            self.assertGreaterEqual(serial, last_serial, "the SOA serial went backwards")
            last_serial = serial
        self.assertGreater(last_serial, 100)

    def test_sigkill_of_shund_during_a_rebuild_loses_nothing_acknowledged(self):
        self.write_zone(big_body(BIG_LINES))
        self.start()
        last_serial = self.serial()
        acknowledged = []
        for attempt, delay in enumerate((0.0, 0.03, 0.15)):
            cidr = "198.51.%d.0/25" % (100 + 2 * attempt)  # a level-32 range of an ip4set: rebuilt
            mark = len(self.server.process.lines)
            self.shunctl("add", cidr)
            acknowledged.append("198.51.%d.9" % (100 + 2 * attempt))
            time.sleep(delay)
            served = self.serial()
            self.assertGreaterEqual(served, last_serial)
            last_serial = served
            process = self.server.process
            self.kill()
            finished = "reloaded after" in "\n".join(process.lines[mark:])
            print("\nkilled %s the rebuild finished" % ("after" if finished else "before"), file=sys.stderr)
            self.start()
            for address in acknowledged + ["10.4.147.223"]:
                self.wait_listed(address)
            serial = self.serial()
            self.assertGreaterEqual(serial, last_serial, "the SOA serial went backwards")
            last_serial = serial

    def test_sigkill_of_shund_during_a_background_merge_loses_nothing_acknowledged(self):
        # A batch past the overlay's merge threshold (8192 changes) starts a background merge as soon as it
        # is applied: shund is killed right after the batch is served, while the merge reads the data.
        self.write_zone(big_body(50000))
        self.start()
        batch = ["10.%d.%d.%d" % (200 + i // 65536, (i >> 8) & 255, i & 255) for i in range(9000)]
        self.shunctl("add", "-f", "-", stdin="\n".join(batch) + "\n")
        mark = len(self.server.process.lines)
        self.wait_listed(batch[-1], timeout=10.0)
        process = self.server.process
        self.kill()
        merged = "merged the changes" in "\n".join(process.lines[mark:])
        print("\nkilled %s the merge was adopted" % ("after" if merged else "before"), file=sys.stderr)
        check = self.check()
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.start()
        for address in [batch[0], batch[4095], batch[4096], batch[-1], "10.0.195.79"]:
            self.wait_listed(address, timeout=10.0)
        self.shunctl("add", "198.51.100.77")
        self.wait_listed("198.51.100.77", timeout=10.0)

    def test_sigkill_of_shunctl_during_a_batch_keeps_its_complete_blocks_and_the_next_add_works(self):
        self.write_zone("10.0.0.1\n")
        self.start()
        before = ["198.51.100.%d" % i for i in range(1, 21)]
        self.shunctl("add", "-f", "-", stdin="\n".join(before) + "\n")
        batch = ["10.%d.%d.%d" % (100 + i // 65536, (i >> 8) & 255, i & 255) for i in range(200000)]
        process = subprocess.Popen([harness.shunctl_path(), "--zone-spec", self.spec, "add", "-f", "-", "--zone", ZONE],
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process.stdin.write(("\n".join(batch) + "\n").encode())
        process.stdin.close()
        # Kill it once its journal blocks are being written (the journal grows past the first batch): the
        # size grows page by page during the write, so this often tears a block.
        journal = self.data + ".journal"
        size = os.path.getsize(journal)
        deadline = time.monotonic() + 60
        while os.path.getsize(journal) == size and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = self.check()
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        with open(journal, "rb") as written:
            text = written.read()
        # A batch is written as blocks of at most 4096 records: the complete ones are served, in order.
        commits = [int(count) for count in re.findall(rb"#@commit records=(\d+) crc=[0-9a-f]{8}\n", text[size:])]
        self.assertTrue(all(count <= 4096 for count in commits), commits)
        committed = sum(commits)
        print("\nshunctl killed with %d of %d records committed, %d bytes after them"
              % (committed, len(batch), len(text) - size - len(b"".join(re.findall(
                  rb"(?s).*#@commit records=\d+ crc=[0-9a-f]{8}\n", text[size:])))), file=sys.stderr)
        for address in before:
            self.wait_listed(address)
        sample = [batch[0], batch[-1]] + random.Random(3).sample(batch, 30)
        expected = {address for address in sample if batch.index(address) < committed}
        if committed:
            self.wait_listed(batch[committed - 1], timeout=10)
        else:
            time.sleep(0.3)
        served = {address for address in sample if self.listed(address)}
        self.assertEqual(served, expected, "the complete blocks of a batch are served, nothing else")
        self.shunctl("add", "198.51.100.99")  # after the torn block, not behind it
        self.wait_listed("198.51.100.99")
        self.kill()
        self.start()
        for address in before + ["198.51.100.99"]:
            self.wait_listed(address)
        self.assertEqual({address for address in sample if self.listed(address)}, served)

if __name__ == "__main__":
    unittest.main()
