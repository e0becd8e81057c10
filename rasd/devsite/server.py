"""A real HTTP server on 127.0.0.1 serving a fixture site, so crawls run with no network.

It serves a folder, replacing the placeholder base URL of the fixture files with its own
address, so feeds and sitemaps point back at it. Tests and benchmarks can override single paths
(a feed that answers 500, a malformed document) and read which paths were requested; `make site`
serves `seeds/site/` with it for a crawl by hand.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER = b"http://outlet.rasd.test"
CONTENT_TYPES = {
    ".html": "text/html",   # no charset on purpose: pages declare it, or do not
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class Reply:
    """A canned answer for one path. `stream`, when set, makes the body instead of `body`: its
    chunks are written as they come (a slow drip, a hang, gigabytes that are never held), with
    no Content-Length unless `headers` gives one (a truncated body declares more)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[], Iterable[bytes]] | None = None


class FixtureServer:
    """Serve `root` on a loopback port (0: a free one) until `close()`; a context manager."""

    def __init__(self, root: Path, port: int = 0):
        self.root = Path(root)
        # a path's canned reply; a list is answered in order, its last reply for ever after
        self.overrides: dict[str, Reply | list[Reply]] = {}
        self.requests: Counter[str] = Counter()
        self.user_agents: list[str] = []
        # A User-Agent matching this regex gets 403, like outlets that refuse browsers.
        self.refuse_agents: re.Pattern[str] | None = None
        # conditional GET: when on, files carry an ETag and a matching If-None-Match gets 304
        self.etags = False
        self.not_modified: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FixtureServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def article_requests(self) -> int:
        """How many article pages (under /news/) were downloaded so far."""
        with self._lock:
            return sum(n for path, n in self.requests.items() if path.startswith("/news/"))

    def _record(self, path: str, user_agent: str) -> None:
        with self._lock:
            self.requests[path] += 1
            self.user_agents.append(user_agent)

    def _resolve(self, path: str) -> Reply:
        if path in self.overrides:
            reply = self.overrides[path]
            if isinstance(reply, list):
                with self._lock:
                    return reply.pop(0) if len(reply) > 1 else reply[0]
            return reply
        target = (self.root / path.lstrip("/")).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if not target.is_relative_to(self.root.resolve()) or not target.is_file():
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        body = target.read_bytes().replace(PLACEHOLDER, self.base_url.encode())
        content_type = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        return Reply(200, body, {"Content-Type": content_type})

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                agent = self.headers.get("User-Agent", "")
                server._record(path, agent)
                if server.refuse_agents and server.refuse_agents.search(agent):
                    reply = Reply(403, b"forbidden", {"Content-Type": "text/plain"})
                else:
                    reply = server._resolve(path)
                if server.etags and reply.status == 200:
                    etag = f'"{hashlib.sha1(reply.body).hexdigest()}"'
                    if self.headers.get("If-None-Match") == etag:
                        with server._lock:
                            server.not_modified[path] += 1
                        reply = Reply(304, b"", {"ETag": etag})
                    else:
                        reply = Reply(reply.status, reply.body, {**reply.headers, "ETag": etag})
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.stream is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.end_headers()
                self.close_connection = True
                try:
                    for chunk in reply.stream():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except OSError:   # the client gave up: what a hostile server wants to see
                    pass

            def log_message(self, *args) -> None:  # keep test and terminal output clean
                pass

        return Handler
