"""Differential test: shund and Debian's rbldnsd serve the same seeded random files and must answer alike.

Queries go over UDP (rbldnsd has no TCP). For each query the rcode, the AA and TC flags, the presence of an
OPT record and the ANSWER and AUTHORITY sections (as sets of RRs) are compared. A difference passes only
if KNOWN_DIFFERENCES explains it; every other difference fails the test.
"""

import collections
import random
import shutil
import sys
import unittest

import dns.exception
import dns.flags
import dns.rcode

import differential as gen
import harness

SEED = 20261122

# Deliberate differences from rbldnsd, each with its reason. Nothing else may differ.
KNOWN_DIFFERENCES = {
    "empty-non-terminal": "a name with listed names below it (127.bl, com.dbl, a sub-zone's parent) exists: "
    "shund answers NODATA (RFC 8020, QNAME minimisation), rbldnsd NXDOMAIN",
    "negative-soa-ttl": "the SOA in a negative answer has TTL min(SOA TTL, MINIMUM) (RFC 2308 section 5); "
    "rbldnsd always uses MINIMUM",
    "opt-echo": "an EDNS query gets an OPT record back (RFC 6891 section 7); rbldnsd adds OPT only to replies "
    "over 512 bytes",
    "apex-ns-authority": "an answer that already holds the zone's NS RRset (NS or ANY at the apex) does not "
    "repeat it in AUTHORITY, which would be redundant; rbldnsd repeats it",
    "truncation": "an answer that does not fit sets TC so the client retries over TCP (RFC 1035 section 4.2.1); "
    "rbldnsd silently drops records and clears AA",
}

# Zone -> (SOA TTL, SOA MINIMUM) as written in the generated files.
SOA_TIMES = {"six.example.": (60, 7200)}
DEFAULT_SOA_TIMES = (3600, 300)


