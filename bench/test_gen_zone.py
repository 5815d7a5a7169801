#!/usr/bin/python3
"""Checks of bench/gen_zone.py: /usr/bin/python3 -m unittest bench/test_gen_zone.py (seconds, no server)."""

import os
import random
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
import gen_lists  # noqa: E402
import gen_zone  # noqa: E402


class GenZoneTest(unittest.TestCase):
    def test_distribution_follows_the_90_9_1_split(self):
        gen = gen_zone.Generator(3)
        lengths = [gen.entry(i)[1] for i in range(20000)]
        self.assertAlmostEqual(sum(l == 32 for l in lengths) / 20000, 0.90, delta=0.01)
        self.assertAlmostEqual(sum(24 <= l <= 29 for l in lengths) / 20000, 0.09, delta=0.01)
        self.assertAlmostEqual(sum(16 <= l <= 23 for l in lengths) / 20000, 0.01, delta=0.003)

    def test_single_addresses_are_distinct_and_never_in_the_miss_space(self):
        gen = gen_zone.Generator(4)
        addresses = [gen.address(i) for i in range(50000)]
        self.assertEqual(len(set(addresses)), len(addresses))
        self.assertFalse(any(gen_zone.reserved(a) for a in addresses))

    def test_exclusions_lie_inside_their_range_and_hits_avoid_them(self):
        gen, rng = gen_zone.Generator(5), random.Random(1)
        for i in range(20000):
            first, length, _, excluded = gen.entry(i)
            if excluded is not None:
                self.assertTrue(first < excluded < first + (1 << (32 - length)))
            hit = gen.hitAddress(i, rng)
            self.assertEqual(hit >> (32 - length), first >> (32 - length))
            self.assertNotEqual(hit, excluded)

    def test_same_seed_writes_the_same_files(self):
        with tempfile.TemporaryDirectory() as d:
            paths = [os.path.join(d, n) for n in ("a", "b", "qa", "qb")]
            for zone, queries in ((paths[0], paths[2]), (paths[1], paths[3])):
                gen_zone.writeZone(zone, 2000, 9, "bl.test")
                gen_zone.writeQueries(queries, 2000, 9, "bl.test", 1000, 0.3)
            for x, y in ((paths[0], paths[1]), (paths[2], paths[3])):
                with open(x) as fx, open(y) as fy:
                    self.assertEqual(fx.read(), fy.read())

    def test_query_file_has_the_requested_hit_and_txt_shares(self):
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as f:
            gen_zone.writeQueries(f.name, 5000, 2, "bl.test", 20000, 0.4, 0.2)
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 20000)
        txt = sum(l.endswith(" TXT") for l in lines) / 20000
        first = [int(l.split(".")[3]) for l in lines]
        hits = sum((o & 15) != 15 for o in first) / 20000
        self.assertAlmostEqual(txt, 0.2, delta=0.015)
        self.assertAlmostEqual(hits, 0.4, delta=0.015)

    def test_dnsperf_report_is_parsed(self):
        text = """  Queries sent:         300478
  Queries completed:    300470 (100.00%)
  Queries lost:         8 (0.00%)
  Response codes:       NOERROR 87496 (29.12%), NXDOMAIN 212974 (70.88%)
  Average packet size:  request 39, response 88
  Run time (s):         3.000308
  Queries per second:   100149.051364
  Average Latency (s):  0.000792 (min 0.000014, max 0.006062)
"""
        r = benchlib.parseDnsperf(text)
        self.assertEqual((r["sent"], r["completed"], r["lost"]), (300478, 300470, 8))
        self.assertEqual(r["rcodes"], {"NOERROR": 87496, "NXDOMAIN": 212974})
        self.assertEqual((r["requestSize"], r["responseSize"]), (39, 88))
        self.assertAlmostEqual(r["maxLatency"], 0.006062)


class GenListsTest(unittest.TestCase):
    def test_names_are_distinct_and_one_in_five_lists_its_subdomains(self):
        pairs = list(gen_lists.names(20000, 5))
        self.assertEqual(len({name for name, _ in pairs}), 20000)
        self.assertAlmostEqual(sum(wild for _, wild in pairs) / 20000, 0.2, delta=0.01)
        self.assertEqual(pairs[:50], list(gen_lists.names(50, 5)))

    def test_ip6_prefixes_follow_the_70_20_10_split_and_are_aligned(self):
        prefixes = list(gen_lists.ip6Prefixes(20000, 6))
        lengths = [length for _, length in prefixes]
        self.assertAlmostEqual(lengths.count(64) / 20000, 0.7, delta=0.01)
        self.assertAlmostEqual(lengths.count(48) / 20000, 0.2, delta=0.01)
        self.assertAlmostEqual(lengths.count(128) / 20000, 0.1, delta=0.01)
        for prefix, length in prefixes[:2000]:
            self.assertEqual(prefix >> 125, 1)  # 2000::/3
            self.assertEqual(prefix & ((1 << (128 - length)) - 1), 0)


if __name__ == "__main__":
    unittest.main()
