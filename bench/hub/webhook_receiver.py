#!/usr/bin/env python3
"""A webhook receiver for the hub's alarm notifications (docs/hub.md, "Alarm notifications"), for benchmarks.

Records every POST it accepts: its `Idempotency-Key`, the time it arrived (time.time()), whether the
`X-Earshot-Signature` header is the HMAC-SHA256 of `<X-Earshot-Timestamp>.<body>` under the secret, and the
transition id and action from the JSON body. It answers 200 to every request it records (bad signatures
included: they are counted, not refused, so a signing fault shows as a figure, not as endless retries).

`Receiver.stop()` closes the listening socket and every open connection (the hub's connections are
refused, as when a receiver is down); `Receiver.start()` listens on the same port again.

As a program: `webhook_receiver.py PORT SECRET LOG` serves until SIGTERM and appends one line per delivery
to LOG: `<arrival unix s> <idempotency key> <signature ok 0/1> <transition id> <action>`.
"""
import hashlib
import hmac
import json
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, port, secret, log=None):
        self.port = port
        self.secret = secret.encode()
        self.log = log
        self.lock = threading.Lock()
        self.deliveries = []  # (arrival s, key, signature ok, transition id, action)
        self.server = None
        self.thread = None
        self.connections = set()  # open connections, closed by stop() so a kept-alive one cannot outlive it

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with receiver.lock:
                    receiver.connections.add(self.connection)

            def finish(self):
                with receiver.lock:
                    receiver.connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def do_POST(self):
                arrival = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                timestamp = self.headers.get("X-Earshot-Timestamp", "")
                expected = "sha256=" + hmac.new(receiver.secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                signed = hmac.compare_digest(expected, self.headers.get("X-Earshot-Signature", ""))
                try:
                    transition = json.loads(body)["transition"]
                    transition_id, action = int(transition["id"]), transition["action"]
                except (ValueError, KeyError, TypeError):
                    transition_id, action = -1, "unreadable"
                record = (arrival, self.headers.get("Idempotency-Key", ""), signed, transition_id, action)
                with receiver.lock:
                    receiver.deliveries.append(record)
                    if receiver.log:
                        receiver.log.write(f"{arrival:.6f} {record[1]} {int(signed)} {transition_id} {action}\n")
                        receiver.log.flush()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return time.time()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self.connections.clear()
        self.thread.join()
        return time.time()

    def snapshot(self):
        with self.lock:
            return list(self.deliveries)


if __name__ == "__main__":
    port, secret, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    receiver = Receiver(port, secret, open(path, "a"))
    receiver.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    receiver.stop()
