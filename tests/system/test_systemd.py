"""shund speaks systemd's notify protocol (Type=notify): READY=1 once the zones are served, RELOADING=1 then
READY=1 around a SIGHUP's reload, STOPPING=1 at SIGTERM. A datagram socket stands in for systemd."""

import os
import signal
import socket
import tempfile
import unittest

import harness


class NotifyTest(unittest.TestCase):
    def setUp(self):
        self.zones = harness.ZoneDir()
        self.addCleanup(self.zones.cleanup)
        directory = tempfile.mkdtemp(prefix="shun-notify-")
        os.chmod(directory, 0o777)  # shund drops to an unprivileged user before it notifies
        self.path = os.path.join(directory, "notify")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)
        os.chmod(self.path, 0o666)
        self.socket.settimeout(5)
        self.addCleanup(self.socket.close)
        self.addCleanup(os.rmdir, directory)
        self.addCleanup(os.unlink, self.path)

    def next_state(self):
        return self.socket.recv(4096).decode()

    def test_ready_after_the_first_load_reloading_around_sighup_and_stopping(self):
        os.environ["NOTIFY_SOCKET"] = self.path
        try:
            server = harness.start_shund(harness.standard_specs(self.zones))
        finally:
            del os.environ["NOTIFY_SOCKET"]
        self.addCleanup(server.stop)
        self.assertIn("READY=1", self.next_state())
        server.process.signal(signal.SIGHUP)
        self.assertIn("RELOADING=1", self.next_state())
        self.assertIn("READY=1", self.next_state())
        server.process.signal(signal.SIGTERM)
        self.assertIn("STOPPING=1", self.next_state())


if __name__ == "__main__":
    unittest.main()
