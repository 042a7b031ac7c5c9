"""A TLS-terminating TCP proxy for the Kafka tests (Python standard library only).

tansu 0.6.0 cannot serve TLS itself (its `--cert` and `--key` options exclude each other), so
the TLS test puts this in front of it: clients speak TLS to LISTEN_PORT, the broker sees
plain TCP on UPSTREAM_PORT and advertises LISTEN_PORT.

usage: python3 tls_proxy.py LISTEN_PORT UPSTREAM_PORT CERT_PEM KEY_PEM
"""

import asyncio
import ssl
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def main(listen, upstream, cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handle(client_reader, client_writer):
        try:
            broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", upstream)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pipe(client_reader, broker_writer),
            pipe(broker_reader, client_writer),
            return_exceptions=True,
        )

    server = await asyncio.start_server(handle, "127.0.0.1", listen, ssl=context)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    listen_port, upstream_port, cert_pem, key_pem = sys.argv[1:5]
    asyncio.run(main(int(listen_port), int(upstream_port), cert_pem, key_pem))
