"""An SMTP server that requires STARTTLS, for tst_smtp_tls: aiosmtpd (Debian
python3-aiosmtpd) with the certificate and key the test made with openssl.
AUTH is offered only after STARTTLS and accepts ann / s3cret. Prints
"listening PORT" once it serves, then one JSON line per event ("auth",
"message"); ends when stdin closes.

    /usr/bin/python3 smtp_tls_sink.py CERT.pem KEY.pem"""
import asyncio
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def say(event):
    print(json.dumps(event), flush=True)


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        say({"event": "message", "tls": session.ssl is not None, "mail_from": envelope.mail_from,
             "rcpt_tos": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")})
        return "250 queued"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"ann" and auth_data.password == b"s3cret"
    say({"event": "auth", "mechanism": mechanism, "tls": session.ssl is not None, "ok": ok})
    return AuthResult(success=ok)


async def serve(context):
    loop = asyncio.get_running_loop()
    # An asyncio server of our own on port 0 (aiosmtpd's Controller connects to its port to check it is up).
    server = await loop.create_server(
        lambda: SMTP(Recorder(), hostname="sink.test", tls_context=context, require_starttls=True,
                     authenticator=authenticate, auth_require_tls=True),
        "127.0.0.1", 0)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    stdin_closed = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.buffer.read1(4096) or stdin_closed.set())
    await stdin_closed.wait()
    server.close()


def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    asyncio.run(serve(context))


if __name__ == "__main__":
    main()
