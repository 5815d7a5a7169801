"""The lookup page as a reader sees it (issue 18): headless Chromium renders it in English and Japanese at
375 px and 1280 px; the rendered DOM must carry each state's words; HTML Tidy validates the markup.

Chromium runs as root here (CI containers), where its sandbox cannot start: --no-sandbox is needed for
that, and harmless for a browser that only opens this test's own loopback server. The screenshots are
artifacts, kept in <build dir>/screenshots/ (page-<lang>-<width>.png)."""

import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.request

import harness

BL = """#@selfremoval allowed=yes max=2 per=30d
#@contact abuse@bl.example
#@code 127.0.0.2 Spam trap hits meaning.ja="スパムトラップへの送信" help="Find the infected computer or stolen account that sends the mail, fix it, then remove the listing here." help.ja="メールを送っている感染したパソコンや盗まれたアカウントを見つけて直してから、ここで掲載を削除してください。"
:127.0.0.2:Listed, see http://127.0.0.1:8053/lookup/$
#@ added=2026-11-20T10:00:00Z expires=2036-11-27T10:00:00Z count=2 reason="trap hits" evidence="<b>3 trap hits</b>"
192.0.2.7
192.0.3.0/24
127.0.0.2
"""
DBL = """#@selfremoval allowed=yes
:127.0.1.2:Domain $ listed, see http://127.0.0.1:8053/lookup/$
*.spam.example
"""
# (path, language, words the rendered page must show)
STATES = [
    ("/lookup/192.0.2.7", "en", "192.0.2.7 is on the list bl.example."),
    ("/lookup/192.0.2.7", "ja", "192.0.2.7 はリスト bl.example に掲載されています。"),
    ("/lookup/192.0.3.9", "en", "as part of a larger address range"),
    ("/lookup/127.0.0.2", "ja", "テスト用の項目"),
    ("/lookup/198.51.100.1", "en", "198.51.100.1 is not on the list bl.example."),
    ("/lookup/spam.example", "en", "every name below it is, by the wildcard entry *.spam.example"),
]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


class PageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = shutil.which("chromium") or shutil.which("chromium-browser")
        cls.dir = harness.ZoneDir()
        os.chmod(cls.dir.path, 0o777)
        specs = ["bl.example:ip4set:" + cls.dir.write("bl.ip4set", BL),
                 "dbl.example:dnset:" + cls.dir.write("dbl.dnset", DBL)]
        cls.server = harness.start_shund(specs, ["-u", harness.UNPRIVILEGED, "--http", "127.0.0.1/0"])
        cls.port = harness.http_port(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.dir.cleanup()

    def url(self, path, lang=None):
        return "http://127.0.0.1:%d%s%s" % (self.port, path, "?lang=" + lang if lang else "")

    def fetch(self, path, lang=None, accept=None):
        request = urllib.request.Request(self.url(path, lang), headers={"Accept-Language": accept} if accept else {})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read().decode("utf-8")

    def test_screenshots_in_both_languages_at_phone_and_desktop_widths_show_the_state(self):
        if not self.browser:
            self.skipTest("chromium is not installed (scripts/install-deps installs it)")
        shots = os.path.join(harness.BUILD_DIR, "screenshots")
        os.makedirs(shots, exist_ok=True)
        words = {"en": "192.0.2.7 is on the list bl.example.", "ja": "192.0.2.7 はリスト bl.example に掲載されています。"}
        runs = {}
        with tempfile.TemporaryDirectory() as profiles:
            # The four browsers mostly wait while they start: run them side by side (a few seconds in all).
            for lang in words:
                for width in (375, 1280):
                    shot = os.path.join(shots, "page-%s-%d.png" % (lang, width))
                    if os.path.exists(shot):
                        os.unlink(shot)
                    profile = os.path.join(profiles, "%s-%d" % (lang, width))
                    height = 2000 if width < 600 else 1100  # the whole page, footer and contact included
                    argv = [self.browser, *CHROMIUM_FLAGS, "--user-data-dir=" + profile,
                            "--window-size=%d,%d" % (width, height), "--screenshot=" + shot, "--dump-dom",
                            self.url("/lookup/192.0.2.7", lang)]
                    runs[(lang, width, shot)] = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for (lang, width, shot), process in runs.items():
                dom = process.communicate(timeout=60)[0].decode("utf-8", "replace")
                with self.subTest(lang=lang, width=width):
                    self.assertIn(words[lang], dom)
                    self.assertIn('<html lang="%s">' % lang, dom)
                    with open(shot, "rb") as image:
                        self.assertEqual(image.read(8), b"\x89PNG\r\n\x1a\n")
                    self.assertGreater(os.path.getsize(shot), 5000)

    def test_each_state_has_its_words_and_accept_language_picks_japanese(self):
        for path, lang, words in STATES:
            with self.subTest(path=path, lang=lang):
                self.assertIn(words, self.fetch(path, lang))
        self.assertIn('<html lang="ja">', self.fetch("/lookup/192.0.2.7", accept="ja-JP,ja;q=0.9,en;q=0.8"))
        self.assertIn('<html lang="en">', self.fetch("/lookup/192.0.2.7", accept="fr-FR"))
        self.assertIn('<html lang="en">', self.fetch("/lookup/192.0.2.7", "xx", accept="ja"))
        page = self.fetch("/lookup/192.0.3.9")
        self.assertNotIn('action="/remove"', page)  # a range member: nothing offered that would be refused
        self.assertNotIn('action="/remove"', self.fetch("/lookup/127.0.0.2"))
        self.assertIn("&lt;b&gt;3 trap hits&lt;/b&gt;", self.fetch("/lookup/192.0.2.7"))
        self.assertIn('href="mailto:abuse@bl.example"', self.fetch("/", "ja"))

    def test_html_is_valid_and_small(self):
        tidy = shutil.which("tidy")
        if not tidy:
            self.skipTest("tidy is not installed (scripts/install-deps installs it)")
        for path, lang, _ in STATES + [("/", "ja", ""), ("/", "en", "")]:
            with self.subTest(path=path, lang=lang):
                page = self.fetch(path, lang)
                self.assertLess(len(page.encode("utf-8")), 20 * 1024)
                # tidy exits 0 without warnings, 1 with warnings, 2 with errors.
                check = subprocess.run([tidy, "-q", "-e", "--show-warnings", "yes", "-utf8"],
                                       input=page.encode("utf-8"), capture_output=True, timeout=10)
                self.assertEqual(check.returncode, 0, check.stderr.decode("utf-8", "replace"))


if __name__ == "__main__":
    unittest.main()
