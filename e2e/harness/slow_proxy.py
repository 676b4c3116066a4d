"""A TCP proxy that delays every chunk it forwards, in both directions: a slow API server.

Usage: slow_proxy.py UPSTREAM_HOST:PORT DELAY_MS PORT_FILE
Listens on a free loopback port, writes it to PORT_FILE, and forwards each connection to
UPSTREAM after sleeping DELAY_MS before passing on each chunk. TLS passes through untouched.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    try:
        while data := await reader.read(65536):
            await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main():
    host, port = sys.argv[1].rsplit(":", 1)
    delay = int(sys.argv[2]) / 1000.0

    async def handle(client_reader, client_writer):
        try:
            up_reader, up_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, up_writer, delay),
                             pipe(up_reader, client_writer, delay))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    with open(sys.argv[3] + ".tmp", "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    import os
    os.rename(sys.argv[3] + ".tmp", sys.argv[3])
    async with server:
        await server.serve_forever()


asyncio.run(main())