class Corpus:
    """The generated files, zone specs, queries, and what is needed to recognise empty non-terminals."""

    def __init__(self, zones, rng):
        self.specs, self.queries = [], []
        self.ip4 = gen.ip4set_data(rng, 220)
        self.trie = gen.ip4trie_data(rng, 150)
        self.six_lines, self.six = gen.ip6trie_data(rng, 120)
        self.dn_lines, self.dn = gen.dnset_data(rng, 150)
        self.comb_ip4 = gen.ip4set_data(rng, 40)
        self.comb_dn_lines, self.comb_dn = gen.dnset_data(rng, 30)
        # Larger random lists for the compact stores: many blocks of names, many prefixes of each length.
        self.big_dn_lines, self.big_dn = gen.dnset_large_data(rng, 4000)
        self.big_six_lines, self.big_six = gen.ip6trie_data(rng, 3000)
        self.tset_lines, self.tset = gen.ip6tset_data(rng, 2000)
        self.comb_big_lines, self.comb_big = gen.dnset_large_data(rng, 1000)
        self.write(zones)
        self.make_queries(rng)

    def write(self, zones):
        header = gen.SOA + gen.NS + gen.VARIABLES
        files = {
            "ds.ip4set": header + ":127.0.0.2:Listed $ see $1\n" + "\n".join(self.ip4.lines),
            "ds.ip4trie": header + ":127.0.0.8:Trie $\n" + "\n".join(self.trie.lines),
            "ds.ip6trie": header.replace("3600 ns1", "60 ns1", 1).replace(" 300\n", " 7200\n", 1)
            + ":127.0.0.9:Six $\n" + "\n".join(self.six_lines),
            "ds.dnset": header + ":127.0.1.2:Domain $\n" + "\n".join(self.dn_lines),
            "ds.combined": header + "$DATASET ip4set:a @ sub1\n:2:Comb $\n" + "\n".join(self.comb_ip4.lines)
            + "\n$DATASET dnset:n names.deep\n:4:Name $\n" + "\n".join(self.comb_dn_lines)
            + "\n$DATASET ip4trie:t trie\n" + "\n".join(self.trie.lines[:40])
            + "\n$DATASET dnset:big bigdn\n" + "\n".join(self.comb_big_lines),
            "ds.bigdnset": header + ":127.0.1.3:Big $\n" + "\n".join(self.big_dn_lines),
            "ds.bigip6trie": header + ":127.0.0.10:Big six $\n" + "\n".join(self.big_six_lines),
            "ds.ip6tset": header + ":127.0.0.11:Tset $\n" + "\n".join(self.tset_lines),
        }
        paths = {name: zones.write(name, text + "\n") for name, text in files.items()}
        self.specs = ["ip4.example:ip4set:" + paths["ds.ip4set"], "trie.example:ip4trie:" + paths["ds.ip4trie"],
                      "merge.example:ip4set:" + paths["ds.ip4set"], "merge.example:ip4trie:" + paths["ds.ip4trie"],
                      "six.example:ip6trie:" + paths["ds.ip6trie"], "dn.example:dnset:" + paths["ds.dnset"],
                      "comb.example:combined:" + paths["ds.combined"], "bigdn.example:dnset:" + paths["ds.bigdnset"],
                      "bigsix.example:ip6trie:" + paths["ds.bigip6trie"],
                      "tset.example:ip6tset:" + paths["ds.ip6tset"]]

    def make_queries(self, rng):
        names = gen.ip4_queries(rng, self.ip4, "ip4.example", 300)
        names += gen.ip4_queries(rng, self.trie, "trie.example", 200)
        names += rng.sample(names, 300)
        names += [name.replace(".ip4.example", ".merge.example").replace(".trie.example", ".merge.example")
                  for name in rng.sample(names, 400)]
        names += gen.ip6_queries(rng, self.six, "six.example")
        names += gen.dnset_queries(rng, self.dn, "dn.example")
        names += gen.ip4_queries(rng, self.comb_ip4, rng.choice(["comb.example", "sub1.comb.example"]), 100)
        names += gen.dnset_queries(rng, self.comb_dn, "names.deep.comb.example")
        names += gen.sample(rng, gen.dnset_queries(rng, self.big_dn, "bigdn.example"), 1200)
        names += gen.sample(rng, gen.dnset_queries(rng, self.comb_big, "bigdn.comb.example"), 300)
        names += gen.sample(rng, gen.ip6_queries(rng, self.big_six, "bigsix.example"), 1200)
        names += gen.sample(rng, gen.ip6_queries(rng, self.tset, "tset.example"), 800)
        for _ in range(60):
            first, last, _ = rng.choice(self.ip4.ranges)
            address = rng.randint(first, last)
            # IPv4-mapped and 6to4 nibble names are answered from the zone's IPv4 data.
            names.append(gen.ip6_name((0xFFFF << 32) | address, "ip4.example"))
            names.append(gen.ip6_name((0x2002 << 112) | (address << 80), "merge.example"))
        names += ["deep.comb.example", "trie.comb.example", "sub1.comb.example", "x.sub1.comb.example",
                  "example.org", "nosuch.example", "1.2.3.4.example"]
        for zone in ("ip4.example", "trie.example", "merge.example", "six.example", "dn.example", "comb.example"):
            names += [zone] * 5
        for name in names:
            qtype = rng.choice(gen.QTYPES + (["SOA"] if name.count(".") <= 2 else []))
            edns = rng.random() < 0.1
            if rng.random() < 0.1:
                name = "".join(c.upper() if rng.random() < 0.5 else c for c in name)
            self.queries.append((name, qtype, edns))

    def is_empty_non_terminal(self, name):
        name = name.lower()
        return (gen.ip4_partial_ent(name, "ip4.example", [self.ip4])
                or gen.ip4_partial_ent(name, "trie.example", [self.trie])
                or gen.ip4_partial_ent(name, "merge.example", [self.ip4, self.trie])
                or gen.ip6_partial_ent(name, "six.example", self.six)
                or gen.dnset_ent(name, "dn.example", self.dn)
                or gen.ip4_partial_ent(name, "comb.example", [self.comb_ip4])
                or gen.ip4_partial_ent(name, "sub1.comb.example", [self.comb_ip4])
                or gen.ip4_partial_ent(name, "trie.comb.example", [self.trie])
                or gen.dnset_ent(name, "names.deep.comb.example", self.comb_dn)
                or gen.dnset_ent(name, "bigdn.example", self.big_dn)
                or gen.dnset_ent(name, "bigdn.comb.example", self.comb_big)
                or gen.ip6_partial_ent(name, "bigsix.example", self.big_six)
                or gen.ip6_partial_ent(name, "tset.example", self.tset)
                or name in ("deep.comb.example", "names.deep.comb.example"))


def ask(server, name, qtype, edns):
    """The response as a comparable dict, or None if two tries got no answer."""
    for _ in range(2):
        try:
            response = server.query(name, qtype, "udp", edns=0 if edns else None, timeout=1.0)
        except dns.exception.Timeout:
            continue
        return {"rcode": dns.rcode.to_text(response.rcode()), "aa": bool(response.flags & dns.flags.AA),
                "tc": bool(response.flags & dns.flags.TC), "opt": response.edns >= 0,
                "answer": harness.rrset_texts(response.answer),
                "authority": harness.rrset_texts(response.authority)}
    return None


