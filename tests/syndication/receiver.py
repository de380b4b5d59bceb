"""A real local HTTP receiver for webhook and front-cache purge tests: records what it gets,
answers with the statuses it is told to (one per request, the last one repeated)."""

import http.server
import threading
import time


class Receiver:
    def __init__(self, statuses=(204,)):
        self.statuses = list(statuses)
        self.requests = []  # (headers dict, body bytes, monotonic time received)
        self.calls = []  # (method, path, Host header) of every request
        self.received = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.calls.append((self.command, self.path, self.headers["Host"]))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {key.lower(): value for key, value in self.headers.items()}
                receiver.requests.append((headers, body, time.monotonic()))
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.received.set()

            do_PURGE = do_POST  # what Wagtail's HTTP purge backend sends (Varnish, nginx)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
