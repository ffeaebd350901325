"""A database connection that can be cut: for tests of outages and of round trips.

`behind_a_proxy` puts the test database behind a local TCP proxy; stopping the proxy cuts
every connection at once, as a database restart or a network failure does.
"""

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never says a word, as a hung database does."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as listener:
        yield listener.getsockname()[1]


class TcpProxy:
    """Forwards a local port to the database; `stop()` cuts every connection and the port.

    `sent` records the round trips through it: each entry is what the app sent before it
    waited for the database's answer (read it with one connection open at a time).
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = closed_port()
        self.sent: list[bytes] = []
        self._app_spoke_last = False
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        # Restarting rebinds the same port, which a listener closed a moment ago may still hold
        # until its accept() times out.
        deadline = time.monotonic() + 2
        while True:
            try:
                listener = socket.create_server(("127.0.0.1", self.port))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        listener.settimeout(0.1)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target, timeout=5)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink, from_app in ((client, upstream, True), (upstream, client, False)):
                pipe = threading.Thread(target=self._pipe, args=(source, sink, from_app))
                pipe.daemon = True
                pipe.start()

    def _pipe(self, source: socket.socket, sink: socket.socket, from_app: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self._record(data, from_app)  # before passing it on: no answer can come first
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _record(self, data: bytes, from_app: bool) -> None:
        """The app speaking after the database answered starts a round trip."""
        with self._lock:
            if from_app and self._app_spoke_last:
                self.sent[-1] += data  # one message can arrive in several pieces
            elif from_app:
                self.sent.append(data)
            self._app_spoke_last = from_app

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}


@contextlib.contextmanager
def behind_a_proxy(database_url: str) -> Iterator[tuple[TcpProxy, str]]:
    """The test database behind a proxy that can be cut: the proxy and the URL through it."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        pytest.skip("needs a database server: set DATABASE_URL")
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or DEFAULT_PORTS[url.get_backend_name()])
    proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port)
    try:
        yield proxy, proxied.render_as_string(hide_password=False)
    finally:
        proxy.stop()
