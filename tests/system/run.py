#!/usr/bin/python3
"""Runs shun's system tests against a built shund: run.py --build-dir DIR [--jobs N] [unittest options, e.g. -k reload].

Must run under /usr/bin/python3 (Debian's dnspython is importable only there). Exits non-zero on failure.
With --jobs N, test modules run in N processes at once (most of a test's time is spent waiting for shund,
rbldnsd or a secondary, not on a CPU); each module's output is printed whole when it ends.
"""

import argparse
import concurrent.futures
import glob
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def run_serially(rest, pattern="test_*.py"):
    sys.path.insert(0, HERE)
    program = unittest.main(module=None, exit=False, verbosity=2,
                            argv=[sys.argv[0], "discover", "-s", HERE, "-t", HERE, "-p", pattern, *rest])
    return 0 if program.result.wasSuccessful() else 1


def run_module(build_dir, path, rest):
    """Runs one test module in its own process; returns (name, exit status, seconds, output)."""
    name = os.path.basename(path)
    start = time.monotonic()
    process = subprocess.run([sys.executable, os.path.abspath(__file__), "--build-dir", build_dir,
                              "--module", name, *rest],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return name, process.returncode, time.monotonic() - start, process.stdout


def run_in_parallel(build_dir, jobs, rest):
    # Largest files first: they hold the longest tests, so the last process to finish is not left alone
    # with a long module.
    modules = sorted(glob.glob(os.path.join(HERE, "test_*.py")), key=os.path.getsize, reverse=True)
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_module, build_dir, path, rest) for path in modules]
        for future in concurrent.futures.as_completed(futures):
            name, status, seconds, output = future.result()
            print("===== %s: %s in %.1f s" % (name, "ok" if status == 0 else "FAILED", seconds), flush=True)
            print(output, flush=True)
            if status != 0:
                failed.append(name)
    print("%d modules, %d failed%s" % (len(modules), len(failed), ": " + " ".join(failed) if failed else ""))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build", help="CMake build directory holding shund")
    parser.add_argument("--jobs", type=int, default=1, help="test modules run at once (default 1)")
    parser.add_argument("--module", help=argparse.SUPPRESS)
    options, rest = parser.parse_known_args()
    build_dir = os.path.abspath(options.build_dir)
    if not os.access(os.path.join(build_dir, "shund"), os.X_OK):
        print("run.py: no executable %s/shund (build it first)" % build_dir, file=sys.stderr)
        return 2
    os.environ["SHUN_BUILD_DIR"] = build_dir
    if options.module:
        return run_serially(rest, options.module)
    if options.jobs > 1:
        return run_in_parallel(build_dir, options.jobs, rest)
    return run_serially(rest)


if __name__ == "__main__":
    sys.exit(main())
