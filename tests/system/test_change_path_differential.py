"""The change path answers exactly as a full load: a shund changed by a few hundred random `shunctl add`
and `remove` (addresses and CIDRs through the overlay, batches through `add -f -`)
answers like a fresh shund on the exported files, and like Debian's rbldnsd on them except for the
differences test_differential.py documents."""

import ipaddress
import os
import random
import shutil
import subprocess
import sys
import time
import unittest

import dns.rcode

import differential as gen
import harness
from test_differential import ask, explain

SEED = 20261201
IP4, TRIE = "ip4.example", "trie.example"
HEADER = gen.SOA + gen.NS + gen.VARIABLES


def ip4(value):
    return str(ipaddress.IPv4Address(value))


def without_soa_serial(answer):
    """The answer with every SOA serial blanked: the changed shund's serial counts its changes."""
    if answer is None:
        return None

    def blank(texts):
        out = set()
        for text in texts:
            fields = text.split(" ")
            if len(fields) > 6 and fields[3] == "SOA":
                fields[6] = "-"
            out.add(" ".join(fields))
        return out

    return dict(answer, answer=blank(answer["answer"]), authority=blank(answer["authority"]))


class Zone:
    """One generated zone, its keys that `remove` can name, and the ranges ever listed in it (adds only
    widen them: the empty-non-terminal classifier may then excuse a little more than it should)."""

    def __init__(self, name, kind, data, path):
        self.name, self.kind, self.data, self.path = name, kind, data, path
        self.spec = "%s:%s:%s" % (name, kind, path)
        keys = [line.split(" ")[0] for line in data.lines if not line.startswith("!")]
        self.removable = [key for key in keys if key.count(".") == 3 and "-" not in key]
        self.changed = set()

    def random_address(self, rng):
        first, last, _ = rng.choice(self.data.ranges)
        return rng.randint(max(first - 64, 0), min(last + 64, (1 << 32) - 1))


