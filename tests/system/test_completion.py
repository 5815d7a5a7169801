"""bash completion for shund and shunctl (packaging/completions): what bash would offer at a few cursor
positions, driven the way bash calls a completion function (COMP_LINE, COMP_POINT, COMP_WORDS)."""

import os
import shutil
import subprocess
import unittest

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
COMPLETIONS = os.path.join(HERE, "..", "..", "packaging", "completions")
DRIVER = r'''
source "$1"
line=$2
COMP_LINE=$line; COMP_POINT=${#line}
read -r -a COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_${COMP_WORDS[0]}
printf '%s\n' "${COMPREPLY[@]}"
'''


@unittest.skipUnless(shutil.which("bash"), "bash is not installed")
class CompletionTest(unittest.TestCase):
    def offered(self, line, cwd=None):
        tool = line.split()[0]
        env = dict(os.environ, PATH=harness.BUILD_DIR + os.pathsep + os.environ["PATH"])
        result = subprocess.run(["bash", "-c", DRIVER, "driver", os.path.join(COMPLETIONS, tool), line],
                                capture_output=True, text=True, timeout=30, env=env, cwd=cwd)
        self.assertEqual(result.returncode, 0, result.stderr)
        return [word for word in result.stdout.splitlines() if word]

    def test_shunctl_offers_its_subcommands_and_each_subcommands_options(self):
        self.assertEqual(self.offered("shunctl "),
                         ["add", "remove", "show", "list", "expire", "import", "export", "requests", "status",
                          "reload", "key"])
        self.assertEqual(self.offered("shunctl re"), ["remove", "requests", "reload"])
        self.assertIn("--json", self.offered("shunctl status --"))
        self.assertIn("--evidence", self.offered("shunctl add 192.0.2.1 --"))
        self.assertIn("--dry-run", self.offered("shunctl expire --"))
        self.assertNotIn("--evidence", self.offered("shunctl expire --"))
        self.assertEqual(self.offered("shunctl key "), ["add", "revoke", "list"])
        self.assertIn("--daily-quota", self.offered("shunctl key add partner --"))

    def test_shund_offers_options_dataset_types_and_data_files(self):
        self.assertIn("--tcp-max-connections", self.offered("shund --tcp"))
        # ':' ends a word for bash: the offers are what follows the last one.
        self.assertEqual(self.offered("shund bl.example:ip4"), ["ip4set:", "ip4trie:", "ip4tset:"])
        zonedata = os.path.join(HERE, "..", "..", "zonedata")
        self.assertIn("bl.example.ip4", self.offered("shund bl.example:ip4set:bl.example.i", cwd=zonedata))

    def test_every_dataset_type_offered_is_one_shund_knows(self):
        types = [offer.rstrip(":") for offer in self.offered("shund bl.example:")]
        self.assertEqual(len(types), 9, types)
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        empty = zones.write("empty", "")
        for name in types:
            result = harness.run_tool([harness.shund_path(), "--check", "bl.example:%s:%s" % (name, empty)])
            self.assertNotIn("unknown dataset type", result.stdout + result.stderr, name)


if __name__ == "__main__":
    unittest.main()
