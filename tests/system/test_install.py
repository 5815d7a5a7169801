"""`cmake --install` puts binaries, man pages, the systemd unit and the example zones and configuration in the
conventional places, and what it installs works: the binaries run, the example configuration loads the
example zones, the man pages render without warnings, and systemd accepts the unit."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness

EXPECTED = {
    "sbin/shund": 0o755,
    "sbin/shunctl": 0o755,
    "share/man/man8/shund.8": 0o644,
    "share/man/man8/shunctl.8": 0o644,
    "share/man/man5/shun-zone.5": 0o644,
    "lib/systemd/system/shund.service": 0o644,
    "lib/systemd/system/shun-expire@.service": 0o644,
    "lib/systemd/system/shun-expire@.timer": 0o644,
    "lib/sysusers.d/shun.conf": 0o644,
    "share/bash-completion/completions/shund": 0o644,
    "share/bash-completion/completions/shunctl": 0o644,
    "share/shun/fail2ban/action.d/shun.conf": 0o644,
    "share/doc/shun/integration.md": 0o644,
    "share/doc/shun/examples/shund.conf": 0o644,
    "share/doc/shun/examples/README.md": 0o644,
    "share/doc/shun/examples/bl.example.generic": 0o644,
    "share/doc/shun/examples/bl.example.ip4": 0o644,
    "share/doc/shun/examples/bl.example.ip6": 0o644,
    "share/doc/shun/examples/dbl.example.generic": 0o644,
    "share/doc/shun/examples/dbl.example.dn": 0o644,
}
EXAMPLES = "share/doc/shun/examples"


def run(argv, **options):
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          **options)


CONFIGURED = os.path.exists(os.path.join(harness.BUILD_DIR, "cmake_install.cmake"))


@unittest.skipUnless(CONFIGURED and harness.have_shund(), "no configured build with shund in %s" % harness.BUILD_DIR)
class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = tempfile.mkdtemp(prefix="shun-install-")
        os.chmod(cls.prefix, 0o755)  # shund --check, run as root, reads the zones as the service user
        cls.result = run(["cmake", "--install", harness.BUILD_DIR, "--prefix", cls.prefix])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.prefix, ignore_errors=True)

    def path(self, relative):
        return os.path.join(self.prefix, relative)

    def test_install_puts_every_file_in_its_conventional_place(self):
        self.assertEqual(self.result.returncode, 0, self.result.stdout + self.result.stderr)
        for relative, mode in EXPECTED.items():
            with self.subTest(file=relative):
                self.assertTrue(os.path.isfile(self.path(relative)),
                                "%s not installed (is %s configured with the current CMakeLists.txt?)"
                                % (relative, harness.BUILD_DIR))
                self.assertEqual(os.stat(self.path(relative)).st_mode & 0o777, mode)

    def test_installed_binaries_run_and_the_example_config_loads_the_example_zones(self):
        self.assertIn("--config", run([self.path("sbin/shund"), "--help"]).stdout)
        self.assertIn("expire", run([self.path("sbin/shunctl"), "--help"]).stdout)
        with open(self.path(EXAMPLES + "/shund.conf"), encoding="utf-8") as source:
            text = source.read()
        self.assertIn("/var/lib/shun/", text)
        config = self.path("shund.conf")
        with open(config, "w", encoding="utf-8") as out:
            text = text.replace("/var/lib/shun", self.path(EXAMPLES))
            out.write(text.replace("/var/log/shun", self.prefix))
        check = run([self.path("sbin/shund"), "--config", config, "--check"])
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(check.stdout + check.stderr, "")
        show = run([self.path("sbin/shunctl"), "--config", config, "show", "127.0.0.2", "--zone",
                    "bl.example"])
        self.assertEqual(show.returncode, 0, show.stderr)
        self.assertIn("127.0.0.2 is listed in bl.example", show.stdout)

    @unittest.skipUnless(shutil.which("man"), "man is not installed")
    def test_installed_man_pages_render_without_warnings(self):
        for page in ("man8/shund.8", "man8/shunctl.8", "man5/shun-zone.5"):
            with self.subTest(page=page):
                result = run(["man", "--warnings", "-l", self.path("share/man/" + page)],
                             env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8"))
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stderr, "")
                self.assertIn("SEE ALSO", result.stdout)

    @unittest.skipUnless(shutil.which("systemd-sysusers"), "systemd-sysusers is not installed")
    def test_sysusers_creates_the_user_the_unit_runs_as(self):
        root = self.path("root")
        os.makedirs(os.path.join(root, "etc"))
        result = run(["systemd-sysusers", "--root=" + root, self.path("lib/sysusers.d/shun.conf")])
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(root, "etc/passwd"), encoding="utf-8") as passwd:
            self.assertRegex(passwd.read(), r"(?m)^shun:x:\d+:\d+:[^:]*:/var/lib/shun:")
        with open(self.path("lib/systemd/system/shund.service"), encoding="utf-8") as unit:
            self.assertIn("\nUser=shun\n", unit.read())

    def test_man_pages_document_every_option_and_command_of_help(self):
        for tool, page in (("shund", "man8/shund.8"), ("shunctl", "man8/shunctl.8")):
            with open(self.path("share/man/" + page), encoding="utf-8") as source:
                text = source.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "")
            usage = run([self.path("sbin/" + tool), "--help"]).stdout
            listed = usage.split("Subcommands:")[1] if "Subcommands:" in usage else ""
            commands = re.findall(r"^  (\w+) {3,}", listed, re.M)
            for command in [None, *commands]:
                with self.subTest(tool=tool, command=command):
                    self.assertIn(command or tool, text)
                    self.assert_options_documented(tool, command, text, page)

    def assert_options_documented(self, tool, command, text, page):
        usage = run([self.path("sbin/" + tool), *([command] if command else []), "--help"]).stdout
        names = set(re.findall(r"^  (?:-\w,)?(--[\w-]+)", usage, re.M)) - {"--help"}
        self.assertTrue(names or command, usage)
        for name in sorted(names):
            self.assertTrue(name in text, "%s %s %s is not in %s" % (tool, command or "", name, page))

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_systemd_accepts_the_installed_units(self):
        # The units name /usr/sbin/...; point them at the installed binaries so verify can check them. The
        # expiry timer is a template: verify an instance of it.
        units = {"shund.service": "shund.service", "shun-expire@.service": "shun-expire@bl.example.service",
                 "shun-expire@.timer": "shun-expire@bl.example.timer"}
        for source_name, name in units.items():
            with open(self.path("lib/systemd/system/" + source_name), encoding="utf-8") as source:
                text = source.read()
            with open(self.path(name), "w", encoding="utf-8") as out:
                out.write(text.replace("/usr/sbin/", self.path("sbin") + "/"))
        with open(self.path("shund.service"), encoding="utf-8") as unit:
            text = unit.read()
        self.assertIn("Type=notify", text)
        self.assertIn("--check", text.split("ExecStartPre=")[1].split("\n")[0])
        result = run(["systemd-analyze", "verify", *[self.path(name) for name in units.values()]],
                     env=dict(os.environ, MANPATH=self.path("share/man"), SYSTEMD_LOG_COLOR="0"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

if __name__ == "__main__":
    unittest.main()
