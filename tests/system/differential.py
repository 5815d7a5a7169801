"""Seeded random zone data and queries for the differential test against Debian's rbldnsd.

Every generated entry is also kept as a range (or name), so the test can find the boundaries worth asking
about and tell an empty non-terminal from a name with nothing below it.
"""

import ipaddress
import random

SOA = "$SOA 3600 ns1.diff.example. hostmaster.diff.example. 2026112201 600 300 86400 300\n"
NS = "$NS 3600 ns1.diff.example ns2.diff.example\n"
VALUES = ["", " :3:Value three for $", " :4:", " plain text for $ ($1)", " :127.0.0.5:Five $", " :6:$2 $$ $"]
VARIABLES = "$1 http://example.org/why\n$2 see\n"
QTYPES = ["A"] * 4 + ["TXT"] * 4 + ["ANY", "AAAA", "MX", "NS"]


class Ip4Data:
    """IPv4 entries as written (text) and as (first, last, excluded) integer ranges."""

    def __init__(self):
        self.lines = []
        self.ranges = []

    def add(self, text, first, last, excluded, value=""):
        self.lines.append(("!" if excluded else "") + text + ("" if excluded else value))
        self.ranges.append((first, last, excluded))

    def listed_overlap(self, first, last):
        return any(not excluded and lo <= last and first <= hi for lo, hi, excluded in self.ranges)


def ip4(value):
    return str(ipaddress.IPv4Address(value))


def ip4set_data(rng, count):
    """ip4set entries of every form rbldnsd accepts, nested so that its level rules matter."""
    data = Ip4Data()
    for _ in range(count):
        base = (10 << 24) | (rng.randrange(1, 4) << 16) | (rng.randrange(0, 8) << 8)
        form = rng.random()
        value = rng.choice(VALUES)
        if form < 0.45:
            address = base | rng.randrange(256)
            data.add(ip4(address), address, address, rng.random() < 0.15, value)
        elif form < 0.6:
            data.add(".".join(ip4(base).split(".")[:3]), base, base | 0xFF, rng.random() < 0.1, value)
        elif form < 0.7:
            length = rng.randrange(25, 31)
            first = (base | rng.randrange(256)) & ~((1 << (32 - length)) - 1) & 0xFFFFFFFF
            data.add("%s/%d" % (ip4(first), length), first, first + (1 << (32 - length)) - 1, False, value)
        elif form < 0.85:
            first = base | rng.randrange(200)
            last = first + rng.randrange(1, 55)
            data.add("%s-%d" % (ip4(first), last & 0xFF), first, last, False, value)
        elif form < 0.95:
            first = base | rng.randrange(100)
            last = base + (1 << 8) * rng.randrange(1, 3) + rng.randrange(256)
            data.add("%s-%s" % (ip4(first), ip4(last)), first, last, False, value)
        else:
            first = base & 0xFFFF0000
            data.add(".".join(ip4(first).split(".")[:2]), first, first | 0xFFFF, False, value)
    data.add("10.3.0.0/16", 10 << 24 | 3 << 16, (10 << 24 | 3 << 16) + 0xFFFF, False, " :7:Wide $")
    data.add("11.0.0.0/8", 11 << 24, (12 << 24) - 1, False)
    data.add("11.1.1.1", 11 << 24 | 1 << 16 | 1 << 8 | 1, 11 << 24 | 1 << 16 | 1 << 8 | 1, True)
    return data


def ip4trie_data(rng, count):
    """ip4trie CIDRs (no ranges) nested inside 172.16.0.0/12, with exclusions of whole prefixes."""
    data = Ip4Data()
    seen = set()
    for _ in range(count):
        length = rng.choice([12, 16, 20, 24, 24, 26, 28, 30, 32, 32, 32])
        address = (172 << 24) | (16 << 16) | rng.randrange(0, 1 << 14)
        address = (address | rng.randrange(256) << 0) & ~((1 << (32 - length)) - 1) & 0xFFFFFFFF
        if (address, length) in seen:
            continue
        seen.add((address, length))
        text = ip4(address) if length == 32 else "%s/%d" % (ip4(address), length)
        last = address + (1 << (32 - length)) - 1
        data.add(text, address, last, length >= 24 and rng.random() < 0.2, rng.choice(VALUES))
    return data


def ip6trie_data(rng, count):
    """ip6trie prefixes inside 2001:db8::/32 as (network, excluded) plus their text lines."""
    lines, networks = [], []
    seen = set()
    for _ in range(count):
        length = rng.choice([32, 40, 48, 56, 64, 64, 96, 112, 128, 128])
        host = rng.getrandbits(96) if rng.random() < 0.5 else rng.getrandbits(32) << 64
        address = (0x20010DB8 << 96) | (host & ((1 << 96) - 1))
        network = ipaddress.IPv6Network((address, length), strict=False)
        if network in seen:
            continue
        seen.add(network)
        excluded = length >= 64 and rng.random() < 0.2
        text = str(network.network_address) + ("" if length == 128 else "/%d" % length)
        lines.append(("!" if excluded else "") + text + ("" if excluded else rng.choice(VALUES)))
        networks.append((network, excluded))
    return lines, networks


def dnset_data(rng, count):
    """dnset names (plain, *.wildcard, .both) over a few shared parents, with exclusions."""
    parents = ["d%d.example" % index for index in range(8)] + ["x.d1.example", "y.x.d1.example", "test"]
    lines, owners = [], set()
    for _ in range(count):
        name = rng.choice(parents)
        if rng.random() < 0.6:
            name = "h%d.%s" % (rng.randrange(20), name)
        shape = rng.choice(["", "", "*.", "."])
        excluded = rng.random() < 0.15
        lines.append(("!" if excluded else "") + shape + name + ("" if excluded else rng.choice(VALUES)))
        owners.add(("*." if shape == "*." else "") + name)
        if shape == ".":
            owners.add("*." + name)  # ".name" lists the name and everything below it
    return lines, owners