def soa_ttl_explained(rbl, shun):
    """True if the AUTHORITY sections differ only in the negative SOA TTL, in the documented way."""
    def split(texts):
        soas = {text.split(" ", 2)[0]: int(text.split(" ", 2)[1]) for text in texts if " SOA " in text}
        rest = {text.split(" ", 2)[0] + " " + text.split(" ", 2)[2] for text in texts}
        return soas, rest

    rbl_soas, rbl_rest = split(rbl["authority"])
    shun_soas, shun_rest = split(shun["authority"])
    if rbl_rest != shun_rest or rbl_soas.keys() != shun_soas.keys():
        return False
    for zone, ttl in rbl_soas.items():
        soa_ttl, minimum = SOA_TIMES.get(zone, DEFAULT_SOA_TIMES)
        if ttl != minimum or shun_soas[zone] != min(soa_ttl, minimum):
            return False
    return True


def explain(rbl, shun, edns, ent):
    """The known classes that explain every difference, plus 'unexplained: aspects' for the rest."""
    if rbl is None or shun is None:
        return ["unexplained: no answer from " + ("rbldnsd" if rbl is None else "shund")]
    aspects = {key for key in rbl if rbl[key] != shun[key]}
    classes = []
    if "tc" in aspects and shun["tc"] and not rbl["tc"]:
        classes.append("truncation")
        aspects -= {"tc", "aa", "answer", "authority", "opt"}
    if "opt" in aspects and edns and shun["opt"] and not rbl["opt"]:
        classes.append("opt-echo")
        aspects.discard("opt")
    if ("rcode" in aspects and ent and rbl["rcode"] == "NXDOMAIN" and shun["rcode"] == "NOERROR"
            and not rbl["answer"] and not shun["answer"]):
        classes.append("empty-non-terminal")
        aspects.discard("rcode")
    if ("authority" in aspects and shun["authority"] < rbl["authority"]
            and rbl["authority"] - shun["authority"] <= shun["answer"]):
        classes.append("apex-ns-authority")
        aspects.discard("authority")
    if "authority" in aspects and soa_ttl_explained(rbl, shun):
        classes.append("negative-soa-ttl")
        aspects.discard("authority")
    if aspects:
        classes.append("unexplained: " + ",".join(sorted(aspects)))
    return classes


@unittest.skipUnless(shutil.which("rbldnsd"), "Debian's rbldnsd is not installed (scripts/install-deps)")
class DifferentialTest(unittest.TestCase):
    def test_shund_answers_like_rbldnsd(self):
        zones = harness.ZoneDir()
        self.addCleanup(zones.cleanup)
        corpus = Corpus(zones, random.Random(SEED))
        rbldnsd = harness.start_rbldnsd(corpus.specs)
        self.addCleanup(rbldnsd.stop)
        shund = harness.start_shund(corpus.specs)
        self.addCleanup(shund.stop)

        counts, examples = collections.Counter(), []
        for name, qtype, edns in corpus.queries:
            rbl, shun = ask(rbldnsd, name, qtype, edns), ask(shund, name, qtype, edns)
            counts["compared"] += 1
            if rbl == shun:
                counts["identical"] += 1
                continue
            for cls in explain(rbl, shun, edns, corpus.is_empty_non_terminal(name)):
                counts[cls] += 1
                if cls.startswith("unexplained") and len(examples) < 8:
                    examples.append("%s %s%s\n  rbldnsd: %s\n  shund:   %s"
                                    % (name, qtype, " +edns" if edns else "", rbl, shun))
        summary = ", ".join("%s=%d" % item for item in sorted(counts.items()))
        print("\ndifferential vs rbldnsd (seed %d): %s" % (SEED, summary), file=sys.stderr)
        unexplained = sum(count for cls, count in counts.items() if cls.startswith("unexplained"))
        self.assertGreater(counts["compared"], 2000)
        self.assertGreater(counts["identical"], counts["compared"] // 2)
        self.assertEqual(unexplained, 0, "differences not in KNOWN_DIFFERENCES:\n" + "\n".join(examples))

    def test_known_differences_table_is_used_by_the_classifier(self):
        rbl = {"rcode": "NXDOMAIN", "aa": True, "tc": False, "opt": False, "answer": set(),
               "authority": {"six.example. 7200 IN SOA a. b. 1 2 3 4 7200"}}
        shun = dict(rbl, rcode="NOERROR", opt=True, authority={"six.example. 60 IN SOA a. b. 1 2 3 4 7200"})
        self.assertEqual(sorted(explain(rbl, shun, True, True)),
                         ["empty-non-terminal", "negative-soa-ttl", "opt-echo"])
        self.assertEqual(explain(rbl, shun, True, False)[-1], "unexplained: rcode")
        self.assertEqual(explain(rbl, dict(rbl, rcode="SERVFAIL"), False, False), ["unexplained: rcode"])
        for cls in explain(rbl, shun, True, True):
            self.assertIn(cls, KNOWN_DIFFERENCES)


if __name__ == "__main__":
    unittest.main()
