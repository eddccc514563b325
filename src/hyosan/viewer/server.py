"""A small read-only local server for the viewer (stdlib ``http.server``).

It serves an allow-list and nothing else: the page's assets and the converted files of one run
directory (see ``export.build_site``). URLs are never mapped onto the file system, so no spelling
of a path (``..``, ``%2e%2e%2f``, double encoding, backslashes, NUL, absolute paths) can reach
another file; such requests are refused with 400 before the lookup, unknown paths get 404, and
methods other than GET and HEAD get 405. A file of the run is served only if its real path
(links followed) stays inside the run directory (403 otherwise). Errors never carry a traceback.
"""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hyosan.errors import HyosanError
from hyosan.viewer.export import Content, build_site, inside

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".bin": "application/octet-stream",
    ".gz": "application/octet-stream",  # decompressed by the page, not by the browser
}
#: the page loads only its own files; this header makes any other request fail loudly
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'")
#: characters and sequences no URL of ours contains; refusing them up front keeps it simple
FORBIDDEN = ("..", "%", "\\", "\x00", "//")
CHUNK = 1 << 16


def url_key(raw_path: str) -> str | None:
    """The allow-list key of a request target, or None if the target is malformed/suspicious."""
    if not raw_path.startswith("/"):
        return None  # absolute-form or asterisk targets
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    if any(bad in path for bad in FORBIDDEN) or any(ord(ch) < 0x20 for ch in path):
        return None
    key = path.lstrip("/")
    return key or "index.html"


class ViewerHandler(BaseHTTPRequestHandler):
    """GET/HEAD on the allow-list held by the server; everything else is refused."""

    server: ViewerServer
    server_version = "hyosan-viewer"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    #: answer even malformed (HTTP/0.9-looking) requests with a status line
    default_request_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def __getattr__(self, name: str):
        # http.server answers 501 to any method without a do_X; a read-only server says 405.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only: GET and HEAD only",
                    extra={"Allow": "GET, HEAD"})

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's parse errors (400, 414, 431, ...) as short plain text, then close."""
        status = HTTPStatus(code)
        if status == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:  # a client's mistake: say 400
            status, message = HTTPStatus.BAD_REQUEST, "unsupported HTTP version"
        self.close_connection = True
        self._error(status, message or status.phrase, extra={"Connection": "close"})

    def _error(self, status: HTTPStatus, message: str, extra: dict | None = None) -> None:
        body = f"{int(status)} {status.phrase}: {message}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, body: bool) -> None:
        try:
            key = url_key(self.path)
            if key is None:
                self._error(HTTPStatus.BAD_REQUEST, "malformed or disallowed path")
                return
            content = self.server.site.get(key)
            if content is None:
                self._error(HTTPStatus.NOT_FOUND, "no such file in this viewer")
                return
            if isinstance(content, Path) and not self.server.inside(content):
                self._error(HTTPStatus.FORBIDDEN, "this file lies outside the run directory")
                return
            self._send(key, content, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away mid-transfer; nothing to tell it
        except Exception as exc:  # a server must answer, never crash nor leak a traceback
            self.server.note(f"internal error on {self.path!r}: {type(exc).__name__}")
            try:
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "could not read this file")
            except OSError:
                pass

    def _send(self, key: str, content: Content, body: bool) -> None:
        size = content.stat().st_size if isinstance(content, Path) else len(content)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPES.get(Path(key).suffix,
                                                           "application/octet-stream"))
        self.send_header("Content-Length", str(size))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if not body:
            return
        if isinstance(content, Path):
            with content.open("rb") as fh:
                while block := fh.read(CHUNK):
                    self.wfile.write(block)
        else:
            self.wfile.write(content)

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class ViewerServer(ThreadingHTTPServer):
    """Serves one run's viewer site; ``url`` is where to point a browser."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, run_dir: str | Path, host: str = "127.0.0.1", port: int = 0,
                 *, verbose: bool = False):
        self.site = build_site(run_dir)  # raises RunDirError before binding anything
        self.root = Path(run_dir).resolve()
        self.verbose = verbose
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), ViewerHandler)
        except OSError as exc:
            raise HyosanError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def inside(self, path: Path) -> bool:
        """True if ``path`` (links followed) stays inside the run directory."""
        return inside(self.root, path)

    def note(self, message: str) -> None:
        if self.verbose:
            sys.stderr.write(message + "\n")

    def handle_error(self, request, client_address) -> None:
        # The default prints a traceback to stderr; one line is enough for a local viewer.
        self.note(f"connection error from {client_address[0]}: {sys.exc_info()[0].__name__}")

    def start_background(self) -> threading.Thread:
        """Serve from a daemon thread (tests, notebooks); ``shutdown()`` stops it."""
        thread = threading.Thread(target=self.serve_forever, name="hyosan-viewer", daemon=True)
        thread.start()
        return thread


def serve(run_dir: str | Path, host: str = "127.0.0.1", port: int = 0, *,
          open_browser: bool = True) -> None:
    """Serve the viewer for ``run_dir`` until interrupted, opening a browser tab on it."""
    server = ViewerServer(run_dir, host, port, verbose=True)
    print(f"hyosan viewer for {run_dir} at {server.url}  (Ctrl-C to stop)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.server_close()
