"""The one guard table every zone writer is checked against (shunctl add, import and remove in
test_shunctl.py; the web page's self-removal in test_web.py): for each key, what a writer that lists
and a writer that delists must make of it in ZONE_TEXT."""

ZONE = "bl.example"
ZONE_TEXT = (
    "$SOA 60 ns.bl.example. hostmaster.bl.example. 0 600 300 86400 60\n"
    "$NS 60 ns.bl.example.\n"
    ":127.0.0.2:Listed\n"
    "#@selfremoval allowed=yes max=100\n"
    "#@protect 192.0.2.128/25 reason=\"shared relay\"\n"
    "127.0.0.2\n"
    "192.0.2.200\n"
)

PAST = "2020-01-01T00:00:00Z"

# (name, key, ends in the past, listing outcome (add, import), delisting outcome (remove, self-removal),
#  words the refusal must contain). Outcomes: done, bad, refused, not-listed; None: not applicable.
GUARDS = [
    ("negative test point", "127.0.0.1", False, "refused", "not-listed", "RFC 5782"),
    ("positive test point", "127.0.0.2", False, "done", "refused", "RFC 5782 test point"),
    ("protected key", "192.0.2.200", False, "refused", "done", "overlaps protected 192.0.2.128/25"),
    ("wrong family", "2001:db8::1", False, "bad", "bad", "does not fit"),
    ("listing ending in the past", "198.51.100.7", True, "bad", None, "is in the past"),
]

EXIT_CODES = {"done": 0, "bad": 2, "refused": 3, "not-listed": 4}
HTTP_STATUS = {"done": 200, "bad": 400, "refused": 403, "not-listed": 404}
