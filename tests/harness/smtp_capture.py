#!/usr/bin/python3
"""An SMTP server for tests: accepts every message and writes it into a folder.

    smtp_capture.py FOLDER

Listens on 127.0.0.1 on a port the OS picks and prints "PORT <n>" on stdout once ready. For
each message N it writes N.eml (the bytes received) and then N.json: the envelope and what
Python's own e-mail parser makes of the message (decoded subject, addresses, body, headers),
so tests check our MIME output against an independent parser. N.json appears last (rename),
so a test that sees it can read both. Runs until SIGTERM/SIGINT. Needs Debian's
python3-aiosmtpd; run it with /usr/bin/python3.
"""
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Capture:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "headers": [[k, str(v)] for k, v in msg.items()],
            "subject": str(msg["subject"]),
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset(),
            "transfer_encoding": msg.get("Content-Transfer-Encoding", ""),
            "body": msg.get_content(),
            "defects": [type(d).__name__ for d in msg.defects],
        }
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(info, f, ensure_ascii=False)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


async def main(folder):
    loop = asyncio.get_running_loop()
    handler = Capture(folder)
    server = await loop.create_server(
        lambda: SMTP(handler, decode_data=False, hostname="capture.test"), "127.0.0.1", 0)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: smtp_capture.py FOLDER")
    asyncio.run(main(sys.argv[1]))
