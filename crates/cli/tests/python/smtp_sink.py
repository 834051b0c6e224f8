"""A real SMTP server on loopback (aiosmtpd) that delivers every message into a Maildir.

Usage: smtp_sink.py MAILDIR. Prints the port it listens on, then serves until killed.
"""
import asyncio
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


async def main():
    handler = Mailbox(sys.argv[1])
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


asyncio.run(main())
