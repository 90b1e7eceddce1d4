"""A small HTTP/1.1 server for InterlinkHTTPTests: bound to 127.0.0.1 on a free port, printed as `PORT n`.

Endpoints: PUT/POST /upload (reads the body, answers its length, SHA-256 and headers), GET|HEAD /download?size=N
(N bytes of a pattern), PUT /early (413 before reading the body), GET /slow?ms=N, ANY /echo (request headers),
GET /connections (accepted connections so far), GET /waiting (GET /slow requests now being delayed). With `--tls CERT KEY` it speaks HTTPS.
"""

import gzip
import json
import socket
import socketserver
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

ACCEPTED = 0
WAITING = 0
LOCK = threading.Lock()


def pattern(offset, count):
    return bytes((offset + i) % 251 for i in range(count))


BLOCK = pattern(0, 251 * 1024)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        global ACCEPTED
        with LOCK:
            ACCEPTED += 1
        super().setup()

    def reply(self, status, body=b"", headers=(), close=False):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def linger(self):
        # A lingering close, as S3 and nginx do after an early answer: send FIN, then read and drop what the client
        # is still sending until it stops (or 10 s). Closing with its bytes unread would make the kernel answer
        # with a reset, which may discard the response before the client reads it (a race, not a client bug).
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(10)
            while self.connection.recv(1 << 20):
                pass
        except OSError:
            pass

    def headers_json(self):
        return {name.lower(): value for name, value in self.headers.items()}

    def upload(self):
        length = int(self.headers.get("Content-Length", "0"))
        remaining = length
        intact = True
        while remaining > 0:
            # Blocks of len(BLOCK) bytes start at multiples of 251, so each equals a prefix of BLOCK.
            chunk = self.rfile.read(min(remaining, len(BLOCK)))
            if not chunk:
                break
            intact = intact and chunk == BLOCK[: len(chunk)]
            remaining -= len(chunk)
        body = json.dumps({"length": length - remaining, "pattern": intact, "headers": self.headers_json()})
        self.reply(200, body.encode())

    def download(self, query):
        size = int(query.get("size", ["0"])[0])
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        while sent < size:
            # BLOCK is a multiple of 251 bytes, so the pattern continues across blocks.
            count = min(len(BLOCK), size - sent)
            self.wfile.write(BLOCK[:count])
            sent += count

    def route(self):
        global WAITING
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/upload":
            self.upload()
        elif url.path == "/download":
            self.download(query)
        elif url.path == "/early":
            self.reply(413, b"too large", close=True)
            self.linger()
        elif url.path == "/slow":
            with LOCK:
                WAITING += 1
            time.sleep(int(query.get("ms", ["1000"])[0]) / 1000)
            with LOCK:
                WAITING -= 1
            self.reply(200, b"late")
        elif url.path == "/waiting":
            with LOCK:
                count = WAITING
            self.reply(200, str(count).encode())
        elif url.path == "/echo" or url.path == "/echo/":
            length = int(self.headers.get("Content-Length", "0"))
            if length:
                self.rfile.read(length)
            self.reply(200, json.dumps({"method": self.command, "headers": self.headers_json()}).encode())
        elif url.path == "/redirect":
            hops = int(query.get("hops", ["1"])[0])
            target = "/redirect?hops=%d" % (hops - 1) if hops > 1 else "/echo"
            self.reply(302, b"moved", headers=[("Location", target)])
        elif url.path == "/loop":
            self.reply(302, b"again", headers=[("Location", "/loop")])
        elif url.path == "/gzip":
            text = json.dumps({"accept-encoding": self.headers.get("Accept-Encoding", "")}).encode() * 100
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                self.reply(200, gzip.compress(text), headers=[("Content-Encoding", "gzip")])
            else:
                self.reply(200, text)
        elif url.path == "/connections":
            with LOCK:
                count = ACCEPTED
            self.reply(200, str(count).encode())
        else:
            self.reply(404, b"no such path")

    def do_CONNECT(self):
        # A proxy that wants credentials it never accepts.
        self.reply(407, b"", headers=[("Proxy-Authenticate", 'Basic realm="test"')], close=True)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = route


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT", server.server_address[1], flush=True)
    # Exit when the test closes standard input.
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
