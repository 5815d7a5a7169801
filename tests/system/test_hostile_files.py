"""Hostile and damaged files (issue 16): a torn or corrupt journal loses no acknowledged change, planted
symbolic links are never followed by a root-run shunctl, gzip data files are edited as gzip, and data
files that are FIFOs, devices, gzip bombs or absurdly long lines are load errors that keep the last good
data served."""

import glob
import gzip
import os
import pwd
import signal
import subprocess
import time
import unittest
import zlib

import dns.rcode

import harness

ZONE = "bl.example"
BASE = ("$SOA 60 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 60\n$NS 60 ns.bl.example.\n"
        ":127.0.0.2:Listed\n127.0.0.2\n192.0.2.1\n")


def reverse(address):
    return harness.ip4_name(address, ZONE)


def nobody():
    entry = pwd.getpwnam(harness.UNPRIVILEGED)
    return entry.pw_uid, entry.pw_gid


class HostileBase(unittest.TestCase):
    gzipped = False

    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # the service user's data directory: it can plant names here
        self.data = self.dir.file("bl.zone")
        self.write_data(BASE)
        self.spec = "%s:ip4trie:%s" % (ZONE, self.data)
        self.server = None
        self.addCleanup(self.stop)

    def write_data(self, text):
        if self.gzipped:
            with open(self.data + ".new", "wb") as out:
                out.write(gzip.compress(text.encode()))
            os.chmod(self.data + ".new", 0o644)
            os.replace(self.data + ".new", self.data)
        else:
            self.dir.write("bl.zone", text)

    def start(self, *options):
        self.server = harness.start_shund([self.spec], ["-u", harness.UNPRIVILEGED, "-c", "0", *options])

    def stop(self):
        if self.server:
            self.server.stop()
            self.server = None

    def shunctl(self, *args, check=True):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", self.spec, *args], capture_output=True,
                                text=True, timeout=60)
        if check:
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result

    def listed(self, address):
        return self.server.query(reverse(address), "A").rcode() == dns.rcode.NOERROR

    def wait_listed(self, address, expected=True, timeout=3.0):
        deadline = time.monotonic() + timeout
        while self.listed(address) != expected and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(self.listed(address), expected, address)

    def reload_and_wait(self, pattern):
        self.server.reload()
        self.assertTrue(self.server.process.wait_line(pattern, 10), self.server.log())


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class TornJournalTest(HostileBase):
    def test_a_torn_tail_is_cut_before_the_next_add_and_kept_aside(self):
        # The recipe: add; cut the last 5 bytes; add another; show it; expire; it must survive.
        self.start()
        self.shunctl("add", "198.51.100.1", "--zone", ZONE)
        journal = self.data + ".journal"
        os.truncate(journal, os.path.getsize(journal) - 5)
        self.shunctl("add", "198.51.100.2", "--zone", ZONE)
        self.assertEqual(self.shunctl("show", "198.51.100.2", "--zone", ZONE, check=False).returncode, 0)
        self.wait_listed("198.51.100.2")
        self.assertTrue(glob.glob(journal + ".torn.*"), "the cut bytes are kept for the operator")
        self.shunctl("expire", "--zone", ZONE)
        self.assertEqual(self.shunctl("show", "198.51.100.2", "--zone", ZONE, check=False).returncode, 0)
        with open(self.data) as data:
            self.assertIn("198.51.100.2", data.read())

    def test_a_corrupt_block_stops_writers_and_shund_keeps_the_last_good_data(self):
        self.start()
        self.shunctl("add", "198.51.100.1", "--zone", ZONE)
        self.shunctl("add", "198.51.100.2", "--zone", ZONE)
        self.wait_listed("198.51.100.2")
        journal = self.data + ".journal"
        with open(journal, "rb") as damaged:
            text = bytearray(damaged.read())
        text[text.index(b"198.51.100.1")] = ord("9")  # a bit flip in the first block
        with open(journal, "r+b") as damaged:
            damaged.write(text)
        for args in (["add", "198.51.100.3"], ["remove", "198.51.100.2"], ["expire"]):
            with self.subTest(args=args):
                refused = self.shunctl(*args, "--zone", ZONE, check=False)
                self.assertNotEqual(refused.returncode, 0)
                self.assertIn("corrupt at byte offset 0", refused.stdout + refused.stderr)
                with open(journal, "rb") as kept:
                    self.assertEqual(kept.read(), bytes(text), "the bad journal is never changed or dropped")
        self.server.reload()
        self.wait_listed("198.51.100.1")
        self.wait_listed("198.51.100.2")
        check = harness.run_tool([harness.shund_path(), "--check", self.spec])
        self.assertNotEqual(check.returncode, 0)
        self.assertIn("bl.zone.journal: corrupt journal at byte offset 0", check.stdout + check.stderr)
        self.stop()
        with self.assertRaises(RuntimeError) as start:
            self.start()
        self.assertIn("corrupt journal at byte offset 0", str(start.exception))


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class PlantedLinkTest(HostileBase):
    """shunctl runs as root; the directory is the service user's, who plants links to root's files."""

    def setUp(self):
        super().setUp()
        self.victim_dir = harness.ZoneDir()
        self.addCleanup(self.victim_dir.cleanup)
        self.victim = self.victim_dir.write("victim", "precious\n")

    def plant(self, name, target):
        link = self.data + name
        os.symlink(target, link)
        os.lchown(link, *nobody())
        return link

    def assert_victim_untouched(self):
        with open(self.victim) as victim:
            self.assertEqual(victim.read(), "precious\n")

    def test_links_at_the_lock_journal_and_history_are_refused(self):
        for name in (".lock", ".journal", ".history"):
            with self.subTest(name=name):
                link = self.plant(name, self.victim)
                refused = self.shunctl("add", "198.51.100.9", "--zone", ZONE, check=False)
                self.assertNotEqual(refused.returncode, 0)
                self.assertIn("symbolic link", refused.stdout + refused.stderr)
                self.assert_victim_untouched()
                os.unlink(link)
        missing = self.victim_dir.file("created-by-root")
        os.unlink(self.data + ".lock")
        self.plant(".lock", missing)
        self.shunctl("add", "198.51.100.9", "--zone", ZONE, check=False)
        self.assertFalse(os.path.exists(missing), "no file is created through a link")

    def test_a_data_link_to_a_file_its_owner_cannot_write_is_refused(self):
        secret = self.victim_dir.write("secret", "root-only secret\n")
        os.chmod(secret, 0o600)
        os.unlink(self.data)
        self.plant("", secret)
        refused = self.shunctl("expire", "--zone", ZONE, check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("refusing to follow it", refused.stdout + refused.stderr)
        self.assertTrue(os.path.islink(self.data))
        for leftover in glob.glob(self.data + "*"):
            if os.path.isfile(leftover) and not os.path.islink(leftover):
                with open(leftover) as out:
                    self.assertNotIn("secret", out.read(), leftover)

    def test_a_data_link_to_a_file_of_the_same_owner_is_followed_and_stays_a_link(self):
        target = self.victim_dir.write("zone-target", BASE)
        os.chown(target, *nobody())
        os.unlink(self.data)
        self.plant("", target)
        self.shunctl("add", "198.51.100.9", "--zone", ZONE)
        self.shunctl("expire", "--zone", ZONE)
        self.assertTrue(os.path.islink(self.data))
        with open(target) as data:
            self.assertIn("198.51.100.9", data.read())

    def test_a_hard_linked_journal_is_not_written(self):
        os.link(self.victim, self.data + ".journal")
        refused = self.shunctl("add", "198.51.100.9", "--zone", ZONE, check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assert_victim_untouched()


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class GzipDataTest(HostileBase):
    gzipped = True

    def test_shunctl_edits_a_gzip_data_file_as_gzip(self):
        self.start()
        self.wait_listed("192.0.2.1")
        self.shunctl("remove", "192.0.2.1", "--zone", ZONE)
        self.shunctl("add", "198.51.100.7", "--zone", ZONE)
        self.shunctl("expire", "--zone", ZONE)
        with open(self.data, "rb") as data:
            text = gzip.decompress(data.read()).decode()  # one gzip stream, nothing after it
        self.assertIn("198.51.100.7", text)
        self.assertNotIn("192.0.2.1\n", text)
        self.server.reload()
        self.wait_listed("198.51.100.7")
        self.wait_listed("192.0.2.1", expected=False)

    def test_text_after_a_gzip_stream_is_a_load_error_that_keeps_the_last_good_data(self):
        self.start()
        self.wait_listed("192.0.2.1")
        with open(self.data, "ab") as data:
            data.write(b"198.51.100.8\n")
        self.reload_and_wait(r"data after the end of the gzip stream")
        self.assertTrue(self.server.process.wait_line(r"still serving the previous data", 5))
        self.wait_listed("192.0.2.1")
        self.assertFalse(self.listed("198.51.100.8"))


@unittest.skipUnless(harness.have_shund(), "shund is not built")
class BoundedLoadTest(HostileBase):
    def replace_data(self, make):
        os.unlink(self.data)
        make(self.data)

    def test_a_fifo_is_refused_at_once_and_sigterm_still_stops_shund(self):
        self.start()
        self.wait_listed("192.0.2.1")
        self.replace_data(os.mkfifo)
        self.reload_and_wait(r"bl\.zone: not a regular file")
        self.wait_listed("192.0.2.1")
        os.unlink(self.data)
        self.write_data(BASE.replace("192.0.2.1", "192.0.2.2"))
        self.server.reload()
        self.wait_listed("192.0.2.2")
        started = time.monotonic()
        self.server.process.signal(signal.SIGTERM)
        self.server.process.proc.wait(timeout=10)
        self.assertLess(time.monotonic() - started, 5)
        self.server = None

    def test_sigterm_stops_shund_in_a_few_seconds_while_a_reload_reads_a_huge_file(self):
        self.start()
        self.wait_listed("192.0.2.1")
        os.unlink(self.data)
        with open(self.data, "wb"):
            pass
        os.truncate(self.data, 256 << 30)  # sparse: minutes of zeros to read, no disk used
        self.server.reload()
        time.sleep(1)
        self.wait_listed("192.0.2.1")  # still served while the reload reads
        started = time.monotonic()
        self.server.process.signal(signal.SIGTERM)
        self.server.process.proc.wait(timeout=15)
        self.assertLess(time.monotonic() - started, 6, self.server.log())
        self.server = None

    def test_a_device_is_refused(self):
        self.start()
        self.wait_listed("192.0.2.1")
        self.replace_data(lambda path: os.symlink("/dev/zero", path))
        self.reload_and_wait(r"bl\.zone: not a regular file")
        self.wait_listed("192.0.2.1")

    def test_a_gzip_bomb_is_a_load_error(self):
        self.start()
        self.wait_listed("192.0.2.1")
        with open(self.data + ".new", "wb") as out:
            out.write(gzip.compress(b"\0" * (64 << 20), compresslevel=9))
        os.chmod(self.data + ".new", 0o644)
        os.replace(self.data + ".new", self.data)
        self.reload_and_wait(r"gzip-max-ratio")
        self.wait_listed("192.0.2.1")

    def test_a_gzip_bomb_at_start_with_q_starts_and_serves_the_other_zones(self):
        # The file: 2^30 newlines and one entry in 1 MB of gzip (it aborted shund on main).
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        newlines = b"\n" * (1 << 24)
        with open(self.data, "wb") as out:
            for _ in range(64):
                out.write(packer.compress(newlines))
            out.write(packer.compress(b"192.0.2.9\n") + packer.flush())
        other = self.dir.write("other.zone", BASE)
        self.server = harness.start_shund(["other.example:ip4trie:" + other, self.spec],
                                          ["-u", harness.UNPRIVILEGED, "-c", "0", "-q"])
        answer = self.server.query("1.2.0.192.other.example", "A")
        self.assertEqual(answer.rcode(), dns.rcode.NOERROR)
        self.assertIn("gzip-max-ratio", self.server.log())

    def test_long_lines_are_errors_with_a_bounded_quote(self):
        self.write_data(BASE + ("x" * (1 << 20) + "\n") * 20 + "192.0.2.3\n")
        check = harness.run_tool([harness.shund_path(), "--check", self.spec], timeout=30)
        output = check.stdout + check.stderr
        self.assertNotEqual(check.returncode, 0)
        self.assertEqual(output.count("line longer than 65536 bytes"), 20, output[:2000])
        self.assertLess(max(len(line) for line in output.splitlines()), 400)


if __name__ == "__main__":
    unittest.main()
