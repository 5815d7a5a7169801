"""shund's command line: --check, bad arguments, SIGTERM."""

import os
import re
import shutil
import signal
import subprocess
import time
import unittest

import harness


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)

    def test_check_reports_file_line_reason_and_exits_1(self):
        path = self.zones.copy_data("bad.ip4set")
        result = harness.run_tool([harness.shund_path(), "--check", "bl.example:ip4set:" + path])
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 1, output)
        self.assertRegex(output, r"(?m)^%s:3: \S" % path.replace(".", r"\."))
        self.assertNotRegex(output, r"bad\.ip4set:[124]:")

    def test_a_malformed_code_or_contact_line_is_a_file_line_warning_in_check_and_the_load_log(self):
        path = self.zones.write("notes.zone", "#@code 127.0.0.3\n#@contact call us\n#@code 127.0.0.2 Listed\n"
                                              "192.0.2.1\n")
        spec = "bl.example:ip4set:" + path
        result = harness.run_tool([harness.shund_path(), "--check", spec])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("%s:1: warning: #@code wants a code and its meaning" % path, result.stdout)
        self.assertIn("%s:2: warning: #@contact wants an e-mail address or an http(s) URL" % path, result.stdout)
        self.assertNotIn(":3:", result.stdout)
        server = harness.start_shund([spec])
        self.addCleanup(server.stop)
        self.assertIn("%s:2: warning: #@contact" % path, server.log())

    def test_check_accepts_the_standard_zones(self):
        result = harness.run_tool([harness.shund_path(), "--check", *harness.standard_specs(self.zones)])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_check_of_a_missing_file_exits_1(self):
        missing = "bl.example:ip4set:" + self.zones.file("nope")
        result = harness.run_tool([harness.shund_path(), "--check", missing])
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("nope", result.stdout + result.stderr)

    def test_check_and_dump_of_a_zone_that_is_only_an_acl_exit_1_with_one_line(self):
        acl = self.zones.write("only.acl", "127.0.0.1\n")
        for mode in ("--check", "-d"):
            with self.subTest(mode=mode):
                result = harness.run_tool([harness.shund_path(), mode, "bl.example:acl:" + acl])
                lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
                self.assertEqual(result.returncode, 1, lines)
                self.assertEqual(len(lines), 1, lines)
                self.assertIn("an acl alone is not a zone", lines[0])

    def test_bad_arguments_exit_nonzero_with_one_line(self):
        zone = "bl.example:ip4set:" + self.zones.copy_data("bl.ip4set")
        for argv in (["--no-such-option", zone], ["-n", "-b", harness.HOST + "/0", "-t", "bogus", zone],
                     ["-n", "-b", harness.HOST + "/0", "bl.example:nosuchtype:" + self.zones.file("bl.ip4set")],
                     ["-n", zone]):
            with self.subTest(argv=argv[:-1]):
                result = harness.run_tool([harness.shund_path(), *argv])
                lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
                self.assertNotEqual(result.returncode, 0, lines)
                self.assertEqual(len(lines), 1, lines)

    def test_both_tools_print_the_same_version_and_shund_logs_it_at_start(self):
        printed = []
        for tool in (harness.shund_path(), harness.shunctl_path()):
            result = harness.run_tool([tool, "--version"])
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, r"^shun(d|ctl) \d+\.\d+\.\d+\n$")
            printed.append(result.stdout.split()[1])
        self.assertEqual(printed[0], printed[1])
        server = harness.start_shund(harness.standard_specs(self.zones))
        self.addCleanup(server.stop)
        self.assertIsNotNone(server.process.wait_line(r"shund %s started with" % re.escape(printed[0]), 5),
                             server.log())

    @unittest.skipUnless(shutil.which("taskset"), "taskset is not installed")
    def test_pinned_to_one_cpu_it_starts_one_worker(self):
        # Two workers on one CPU cost more per query than one (issue 15): follow the affinity mask.
        server = harness.start_shund(harness.standard_specs(self.zones), wrapper=["taskset", "-c", "0"])
        self.addCleanup(server.stop)
        self.assertIsNotNone(server.process.wait_line(r"started with 1 worker\(s\)", 5), server.log())

    @unittest.skipUnless(os.geteuid() == 0, "needs root to change identity")
    def test_user_or_group_root_is_refused(self):
        zone = "bl.example:ip4set:" + self.zones.copy_data("bl.ip4set")
        for user in ("root", "0", "nobody:root", "nobody:0"):
            with self.subTest(user=user):
                result = harness.run_tool([harness.shund_path(), "-n", "-b", harness.HOST + "/0", "-u", user, zone])
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn("refusing to run", result.stderr)

    def test_sigterm_exits_0_within_a_second(self):
        server = harness.start_shund(harness.standard_specs(self.zones))
        self.addCleanup(server.stop)
        server.process.signal(signal.SIGTERM)
        started = time.monotonic()
        try:
            status = server.process.proc.wait(1.0)
        except subprocess.TimeoutExpired:
            self.fail("shund still running 1 s after SIGTERM")
        self.assertEqual(status, 0, server.log())
        self.assertLess(time.monotonic() - started, 1.0)

    def test_only_zone_transfers_use_ldns(self):
        # ldns signs and verifies TSIG for zone transfers (src/xfr); the packet path never calls it.
        source = os.path.join(os.path.dirname(harness.DATA_DIR), "..", "..", "src")
        users = sorted(os.path.relpath(os.path.join(directory, name), source)
                       for directory, _, names in os.walk(source) for name in names
                       if "<ldns/" in open(os.path.join(directory, name), encoding="utf-8").read())
        self.assertEqual(users, ["xfr/ldns.hpp"])

    def test_dump_writes_bind_format(self):
        result = harness.run_tool([harness.shund_path(), "-d", *harness.standard_specs(self.zones)])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIsNotNone(re.search(r"(?m)^\$ORIGIN\s+bl\.example\.$", result.stdout), result.stdout[:2000])
        self.assertIn("SOA", result.stdout)


