"""Postfix end to end: a real Postfix (smtpd and postscreen) rejects clients listed in shund, through a real
resolver (unbound).

Everything runs in a private network namespace (ip netns), so that
- Postfix gets its own resolver without touching the machine's /etc/resolv.conf: `ip netns exec` bind-mounts
  /etc/netns/NAME/resolv.conf over it, and glibc's resolver (which Postfix uses, and which cannot take a
  port) finds unbound on 127.0.0.1:53 there;
- 127.0.0.0/8 is a private loopback: nothing else on the machine can collide with port 53 or 2525, and
  the clients can bind 127.0.0.2 and 127.0.0.5 (RFC 5782 test points) as source addresses.
Postfix is a private instance (its own config_directory and queue_directory in a temporary directory).
Every process started here is stopped by pid; whatever is left in the namespace is killed by the pids
`ip netns pids` reports before the namespace is deleted.
"""

import atexit
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "postfix")
ZONE = "bl.example"
SMTP_PORT = 2525
POSTSCREEN_PORT = 2526
TXT = "Listed, see http://127.0.0.1:8053/lookup/"
ZONE_DATA = (
    "$SOA 1 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 1\n"
    "$NS 1 ns.bl.example.\n"
    "$TTL 1\n"
    ":127.0.0.2:" + TXT + "$\n"
    "127.0.0.2\n"
)


