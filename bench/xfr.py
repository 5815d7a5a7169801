#!/usr/bin/python3
"""AXFR of a large ip4set zone from shund: time to the first message, records per second, and the
memory a transfer adds to shund beyond the loaded snapshot (RSS sampled every 5 ms); then the shund CPU
one IXFR of a one-key change costs, and the CPU its thread shund-notify spends computing that difference.

    bench/xfr.py --build-dir build-rel [--lines 1000000]

The zone is gen_zone.py's (90 % /32, ranges with exclusions), so it holds more records than lines.
"""

import argparse
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import gen_zone  # noqa: E402

ZONE = "bl.test"


def wire_name(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"


def request(qtype, serial=None):
    header = struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 1 if serial is not None else 0, 0)
    message = header + wire_name(ZONE) + struct.pack(">HH", qtype, 1)
    if serial is not None:
        message += b"\xc0\x0c" + struct.pack(">HHIH", 6, 1, 0, 22) + b"\0\0" + struct.pack(">IIIII", serial, 0, 0, 0, 0)
    return struct.pack(">H", len(message)) + message


def read_exact(sock, count):
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return bytes(data)


def transfer(port, qtype=252, serial=None):
    """(seconds to the first message, seconds in all, records, messages) of one transfer."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        started = time.monotonic()
        sock.sendall(request(qtype, serial))
        first, records, messages, soas = None, 0, 0, 0
        while True:
            length = struct.unpack(">H", read_exact(sock, 2))[0]
            message = read_exact(sock, length)
            if first is None:
                first = time.monotonic() - started
            messages += 1
            count = struct.unpack(">H", message[6:8])[0]
            records += count
            if message[3] & 15 or last_is_soa(message):  # the closing SOA (or the single one) ends it
                break
        return first, time.monotonic() - started, records, messages


def last_is_soa(message):
    """True if the message's last record is a SOA (the transfer's end): walks the answer section."""
    count = struct.unpack(">H", message[6:8])[0]
    at = 12
    if struct.unpack(">H", message[4:6])[0]:
        while message[at]:
            at += 1 + message[at]
        at += 5
    rtype = None
    for _ in range(count):
        while True:
            if message[at] >= 0xC0:
                at += 2
                break
            if message[at] == 0:
                at += 1
                break
            at += 1 + message[at]
        rtype, _, _, rdlength = struct.unpack(">HHIH", message[at:at + 10])
        at += 10 + rdlength
    return rtype == 6


def rss_sampler(pid, stop, peak):
    while not stop.is_set():
        peak[0] = max(peak[0], benchlib.procStatusKb(pid, "VmRSS") or 0)
        time.sleep(0.005)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build-rel")
    parser.add_argument("--lines", type=int, default=1000000)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="shun-xfr-bench-")
    os.chmod(work, 0o777)
    data = os.path.join(work, "zone")
    gen_zone.writeZone(data, options.lines, 1, ZONE)
    os.chmod(data, 0o644)
    port = benchlib.freePort()
    argv = [os.path.join(options.build_dir, "shund"), "-n", "-b", "127.0.0.1/%d" % port,
            "--xfr-allow", "127.0.0.1", "%s:ip4set:%s" % (ZONE, data)]
    if benchlib.dropUser():
        argv[1:1] = ["-u", benchlib.dropUser()]
    with benchlib.Server("shund", argv, port, os.path.join(work, "shund.log")) as server:
        server.waitReady(ZONE)
        time.sleep(1)
        before = benchlib.procStatusKb(server.pid, "VmRSS")
        stop, peak = threading.Event(), [before]
        sampler = threading.Thread(target=rss_sampler, args=(server.pid, stop, peak))
        sampler.start()
        first, seconds, records, messages = transfer(port)
        stop.set()
        sampler.join()
        print("AXFR of a %d-line ip4set: %d records in %d messages, first message %.1f ms, %.2f s, "
              "%.2f M records/s, extra RSS %.1f MiB (RSS %.0f MiB before)"
              % (options.lines, records, messages, first * 1000, seconds, records / seconds / 1e6,
                 (peak[0] - before) / 1024, before / 1024))
        serial = ixfr_serial(port)
        notify_before = thread_cpu_ns(server.pid, "shund-notify")
        started = time.monotonic()
        subprocess.run([os.path.join(options.build_dir, "shunctl"), "--zone-spec", "%s:ip4set:%s" % (ZONE, data),
                        "add", "192.0.2.77", "--zone", ZONE, "--for", "1h", "--reason", "bench"], check=True,
                       capture_output=True)
        # The single SOA (change not served yet), then the whole zone (difference not kept yet), then the
        # difference, once shund-notify has seen the new snapshot.
        while not 1 < first_count(port, serial) < 100 and time.monotonic() - started < 30:
            time.sleep(0.002)
        ready = time.monotonic() - started
        difference_ms = (thread_cpu_ns(server.pid, "shund-notify") - notify_before) / 1e6
        _, _, ixfr_records, _ = transfer(port, 251, serial)
        cpu = server.cpuSeconds()
        rounds = 100
        resets = 0
        for _ in range(rounds):
            for _attempt in range(20):  # on a busy machine shund may not have let the last one go yet
                try:
                    transfer(port, 251, serial)
                    break
                except (ConnectionResetError, EOFError):  # REFUSED (too many running) or reset
                    resets += 1
                    time.sleep(0.05)
        print("IXFR of a one-key change: %d records, ready %.0f ms after shunctl add started, "
              "%.3f ms of shund CPU each (mean of %d); computing the difference took %.3f ms of "
              "shund-notify CPU (with its 20 ms polls meanwhile); %d transfers refused or reset and retried"
              % (ixfr_records, ready * 1000, (server.cpuSeconds() - cpu) / rounds * 1000, rounds,
                 difference_ms, resets))


def thread_cpu_ns(pid, name):
    """Nanoseconds on CPU of pid's thread called name; it must have one."""
    ns = benchlib.threadCpuNs(pid, name)
    if ns is None:
        raise RuntimeError("no thread %s in %d" % (name, pid))
    return ns


def first_count(port, serial):
    """Records in the first message of an IXFR from serial (a difference has a handful)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request(251, serial))
        message = read_exact(sock, struct.unpack(">H", read_exact(sock, 2))[0])
        return struct.unpack(">H", message[6:8])[0]


def ixfr_serial(port):
    """The zone's current serial."""
    import dns.message
    import dns.query
    answer = dns.query.tcp(dns.message.make_query(ZONE, "SOA"), "127.0.0.1", port=port, timeout=5)
    return answer.answer[0][0].serial


if __name__ == "__main__":
    main()