@unittest.skipUnless(harness.have_shund() and shutil.which("rbldnsd"), "needs shund and Debian's rbldnsd")
class ChangedZonesAnswerLikeAFullLoadTest(unittest.TestCase):
    def setUp(self):
        self.dir = harness.ZoneDir()
        self.addCleanup(self.dir.cleanup)
        os.chmod(self.dir.path, 0o777)  # shunctl (root) writes journals here; shund (nobody) reads them
        self.rng = random.Random(SEED)
        ip4set = gen.ip4set_data(self.rng, 2500)
        trie = gen.ip4trie_data(self.rng, 2500)
        self.zones = [
            Zone(IP4, "ip4set", ip4set, self.dir.write("ds.ip4set", HEADER + ":127.0.0.2:Listed $ see $1\n"
                                                       + "\n".join(ip4set.lines) + "\n")),
            Zone(TRIE, "ip4trie", trie, self.dir.write("ds.ip4trie", HEADER + ":127.0.0.8:Trie $\n"
                                                       + "\n".join(trie.lines) + "\n")),
        ]

    def shunctl(self, zone, *args, stdin=None):
        result = subprocess.run([harness.shunctl_path(), "--zone-spec", zone.spec, *args, "--zone", zone.name],
                                input=stdin, capture_output=True, text=True, timeout=60)
        self.assertIn(result.returncode, (0, 4), result.stderr)  # 4: removing a key already removed
        return result

    def options(self):
        """Random listing options: a code, a reason, an end."""
        options = []
        if self.rng.random() < 0.3:
            options += ["--code", str(self.rng.choice([3, 4, 6, 10]))]
        if self.rng.random() < 0.3:
            options += ["--reason", "change %d" % self.rng.randrange(1000)]
        if self.rng.random() < 0.5:
            options += ["--for", self.rng.choice(["1d", "2w", "30d"])]
        return options

    def change(self, zone):
        """One random shunctl run on zone; records the keys it touched."""
        rng, form = self.rng, self.rng.random()
        if form < 0.55:
            address = zone.random_address(rng)
            zone.changed.add(address)
            zone.data.ranges.append((address, address, False))
            zone.removable.append(ip4(address))
            self.shunctl(zone, "add", ip4(address), *self.options())
        elif form < 0.75:
            key = rng.choice(zone.removable)
            network = ipaddress.IPv4Network(key)
            zone.changed.update({int(network.network_address), int(network.broadcast_address)})
            self.shunctl(zone, "remove", key)
        elif form < 0.85:
            length = rng.randrange(26, 31)
            network = ipaddress.IPv4Network((zone.random_address(rng), length), strict=False)
            first, last = int(network.network_address), int(network.broadcast_address)
            zone.changed.update({first - 1, first, rng.randint(first, last), last, last + 1})
            zone.data.ranges.append((first, last, False))
            zone.removable.append(str(network))
            self.shunctl(zone, "add", str(network), *self.options())
        else:
            batch = sorted({zone.random_address(rng) for _ in range(rng.randrange(10, 40))})
            zone.changed.update(batch)
            zone.data.ranges.extend((address, address, False) for address in batch)
            self.shunctl(zone, "add", "-f", "-", *self.options(), stdin="".join(ip4(a) + "\n" for a in batch))

    def caught_up(self, server, zone, sentinel):
        """Adds a last address and waits until it is served: every earlier change is applied by then."""
        self.shunctl(zone, "add", sentinel)
        zone.changed.add(int(ipaddress.IPv4Address(sentinel)))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if server.query(gen.ip4_name(int(ipaddress.IPv4Address(sentinel)), zone.name)).rcode() \
                    == dns.rcode.NOERROR:
                return
            time.sleep(0.02)
        self.fail("%s not served in 10 s:\n%s" % (sentinel, server.log()))

    def queries(self, zone):
        names = []
        for address in sorted(zone.changed):
            names += [(gen.ip4_name(address, zone.name), "A"), (gen.ip4_name(address, zone.name), "TXT")]
        for name in self.rng.sample(gen.ip4_queries(self.rng, zone.data, zone.name, 100), 150):
            names.append((name, self.rng.choice(["A", "TXT"])))
        return names

    def test_random_adds_and_removes_answer_like_a_fresh_load_and_rbldnsd(self):
        started = time.monotonic()
        changed = harness.start_shund([zone.spec for zone in self.zones], ["-u", harness.UNPRIVILEGED, "-c", "0"])
        self.addCleanup(changed.stop)
        runs = 0
        for _ in range(90):
            self.change(self.rng.choice(self.zones))
            runs += 1
        for zone, sentinel in zip(self.zones, ("10.9.9.9", "172.31.9.9")):
            self.caught_up(changed, zone, sentinel)
        log = changed.log()
        self.assertIn("journal record(s) to ip4set:", log, "the overlay took some changes")
        self.assertIn("journal record(s) to ip4trie:", log)

        specs = []
        exports = harness.ZoneDir()  # apart: the serial files beside the data are per zone name
        self.addCleanup(exports.cleanup)
        for zone in self.zones:
            exported = self.shunctl(zone, "export").stdout
            specs.append("%s:%s:%s" % (zone.name, zone.kind, exports.write("exported." + zone.kind, exported)))
        fresh = harness.start_shund(specs)
        self.addCleanup(fresh.stop)
        rbldnsd = harness.start_rbldnsd(specs)
        self.addCleanup(rbldnsd.stop)

        compared, differences, unexplained = 0, [], []
        for zone in self.zones:
            for name, qtype in self.queries(zone):
                ours, full, theirs = (ask(server, name, qtype, False) for server in (changed, fresh, rbldnsd))
                compared += 1
                if without_soa_serial(ours) != without_soa_serial(full):
                    differences.append("%s %s\n  changed: %s\n  fresh:   %s\n  rbldnsd: %s" % (name, qtype, ours, full, theirs))
                if full != theirs:
                    classes = explain(theirs, full, False, gen.ip4_partial_ent(name, zone.name, [zone.data]))
                    if any(cls.startswith("unexplained") for cls in classes):
                        unexplained.append("%s %s\n  rbldnsd: %s\n  shund:   %s" % (name, qtype, theirs, full))
        print("\nchange path differential: %d shunctl runs, %d queries, %.1f s"
              % (runs, compared, time.monotonic() - started), file=sys.stderr)
        self.assertGreater(compared, 600)
        self.assertEqual(differences, [], "the changed shund differs from a fresh load:\n"
                         + "\n".join(differences[:8]))
        self.assertEqual(unexplained, [], "rbldnsd differs beyond KNOWN_DIFFERENCES:\n" + "\n".join(unexplained[:8]))


if __name__ == "__main__":
    unittest.main()
