"""System test harness: zone files in a temp dir, real servers on loopback, DNS clients.

Every server is started by this module and stopped by its own pid (SIGTERM, then SIGKILL), also when a
test fails or the interpreter exits. Servers listen on 127.0.0.1 only.
"""

import atexit
import http.client
import ipaddress
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.parse

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rdataclass
import dns.rdatatype

HOST = "127.0.0.1"
BUILD_DIR = os.path.abspath(os.environ.get("SHUN_BUILD_DIR", "build"))
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
# Sanitizer builds start and answer more slowly.
START_TIMEOUT = float(os.environ.get("SHUN_START_TIMEOUT", "20"))
QUERY_TIMEOUT = 2.0
UNPRIVILEGED = "nobody"

_running = []


def shund_path():
    return os.path.join(BUILD_DIR, "shund")


def shunctl_path():
    return os.path.join(BUILD_DIR, "shunctl")


def have_shund():
    return os.access(shund_path(), os.X_OK)


class ZoneDir:
    """A temporary directory of zone files that an unprivileged server user can read."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="shun-system-")
        os.chmod(self.path, 0o755)
        self._stamp = int(time.time())

    def file(self, name):
        return os.path.join(self.path, name)

    def write(self, name, text):
        """Atomically (re)writes name; each write gets a newer mtime so reloads always see a change."""
        target = self.file(name)
        temporary = target + ".tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        self._stamp = max(self._stamp + 1, int(time.time()))
        os.utime(temporary, (self._stamp, self._stamp))
        os.replace(temporary, target)
        return target

    def copy_data(self, name):
        """Copies tests/system/data/name into this directory."""
        with open(os.path.join(DATA_DIR, name), encoding="utf-8") as source:
            return self.write(name, source.read())

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


class Process:
    """A server process whose stdout and stderr are collected by reader threads."""

    def __init__(self, argv, name):
        self.argv = argv
        self.name = name
        self.lines = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        _running.append(self)
        self._readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                         for stream in (self.proc.stdout, self.proc.stderr)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()

    def log(self):
        with self._cond:
            return "\n".join(self.lines)

    def _search(self, regex):
        with self._cond:
            for line in self.lines:
                match = regex.search(line)
                if match:
                    return match
        return None

    def wait_line(self, pattern, timeout):
        """Returns the first match of pattern in the output, or None if the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while self.proc.poll() is None:
            with self._cond:
                match = self._search(regex)
                left = deadline - time.monotonic()
                if match or left <= 0:
                    return match
                self._cond.wait(min(left, 0.1))
        # It has exited: its last lines may still be in the pipes; the readers end at their end.
        for reader in self._readers:
            reader.join(max(0.0, deadline - time.monotonic()) + 1.0)
        return self._search(regex)

    def signal(self, signum):
        if self.proc.poll() is None:
            self.proc.send_signal(signum)

    def stop(self, timeout=5.0):
        """SIGTERM, then SIGKILL after timeout. Returns the exit status (negative: killed by a signal)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for reader in self._readers:
            reader.join(2)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()
        if self in _running:
            _running.remove(self)
        return self.proc.returncode


@atexit.register
def _kill_leftovers():
    for process in list(_running):
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


def free_port():
    """A loopback port free for both UDP and TCP right now (for rbldnsd, which cannot report port 0)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind((HOST, 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind((HOST, port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free loopback port")


class Server:
    """A running DNS server (shund or rbldnsd) on HOST:port."""

    def __init__(self, process, port, zones):
        self.process = process
        self.port = port
        self.zones = zones

    @property
    def pid(self):
        return self.process.proc.pid

    def query(self, name, rdtype="A", transport="udp", **options):
        return query(self.port, name, rdtype, transport, **options)

    def wait_ready(self, zone, timeout=START_TIMEOUT):
        """Polls zone's SOA until the server answers at all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.proc.poll() is not None:
                raise RuntimeError("%s exited with %s before answering:\n%s"
                                   % (self.process.name, self.process.proc.returncode, self.process.log()))
            try:
                self.query(zone, "SOA", timeout=0.3)
                return
            except (dns.exception.Timeout, OSError):
                time.sleep(0.05)
        raise RuntimeError("%s did not answer SOA %s in %ss:\n%s"
                           % (self.process.name, zone, timeout, self.process.log()))

    def reload(self):
        self.process.signal(signal.SIGHUP)

    def stop(self):
        return self.process.stop()

    def log(self):
        return self.process.log()


def zone_names(specs):
    return [spec.split(":", 1)[0] for spec in specs if spec.split(":", 1)[0]]


def start_shund(specs, options=(), ready=True, wrapper=()):
    """Starts build/shund on 127.0.0.1 port 0 with zone specs; returns a Server once it answers.
    wrapper: a command that execs shund (e.g. taskset), so that the pid is still shund's."""
    argv = [*wrapper, shund_path(), "-n", "-b", HOST + "/0", *options, *specs]
    process = Process(argv, "shund")
    try:
        match = process.wait_line(r"listening on 127\.0\.0\.1/(\d+)", START_TIMEOUT)
        if not match:
            raise RuntimeError("shund did not report its port (status %s):\n%s"
                               % (process.proc.poll(), process.log()))
        server = Server(process, int(match.group(1)), zone_names(specs))
        if ready:
            server.wait_ready(server.zones[0])
        return server
    except BaseException:
        process.stop()
        raise


def start_rbldnsd(specs, options=()):
    """Starts Debian's rbldnsd (UDP only) on a free loopback port; returns a Server once it answers."""
    for attempt in range(3):
        port = free_port()
        argv = ["rbldnsd", "-n", "-u", UNPRIVILEGED, "-b", "%s/%d" % (HOST, port), *options, *specs]
        process = Process(argv, "rbldnsd")
        server = Server(process, port, zone_names(specs))
        try:
            server.wait_ready(server.zones[0])
            return server
        except RuntimeError:
            process.stop()
            if attempt == 2 or "Address already in use" not in process.log():
                raise
    raise AssertionError("unreachable")


def make_query(name, rdtype="A", rdclass="IN", edns=None, payload=1232, qid=None):
    """A query with RD clear (as resolvers send to authoritative servers); edns=None: no OPT."""
    message = dns.message.make_query(name, rdtype, rdclass, use_edns=edns if edns is not None else False,
                                     payload=payload)
    message.flags &= ~dns.flags.RD
    if qid is not None:
        message.id = qid
    return message


def query(port, name, rdtype="A", transport="udp", rdclass="IN", edns=None, payload=1232,
          timeout=QUERY_TIMEOUT):
    """Sends one query over transport ("udp" or "tcp") and returns the parsed dns.message response."""
    message = make_query(name, rdtype, rdclass, edns, payload)
    if transport == "udp":
        return dns.query.udp(message, HOST, port=port, timeout=timeout, ignore_unexpected=True)
    return dns.query.tcp(message, HOST, port=port, timeout=timeout)


def send_raw_udp(port, payload, timeout=1.0):
    """Sends raw bytes over UDP; returns the raw reply or None if nothing came back in time."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(payload, (HOST, port))
        try:
            return sock.recv(65535)
        except socket.timeout:
            return None


def tcp_frame(wire):
    return struct.pack("!H", len(wire)) + wire


def read_tcp_frame(sock):
    """Reads one length-prefixed DNS message from a TCP socket."""
    header = _read_exact(sock, 2)
    return _read_exact(sock, struct.unpack("!H", header)[0])


def _read_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


# Types whose RDATA is only domain names and numbers: compared case-insensitively, since a server may
# compress a name in RDATA against the question, whose case is the client's (0x20).
NAME_RDATA_TYPES = {dns.rdatatype.NS, dns.rdatatype.SOA, dns.rdatatype.MX, dns.rdatatype.CNAME, dns.rdatatype.PTR}


def rrset_texts(section):
    """A section as a set of 'name ttl class type rdata' strings (domain names lower-case)."""
    texts = set()
    for rrset in section:
        for rdata in rrset:
            data = rdata.to_text()
            if rrset.rdtype in NAME_RDATA_TYPES:
                data = data.lower()
            texts.add("%s %d %s %s %s" % (rrset.name.to_text().lower(), rrset.ttl,
                                          dns.rdataclass.to_text(rrset.rdclass),
                                          dns.rdatatype.to_text(rrset.rdtype), data))
    return texts


def run_tool(argv, timeout=10):
    """Runs a client tool (dig, kdig, shund --check) and returns the CompletedProcess with text output."""
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


STANDARD_FILES = ("bl.ip4set", "bl.generic", "bl6.ip6trie", "dbl.dnset", "combo.combined")


class SharedServer:
    """One shund on the standard zones for a whole test module: `setUpModule = SERVER.start` and
    `tearDownModule = SERVER.stop` (which fails if shund did not exit cleanly on SIGTERM); in between it
    stands for the running server (SERVER.query, SERVER.port, ...)."""

    def __init__(self):
        self.zones = None
        self.server = None

    def __getattr__(self, name):
        server = self.__dict__.get("server")
        if server is None:
            raise AttributeError("%s: shund is not running (setUpModule not run?)" % name)
        return getattr(server, name)

    def start(self):
        self.zones = ZoneDir()
        try:
            self.server = start_shund(standard_specs(self.zones))
        except BaseException:
            self.zones.cleanup()
            raise
        return self.server

    def stop(self):
        status = self.server.stop()
        self.zones.cleanup()
        if status != 0:
            raise AssertionError("shund exited with %s after SIGTERM:\n%s" % (status, self.server.log()))


def standard_specs(zones):
    """Copies the standard test zones (tests/system/data) into zones and returns their zone specs."""
    for name in STANDARD_FILES:
        zones.copy_data(name)
    return ["bl.example:ip4set:" + zones.file("bl.ip4set"), "bl.example:generic:" + zones.file("bl.generic"),
            "bl6.example:ip6trie:" + zones.file("bl6.ip6trie"), "dbl.example:dnset:" + zones.file("dbl.dnset"),
            "combo.example:combined:" + zones.file("combo.combined")]


def ip6_name(address, zone):
    """The reversed-nibble query name of an IPv6 address under zone (RFC 5782 section 2.4)."""
    nibbles = ipaddress.IPv6Address(address).exploded.replace(":", "")
    return ".".join(reversed(nibbles)) + "." + zone


def ip4_name(address, zone):
    """The reversed-octet query name of an IPv4 address under zone."""
    return ".".join(reversed(address.split("."))) + "." + zone


def http_port(server):
    """The port a shund started with --http 127.0.0.1/0 reports in its log."""
    match = re.search(r"http on 127\.0\.0\.1/(\d+)", server.log())
    if not match:
        raise AssertionError("shund reported no http port:\n" + server.log())
    return int(match.group(1))


def http_request(port, method, path, body=None, headers=None, client=None):
    """One request to shund's web server, from address client if given; returns (status, body text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=5,
                                            source_address=(client, 0) if client else None)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def web_form_token(port, key, zone):
    """The CSRF token of the self-removal form for key in zone on shund's lookup page ("" if none)."""
    page = http_request(port, "GET", "/lookup/" + urllib.parse.quote(key, safe=""))[1]
    for form in re.findall(r"<form method=\"post\".*?</form>", page, re.S):
        if 'name="zone" value="%s"' % zone in form:
            return re.search(r'name="token" value="([^"]*)"', form).group(1)
    return ""


def web_remove(port, key, zone, headers=None, client="127.0.0.1"):
    """POSTs the self-removal form as a browser would (with the form's token); returns (status, page)."""
    body = urllib.parse.urlencode({"key": key, "zone": zone, "token": web_form_token(port, key, zone)})
    return http_request(port, "POST", "/remove", body,
                        {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}, client)
