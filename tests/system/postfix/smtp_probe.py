#!/usr/bin/python3
"""One SMTP transaction from a chosen source address; prints {"rcpt": [code, text], "data": ...} as JSON.

Run inside the test's network namespace: smtp_probe.py SOURCE PORT.
"""

import json
import smtplib
import sys


def probe(source, port):
    result = {"rcpt": None, "data": None}
    with smtplib.SMTP("127.0.0.1", port, timeout=20, source_address=(source, 0)) as smtp:
        smtp.ehlo("client.shun.test")
        smtp.mail("sender@shun.test")
        code, text = smtp.rcpt("postmaster@example.test")
        result["rcpt"] = [code, text.decode("utf-8", "replace")]
        if code == 250:
            code, text = smtp.data(b"Subject: shun test\r\n\r\nhello\r\n")
            result["data"] = [code, text.decode("utf-8", "replace")]
    return result


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1], int(sys.argv[2]))))
