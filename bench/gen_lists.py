#!/usr/bin/python3
"""Seeded synthetic domain (DBL-like dnset) and IPv6 (ip6trie/ip6tset) lists.

dnset: one name per line, 80 % "name" (that name only), 20 % ".name" (the name and every name below);
registrable names of 5..16 characters under a weighted mix of TLDs, one in ten with a host label in
front, every name distinct. ip6: 70 % /64, 20 % /48, 10 % /128 under 2000::/3, every prefix distinct,
written as "prefix/len" (a /128 as a plain address) so the file loads as ip6trie and as ip6tset.
"""

import argparse
import random
import sys

TLDS = (("com", 50), ("net", 10), ("org", 8), ("ru", 6), ("info", 5), ("xyz", 5), ("top", 5), ("de", 4),
        ("cn", 4), ("online", 3))
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
HEADER = "$SOA 3600 ns.bl.test. hostmaster.bl.test. 1 3600 900 604800 60\n$NS 3600 ns.bl.test.\n$TTL 60\n"


def _tldTable():
    table = []
    for tld, weight in TLDS:
        table.extend([tld] * weight)
    return table


def names(count, seed):
    """count distinct (name, wildcard) pairs."""
    rng = random.Random(seed)
    tlds = _tldTable()
    seen = set()
    while len(seen) < count:
        label = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(5, 16)))
        name = label + "." + rng.choice(tlds)
        if rng.random() < 0.1:
            name = rng.choice(("www", "mail", "login", "secure", "cdn")) + "." + name
        if name in seen:
            continue
        seen.add(name)
        yield name, rng.random() < 0.2


def writeNames(path, count, seed):
    with open(path, "w") as out:
        out.write(HEADER + ":127.0.1.2:Listed in the test DBL, see http://dbl.test/$\n")
        for name, wildcard in names(count, seed):
            out.write(("." if wildcard else "") + name + "\n")


def ip6Prefixes(count, seed):
    """count distinct (128-bit prefix as an int, length) pairs."""
    rng = random.Random(seed)
    seen = set()
    while len(seen) < count:
        kind = rng.random()
        length = 64 if kind < 0.7 else 48 if kind < 0.9 else 128
        prefix = ((0x1 << 125) | rng.getrandbits(125)) >> (128 - length) << (128 - length)
        if (prefix, length) in seen:
            continue
        seen.add((prefix, length))
        yield prefix, length


def ip6Text(value):
    groups = ["%x" % ((value >> (112 - 16 * i)) & 0xFFFF) for i in range(8)]
    return ":".join(groups)


def writeIp6(path, count, seed):
    with open(path, "w") as out:
        out.write(HEADER + ":127.0.0.2:Listed in the test IPv6 list\n")
        for prefix, length in ip6Prefixes(count, seed):
            out.write(ip6Text(prefix) + ("" if length == 128 else "/%d" % length) + "\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("dnset", "ip6"))
    parser.add_argument("--count", type=int, default=1000000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    (writeNames if args.kind == "dnset" else writeIp6)(args.out, args.count, args.seed)


if __name__ == "__main__":
    main(sys.argv[1:])