def missing_requirement():
    """Why this test cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root (network namespace, Postfix master)"
    for tool in ("postfix", "unbound", "ip", "dig"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"):
            return "%s is not installed (scripts/install-deps installs it)" % tool
    if not harness.have_shund() or not os.access(harness.shunctl_path(), os.X_OK):
        return "shund or shunctl is not built in %s" % harness.BUILD_DIR
    return None


def run(argv, timeout=30, check=True):
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError("%s failed (%d): %s%s" % (" ".join(argv), result.returncode, result.stdout,
                                                     result.stderr))
    return result


def render(name, target, **values):
    with open(os.path.join(FILES, name), encoding="utf-8") as source:
        text = source.read()
    for key, value in values.items():
        text = text.replace("@%s@" % key, str(value))
    with open(target, "w", encoding="utf-8") as out:
        out.write(text)


class Namespace:
    """A network namespace with its loopback up and its own resolv.conf; removed with all its processes."""

    PREFIX = "shun-postfix-"

    def __init__(self):
        self.reap_stale()
        self.name = "%s%d" % (self.PREFIX, os.getpid())
        self.etc = os.path.join("/etc/netns", self.name)
        result = run(["ip", "netns", "add", self.name], check=False)
        if result.returncode != 0:
            raise unittest.SkipTest("cannot create a network namespace here: " + result.stderr.strip())
        self.created_parent = not os.path.isdir("/etc/netns")
        try:
            os.makedirs(self.etc, exist_ok=True)
            with open(os.path.join(self.etc, "resolv.conf"), "w", encoding="utf-8") as out:
                out.write("nameserver 127.0.0.1\noptions timeout:2 attempts:2\n")
        except OSError as error:
            self.remove()
            raise unittest.SkipTest("cannot give the namespace its resolv.conf: %s" % error)
        run(["ip", "-n", self.name, "link", "set", "lo", "up"])

    @classmethod
    def reap_stale(cls):
        """Removes the namespaces (and what runs in them) of earlier runs that were killed before cleaning up."""
        listing = run(["ip", "netns", "list"], check=False).stdout
        for pid in re.findall(r"(?m)^%s(\d+)\b" % cls.PREFIX, listing):
            if not os.path.exists("/proc/" + pid):
                remove_namespace(cls.PREFIX + pid)
                for stale in glob.glob(os.path.join(tempfile.gettempdir(), "%s%s-*" % (cls.PREFIX, pid))):
                    shutil.rmtree(stale, ignore_errors=True)
                try:
                    os.rmdir("/etc/netns")  # the killed run most likely made it; kept if anything is left in it
                except OSError:
                    pass

    def argv(self, *argv):
        return ["ip", "netns", "exec", self.name, *argv]

    def remove(self):
        remove_namespace(self.name)
        if self.created_parent:
            try:
                os.rmdir("/etc/netns")
            except OSError:
                pass  # another namespace's files appeared meanwhile


def remove_namespace(name):
    """Kills every process in the namespace name (all started by this test), then deletes it."""
    for _ in range(20):
        pids = run(["ip", "netns", "pids", name], check=False).stdout.split()
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    run(["ip", "netns", "del", name], check=False)
    shutil.rmtree(os.path.join("/etc/netns", name), ignore_errors=True)


@unittest.skipIf(missing_requirement(), missing_requirement())
class PostfixTest(unittest.TestCase):
    """Postfix with reject_rbl_client, rbl_reply_maps and unbound in front of shund."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="%s%d-" % (Namespace.PREFIX, os.getpid()))
        os.chmod(cls.dir, 0o777)  # shund (nobody) reads shunctl's journal; Postfix's users traverse it
        cls.netns = None
        cls.processes = []
        cls.postfix_dir = None
        atexit.register(cls.stop_all)  # also when the interpreter is interrupted mid-test
        try:
            cls.start_all()
        except BaseException:
            cls.stop_all()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.stop_all()

    @classmethod
    def start_all(cls):
        cls.netns = Namespace()
        cls.data = os.path.join(cls.dir, "bl.zone")
        with open(cls.data, "w", encoding="utf-8") as out:
            out.write(ZONE_DATA)
        os.chmod(cls.data, 0o644)
        cls.config = os.path.join(cls.dir, "shund.conf")
        with open(cls.config, "w", encoding="utf-8") as out:
            out.write('zone = ["%s:ip4trie:%s"]\n' % (ZONE, cls.data))
        cls.shund_port = cls.start_shund()
        cls.start_unbound()
        cls.start_postfix()

    @classmethod
    def start_shund(cls):
        argv = cls.netns.argv(harness.shund_path(), "-n", "-u", harness.UNPRIVILEGED, "-b", "127.0.0.1/0",
                              "-c", "1", "-t", "1:0:1", "--config", cls.config)
        process = harness.Process(argv, "shund")
        cls.processes.append(process)
        match = process.wait_line(r"listening on 127\.0\.0\.1/(\d+)", harness.START_TIMEOUT)
        if not match:
            raise RuntimeError("shund did not start:\n" + process.log())
        return int(match.group(1))

    @classmethod
    def start_unbound(cls):
        config = os.path.join(cls.dir, "unbound.conf")
        render("unbound.conf.in", config, DIR=cls.dir, PORT=cls.shund_port)
        run(["unbound-checkconf", config])
        process = harness.Process(cls.netns.argv("unbound", "-d", "-p", "-c", config), "unbound")
        cls.processes.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if cls.resolve("2.0.0.127." + ZONE, "TXT"):
                return
            if process.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError("unbound does not resolve %s through shund:\n%s" % (ZONE, process.log()))

    @classmethod
    def start_postfix(cls):
        conf = os.path.join(cls.dir, "conf")
        os.makedirs(conf)
        for sub in ("queue", "data"):
            os.makedirs(os.path.join(cls.dir, sub))
        shutil.chown(os.path.join(cls.dir, "data"), "postfix", "postfix")
        render("main.cf.in", os.path.join(conf, "main.cf"), DIR=cls.dir)
        render("master.cf", os.path.join(conf, "master.cf"))
        render("rbl_reply", os.path.join(conf, "rbl_reply"))
        render("dnsbl_reply", os.path.join(conf, "dnsbl_reply"))
        cls.postfix_dir = conf
        # postfix prints its fatal errors only to a terminal or the maillog_file
        result = run(cls.netns.argv("postfix", "-c", conf, "start"), timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError("postfix start failed:\n%s%s" % (result.stderr, cls.maillog()))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if run(cls.netns.argv("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/%d" % SMTP_PORT),
                   check=False).returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError("Postfix does not listen on port %d:\n%s" % (SMTP_PORT, cls.maillog()))

    @classmethod
    def stop_all(cls):
        """Stops everything started so far; safe to call again."""
        if cls.postfix_dir:
            run(cls.netns.argv("postfix", "-c", cls.postfix_dir, "stop"), check=False)
            cls.postfix_dir = None
        while cls.processes:
            cls.processes.pop().stop()
        if cls.netns:
            cls.netns.remove()
            cls.netns = None
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def resolve(cls, name, rdtype):
        """Asks unbound (inside the namespace) for name; returns the answer lines."""
        result = run(cls.netns.argv("dig", "+short", "+tries=1", "+time=2", "@127.0.0.1", name, rdtype),
                     check=False)
        return result.stdout.split("\n")[:-1] if result.returncode == 0 else []

    @classmethod
    def maillog(cls):
        try:
            with open(os.path.join(cls.dir, "maillog"), encoding="utf-8", errors="replace") as log:
                return log.read()[-4000:]
        except OSError:
            return "(no maillog)"

    def smtp(self, source, port=SMTP_PORT):
        """One SMTP transaction from source; returns (RCPT code, RCPT text, DATA code or None)."""
        result = run(self.netns.argv("/usr/bin/python3", os.path.join(FILES, "smtp_probe.py"), source,
                                     str(port)), timeout=60, check=False)
        self.assertEqual(result.returncode, 0, result.stderr + self.maillog())
        reply = json.loads(result.stdout)
        return reply["rcpt"][0], reply["rcpt"][1], reply["data"][0] if reply["data"] else None

    def shunctl(self, *args):
        result = run([harness.shunctl_path(), "--config", self.config, *args], check=False)
        self.assertEqual(result.returncode, 0, result.stderr)

    def wait_shund(self, address, listed, timeout=10.0):
        """Waits until shund itself, then unbound in front of it, answer address as listed (or not).

        unbound caches for at most a second or two (cache-max-ttl 1 in unbound.conf.in, counted in whole
        seconds), so polling it rather than sleeping a fixed time keeps the test quick and not flaky."""
        name = ".".join(reversed(address.split("."))) + "." + ZONE
        direct = ["dig", "+short", "+norec", "-p", str(self.shund_port), "@127.0.0.1", name, "A"]
        deadline = time.monotonic() + timeout
        for server, ask in (("shund", lambda: run(self.netns.argv(*direct), check=False).stdout.strip()),
                            ("unbound", lambda: "\n".join(self.resolve(name, "A")).strip())):
            while (ask() != "") != listed:
                if time.monotonic() > deadline:
                    self.fail("%s does not answer %s as %s after %ss"
                              % (server, address, "listed" if listed else "unlisted", timeout))
                time.sleep(0.1)

    def assert_rejected(self, address):
        code, text, _ = self.smtp(address)
        self.assertEqual(code, 554, text + "\n" + self.maillog())
        # rbl_reply_maps' template, with $rbl_reason = the TXT record that shund serves for the address
        self.assertEqual(text, "5.7.1 Rejected by shun: [%s] is listed in %s; %s%s"
                         % (address, ZONE, TXT, address))

    def assert_accepted(self, address):
        code, text, data = self.smtp(address)
        self.assertEqual(code, 250, text + "\n" + self.maillog())
        self.assertEqual(data, 250)

    def test_listed_test_point_is_rejected_with_the_txt_and_localhost_accepted(self):
        self.assert_rejected("127.0.0.2")
        self.assert_accepted("127.0.0.1")

    def test_postscreen_weighs_the_listing_and_rejects_with_its_reply_map(self):
        code, text, _ = self.smtp("127.0.0.2", POSTSCREEN_PORT)
        self.assertEqual(code, 550, text + "\n" + self.maillog())
        self.assertEqual(text, "5.7.1 Service unavailable; client [127.0.0.2] blocked using "
                         "bl.example, see http://127.0.0.1:8053/")
        code, text, data = self.smtp("127.0.0.1", POSTSCREEN_PORT)
        self.assertEqual((code, data), (250, 250), text)

    def test_shunctl_add_rejects_the_next_connection_and_remove_accepts_it_again(self):
        self.assert_accepted("127.0.0.5")
        self.shunctl("add", "127.0.0.5", "--zone", ZONE, "--for", "1h", "--reason", "postfix test")
        self.wait_shund("127.0.0.5", listed=True)
        self.assert_rejected("127.0.0.5")
        self.shunctl("remove", "127.0.0.5", "--zone", ZONE)
        self.wait_shund("127.0.0.5", listed=False)
        self.assert_accepted("127.0.0.5")


if __name__ == "__main__":
    unittest.main()