class ConfigFileTest(unittest.TestCase):
    """shund, shund --check and shunctl read the configuration file with one reader: what one refuses, all
    refuse, with the same file:line: reason."""

    def setUp(self):
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)
        self.zone = "bl.example:ip4set:" + self.zones.copy_data("bl.ip4set")

    def refusals(self, config):
        """The one-line message (without the program's prefix) of shund serving, shund --check and shunctl."""
        shunctl = harness.shunctl_path()
        runs = {"shund": [harness.shund_path(), "-n", "-b", harness.HOST + "/0", "--config", config],
                "shund --check": [harness.shund_path(), "--config", config, "--check"],
                "shunctl": [shunctl, "--config", config, "show", "127.0.0.2", "--zone", "bl.example"]}
        messages = {}
        for name, argv in runs.items():
            result = harness.run_tool(argv)
            lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
            self.assertEqual(result.returncode, 1, (name, lines))
            self.assertEqual(len(lines), 1, (name, lines))
            messages[name] = re.sub(r"^(shund|shunctl): ", "", lines[0])
        return messages

    def test_an_unknown_key_or_a_malformed_value_is_refused_alike_with_its_file_and_line(self):
        for bad, reason in (("colour = \"blue\"", "unknown key 'colour'"),
                            ("threads = many", "invalid threads 'many'"),
                            ("check-interval = \"soon\"", "invalid -c 'soon'"),
                            ("zone = \"bl.example:nosuch:x\"", "unknown dataset type"),
                            ("[shund]", "sections are not supported"),
                            ("bnd = \"127.0.0.1\"", "unknown key 'bnd' (did you mean 'bind'?)"),
                            ("http = \"127.0.0.1:8053\"", "invalid --http '127.0.0.1:8053'"),
                            ("bind = \"127.0.0.1/70000\"", "the port is not 0 to 65535")):
            with self.subTest(bad=bad):
                config = self.zones.write("shund.conf", 'zone = "%s"\nttl = "5m"\n%s\n' % (self.zone, bad))
                messages = self.refusals(config)
                self.assertEqual(len(set(messages.values())), 1, messages)
                self.assertTrue(messages["shund"].startswith(config + ":3: "), messages)
                self.assertIn(reason, messages["shund"])

    def test_the_same_file_without_the_bad_line_is_accepted_by_all_three(self):
        config = self.zones.write("shund.conf", 'zone = "%s"\nttl = "5m"\nthreads = 1\n' % self.zone)
        check = harness.run_tool([harness.shund_path(), "--config", config, "--check"])
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        show = harness.run_tool([harness.shunctl_path(), "--config", config, "show",
                                 "127.0.0.2", "--zone", "bl.example"])
        self.assertEqual(show.returncode, 0, show.stdout + show.stderr)
        server = harness.start_shund([], ["--config", config], ready=False)
        self.addCleanup(server.stop)
        server.wait_ready("bl.example")
        self.assertEqual(server.query("2.0.0.127.bl.example").rcode(), 0)
        self.assertTrue(server.query("2.0.0.127.bl.example").answer)


if __name__ == "__main__":
    unittest.main()
