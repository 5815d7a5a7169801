#!/usr/bin/python3
"""Runs shun's system tests against a built shund: run.py --build-dir DIR [unittest options, e.g. -k reload].

Must run under /usr/bin/python3 (Debian's dnspython is importable only there). Exits non-zero on failure.
"""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build", help="CMake build directory holding shund")
    options, rest = parser.parse_known_args()
    build_dir = os.path.abspath(options.build_dir)
    if not os.access(os.path.join(build_dir, "shund"), os.X_OK):
        print("run.py: no executable %s/shund (build it first)" % build_dir, file=sys.stderr)
        return 2
    os.environ["SHUN_BUILD_DIR"] = build_dir
    sys.path.insert(0, HERE)
    program = unittest.main(module=None, exit=False, verbosity=2,
                            argv=[sys.argv[0], "discover", "-s", HERE, "-t", HERE, "-p", "test_*.py", *rest])
    return 0 if program.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
