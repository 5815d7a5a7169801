#!/usr/bin/python3
"""Self-removal POSTs against a 1M-line requests log (issue 16): each POST must stay fast, not re-read the log.

requests_log.py [--build-dir build] [--lines 1000000] [--posts 20]. Starts shund --http on a zone whose
<data file>.requests already has --lines lines, posts removal requests, prints the times and the RSS, and
exits 1 if a POST after the first takes more than 0.25 s (the first may rotate the log once: 10 s), or if
the log was not rotated. Generous bounds: this is a guard against reading the whole log per POST (1.6 s
and 250 MB at 1M lines before), not a precise benchmark.
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def start(build_dir, spec):
    argv = [os.path.join(build_dir, "shund"), "-n", "-b", "127.0.0.1/0", "--http", "127.0.0.1/0", spec]
    if os.geteuid() == 0:
        argv[1:1] = ["-u", "nobody"]  # who must write the requests log in the (world-writable) directory
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        match = re.search(r"http on 127\.0\.0\.1/(\d+)", line)
        if match:
            return process, int(match.group(1))
    process.kill()
    sys.exit("shund did not report its http port: " + process.stderr.read())


def post(port, key, client):
    body = urllib.parse.urlencode({"key": key, "zone": "bl.example"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client, 0))
    started = time.monotonic()
    connection.request("POST", "/remove", body, {"Content-Type": "application/x-www-form-urlencoded"})
    status = connection.getresponse().status
    connection.close()
    return status, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build")
    parser.add_argument("--lines", type=int, default=1000000)
    parser.add_argument("--posts", type=int, default=20)
    options = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="shun-requests-bench-")
    os.chmod(directory, 0o777)
    try:
        data = os.path.join(directory, "bl.ip4set")
        with open(data, "w") as zone:
            zone.write("#@selfremoval allowed=yes max=2 per=30d\n192.0.2.1\n")
        now = time.time()
        with open(data + ".requests", "w") as log:
            for index in range(options.lines):
                stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 86400 + index * 0.05))
                log.write("%s 10.%d.%d.%d 198.51.100.%d not-listed\n"
                          % (stamp, index >> 16 & 255, index >> 8 & 255, index & 255, index % 250))
        size = os.path.getsize(data + ".requests")
        os.chmod(data + ".requests", 0o666)
        process, port = start(options.build_dir, "bl.example:ip4set:" + data)
        try:
            # Every POST from another /24: the rate limits are not what is measured.
            results = [post(port, "203.0.113.%d" % (index + 1), "127.%d.0.1" % (index + 1))
                       for index in range(options.posts)]
            rss = benchlib.procStatusKb(process.pid, "VmRSS") / 1024
        finally:
            process.kill()
            process.wait()
        times = [elapsed for status, elapsed in results]
        if any(status != 404 for status, elapsed in results):
            sys.exit("unexpected statuses %s" % [status for status, elapsed in results])
        rotated = os.path.exists(data + ".requests.1")
        later = times[1:]
        print("log %d lines (%.1f MB): first POST %.3f s, then median %.4f s, max %.4f s; RSS %.0f MB; "
              "rotated: %s, log now %d bytes"
              % (options.lines, size / 1e6, times[0], statistics.median(later), max(later), rss, rotated,
                 os.path.getsize(data + ".requests")))
        ok = times[0] < 10 and max(later) < 0.25 and rotated
        print("OK" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(directory)


if __name__ == "__main__":
    sys.exit(main())