def _label(rng):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
    return "x" + text.strip("-") if text.strip("-") != text else text


def dnset_large_data(rng, count):
    """A DBL-like dnset: random names under a few TLDs (xn-- ones too), every shape, exclusions, repeated
    names with other values, upper case and trailing dots in the file."""
    tlds = ["com", "net", "org", "ru", "xn--p1ai", "co.uk"]
    lines, owners, names = [], set(), []
    for _ in range(count):
        if names and rng.random() < 0.05:
            name = rng.choice(names)
        else:
            name = _label(rng) + "." + rng.choice(tlds)
            if rng.random() < 0.2:
                name = _label(rng) + "." + name
            names.append(name)
        shape = rng.choice(["", "", "", "*.", "."])
        excluded = rng.random() < 0.05
        text = shape + name + ("." if rng.random() < 0.05 else "")
        if rng.random() < 0.1:
            text = text.upper()
        lines.append(("!" if excluded else "") + text + ("" if excluded else rng.choice(VALUES)))
        owners.add(("*." if shape == "*." else "") + name)
        if shape == ".":
            owners.add("*." + name)
    return lines, owners


def ip6tset_data(rng, count):
    """ip6tset /64s (four groups) and /128 exclusions inside some of them, as ip6trie_data's networks."""
    lines, networks = [], []
    for _ in range(count):
        high = (0x20010DB8 << 32) | rng.getrandbits(32)
        network = ipaddress.IPv6Network((high << 64, 64))
        lines.append(":".join("%x" % (high >> shift & 0xFFFF) for shift in (48, 32, 16, 0)))
        networks.append((network, False))
        if rng.random() < 0.2:
            address = ipaddress.IPv6Address((high << 64) | rng.getrandbits(64))
            lines.append("!" + str(address))
            networks.append((ipaddress.IPv6Network((int(address), 128)), True))
    return lines, networks


def sample(rng, names, count):
    """At most count of names, in a reproducible order."""
    return rng.sample(names, min(count, len(names)))


def ip4_queries(rng, data, zone, extra):
    """Names for the boundaries of every range, points inside, and random addresses near the data."""
    addresses = set()
    for first, last, _ in data.ranges:
        addresses.update({first - 1, first, last, last + 1, rng.randint(first, last)})
    for _ in range(extra):
        first, last, _ = rng.choice(data.ranges)
        addresses.add(rng.randint(max(0, first - 300), last + 300))
    names = [ip4_name(address, zone) for address in sorted(addresses) if 0 <= address < 1 << 32]
    for address in rng.sample(sorted(addresses), min(60, len(addresses))):
        octets = ip4(address & 0xFFFFFFFF).split(".")
        names.append(".".join(reversed(octets[: rng.randrange(1, 4)])) + "." + zone)
    return names


def ip4_name(address, zone):
    return ".".join(reversed(ip4(address & 0xFFFFFFFF).split("."))) + "." + zone


def ip6_name(address, zone, nibbles=32):
    digits = ipaddress.IPv6Address(address).exploded.replace(":", "")[:nibbles]
    return ".".join(reversed(digits)) + "." + zone


def ip6_queries(rng, networks, zone):
    names = []
    for network, _ in networks:
        first, last = int(network.network_address), int(network.broadcast_address)
        for address in {first - 1, first, last, last + 1, rng.randint(first, last)}:
            names.append(ip6_name(address % (1 << 128), zone))
        names.append(ip6_name(first, zone, rng.choice([4, 8, 12, 16, 31])))
    return names


def dnset_queries(rng, owners, zone):
    names = ["invalid." + zone, "test." + zone]
    for owner in sorted(owners):
        base = owner[2:] if owner.startswith("*.") else owner
        labels = base.split(".")
        names += [base + "." + zone, "a." + base + "." + zone, "b.a." + base + "." + zone]
        names.append(".".join(labels[1:]) + "." + zone if len(labels) > 1 else zone)
        names.append("h%d.%s.%s" % (rng.randrange(30), base, zone))
    return names


def ip4_partial_ent(name, zone, datasets):
    """True if name is a partial IPv4 key under zone with a listed entry below it."""
    labels = name[: -len(zone) - 1].split(".") if name.endswith("." + zone) else []
    if not 1 <= len(labels) < 4 or not all(label.isdigit() and int(label) < 256 for label in labels):
        return False
    prefix = [int(label) for label in reversed(labels)]
    first = 0
    for octet in prefix:
        first = first << 8 | octet
    shift = 8 * (4 - len(prefix))
    first <<= shift
    return any(data.listed_overlap(first, first + (1 << shift) - 1) for data in datasets)


def ip6_partial_ent(name, zone, networks):
    labels = name[: -len(zone) - 1].split(".") if name.endswith("." + zone) else []
    if not 1 <= len(labels) < 32:
        return False
    digits = "".join(reversed(labels))
    prefix = ipaddress.IPv6Network((int(digits.ljust(32, "0"), 16), 4 * len(digits)))
    return any(not excluded and network.overlaps(prefix) for network, excluded in networks)


def dnset_ent(name, zone, owners):
    """True if name (under zone) is a proper ancestor of a dnset owner name (a wildcard's base counts)."""
    if not name.endswith("." + zone):
        return False
    relative = name[: -len(zone) - 1]
    return any(owner.endswith("." + relative) for owner in owners)
