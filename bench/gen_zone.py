#!/usr/bin/python3
"""Seeded synthetic rbldnsd IPv4 zone and matching dnsperf query files.

The zone loads as ip4set and as ip4trie (CIDR forms only, no a-b ranges):
90 % /32, 9 % /24../29, 1 % /16../23, an exclusion inside about one range in five, and a few
distinct A/TXT values with "$" templates. Every entry is a pure function of (seed, line index),
so query files are generated without keeping the zone in memory, and a listed address can be
recomputed from its index.

Addresses whose first octet is 15 mod 16 (15, 31, ..., 255) are never listed: misses are drawn
there, so the hit ratio of a query file is exact (up to exclusions).
"""

import argparse
import random
import sys

MASK32 = 0xFFFFFFFF
SENTINEL = 0xFFFFFFFE  # 255.255.255.254: in the never-listed space, listed only with --sentinel
DEFAULT_TXT = "Listed in $zone, see http://$zone/lookup?ip=$"
VALUES = (
    ":127.0.0.3:Spam source $, see $1",
    ":127.0.0.4:",
    ":127.0.0.5:Open relay $ ($2)",
)


def mix32(x):
    """A bijection on 32-bit integers with good avalanche (lowbias32)."""
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK32
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK32
    return x ^ (x >> 16)


def reserved(addr):
    """True for the never-listed part of the address space (first octet 15 mod 16)."""
    return (addr >> 24) & 15 == 15


class Generator:
    """Entries of one synthetic zone; entry(i) is deterministic for a given seed."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.addrKey, self.kindKey, self.valueKey, self.exclKey = (rng.getrandbits(32) for _ in range(4))

    def address(self, i):
        # Cycle-walking a keyed permutation keeps it a bijection on the non-reserved space, so
        # distinct indexes never give the same /32.
        x = mix32(i ^ self.addrKey)
        while reserved(x):
            x = mix32(x ^ self.addrKey)
        return x

    def entry(self, i):
        """(first, prefixLength, valueIndex or -1, excludedAddress or None) of line i."""
        addr = self.address(i)
        kind = mix32(i ^ self.kindKey) % 1000
        if kind < 900:
            length = 32
        elif kind < 990:
            length = 24 + kind % 6
        else:
            length = 16 + kind % 8
        first = addr & ((MASK32 << (32 - length)) & MASK32)
        v = mix32(i ^ self.valueKey) % 100
        value = v - 97 if v >= 97 else -1
        excluded = None
        if length < 32:
            e = mix32(i ^ self.exclKey)
            if e % 5 == 0:
                size = 1 << (32 - length)
                excluded = first + 1 + (e >> 3) % (size - 1)
        return first, length, value, excluded

    def hitAddress(self, i, rng):
        """A listed, not excluded address of line i."""
        first, length, _, excluded = self.entry(i)
        addr = first + rng.getrandbits(32 - length) if length < 32 else first
        return first if addr == excluded else addr


def dotted(addr):
    return "%d.%d.%d.%d" % (addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255)


def reversedName(addr, zone):
    return "%d.%d.%d.%d.%s" % (addr & 255, (addr >> 8) & 255, (addr >> 16) & 255, addr >> 24, zone)


def writeZone(path, lines, seed, zone, sentinel=False):
    """Writes a zone of `lines` entry lines (plus header and exclusion lines); returns counts."""
    gen = Generator(seed)
    counts = {"/32": 0, "/24-/29": 0, "/16-/23": 0, "exclusions": 0, "values": 0}
    with open(path, "w", buffering=1 << 20) as out:
        out.write("# synthetic zone: gen_zone.py --lines %d --seed %d --zone %s\n" % (lines, seed, zone))
        out.write("$SOA 3600 ns1.%s. hostmaster.%s. 1 600 300 86400 300\n" % (zone, zone))
        out.write("$NS 3600 ns1.%s.\n$TTL 2100\n" % zone)
        out.write("$1 http://%s/info\n$2 see http://%s/relays\n" % (zone, zone))
        out.write(":127.0.0.2:%s\n" % DEFAULT_TXT.replace("$zone", zone))
        if sentinel:
            out.write("%s :127.0.0.9:sentinel\n" % dotted(SENTINEL))
        chunk = []
        for i in range(lines):
            first, length, value, excluded = gen.entry(i)
            key = dotted(first) if length == 32 else "%s/%d" % (dotted(first), length)
            counts["/32" if length == 32 else "/24-/29" if length >= 24 else "/16-/23"] += 1
            if value >= 0:
                counts["values"] += 1
                chunk.append("%s %s\n" % (key, VALUES[value]))
            else:
                chunk.append(key + "\n")
            if excluded is not None:
                counts["exclusions"] += 1
                chunk.append("!%s\n" % dotted(excluded))
            if len(chunk) >= 8192:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return counts


def writeQueries(path, lines, seed, zone, count, hitRatio, txtRatio=0.2):
    """Writes `count` dnsperf queries: hitRatio listed keys, the rest never listed; txtRatio TXT."""
    gen = Generator(seed)
    rng = random.Random(seed * 7919 + count)
    with open(path, "w", buffering=1 << 20) as out:
        chunk = []
        for _ in range(count):
            if rng.random() < hitRatio:
                addr = gen.hitAddress(rng.randrange(lines), rng)
            else:
                addr = (rng.getrandbits(24) | ((rng.randrange(16) * 16 + 15) << 24)) & MASK32
                if addr == SENTINEL:
                    addr -= 1
            chunk.append("%s %s\n" % (reversedName(addr, zone), "TXT" if rng.random() < txtRatio else "A"))
        out.write("".join(chunk))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=100000, help="entry lines in the zone")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--zone", default="bl.test")
    parser.add_argument("--out", help="zone file to write")
    parser.add_argument("--sentinel", action="store_true", help="also list %s" % dotted(SENTINEL))
    parser.add_argument("--queries", help="dnsperf query file to write")
    parser.add_argument("--query-count", type=int, default=100000)
    parser.add_argument("--hit-ratio", type=float, default=0.3)
    parser.add_argument("--txt-ratio", type=float, default=0.2)
    args = parser.parse_args(argv)
    if args.lines <= 0 or args.lines >= 1 << 24:
        parser.error("--lines must be in 1..16777215")
    if not args.out and not args.queries:
        parser.error("nothing to do: give --out and/or --queries")
    if args.out:
        counts = writeZone(args.out, args.lines, args.seed, args.zone, args.sentinel)
        print("%s: %s" % (args.out, " ".join("%s=%d" % kv for kv in counts.items())))
    if args.queries:
        writeQueries(args.queries, args.lines, args.seed, args.zone, args.query_count, args.hit_ratio,
                     args.txt_ratio)
        print("%s: %d queries" % (args.queries, args.query_count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
