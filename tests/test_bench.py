"""The benchmark's in-process driver and instruction counter (bench/inprocess.py, instructions.py).

The full benchmark asserts nothing about timing and stays out of the suite; these check that
its deterministic half measures what it claims: the cost of one request, the same every time.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from instructions import instructions_per_request

from harness import TcpProxy

BENCH = Path(__file__).resolve().parent.parent / "bench"

# A WSGI app that spins WORK times per request, and answers 404 off its one path.
SPINNING_APP = """
import os

WORK = int(os.environ["WORK"])


def application(environ, start_response):
    if environ["PATH_INFO"] != "/spin":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no such page"]
    total = 0
    for n in range(WORK):
        total += n
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(total).encode()]
"""


def drive(*arguments: str) -> list[str]:
    return [sys.executable, str(BENCH / "inprocess.py"), *arguments]


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "spinning.py").write_text(SPINNING_APP)
    return tmp_path


@pytest.mark.parametrize(
    ("interface", "app"), [("wsgi", "wsgi_app:application"), ("asgi", "asgi_app:app")]
)
def test_the_driver_serves_wsgi_and_asgi_apps(interface: str, app: str) -> None:
    result = subprocess.run(
        drive(interface, app, "/health/live", "--requests", "5"),
        env={"PYTHONPATH": str(BENCH / "bare")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_driver_stops_on_an_answer_other_than_200(app_dir: Path) -> None:
    result = subprocess.run(
        drive("wsgi", "spinning:application", "/nope", "--requests", "1"),
        cwd=app_dir,
        env={"WORK": "0", "PYTHONPATH": str(app_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "GET /nope: 404 Not Found: b'no such page'" in result.stderr


def count(app_dir: Path, work: int) -> float:
    arguments = drive("wsgi", "spinning:application", "/spin")[1:]
    env = {"WORK": str(work), "PYTHONPATH": str(app_dir)}
    return instructions_per_request(Path(sys.executable), arguments, app_dir, env, 40)


def test_instruction_counts_are_per_request_and_repeatable(app_dir: Path) -> None:
    idle = count(app_dir, 0)
    assert 0 < idle < 200_000  # a bare WSGI call: building the environ, calling, joining
    assert count(app_dir, 0) == pytest.approx(idle, rel=0.01)
    # Two thousand more loop turns per request show up in the count of one request.
    busy = count(app_dir, 2000)
    assert busy - idle > 2000 * 10


@pytest.fixture
def line_server() -> Iterator[tuple[str, int]]:
    """A TCP server that answers each newline-terminated line with `ok\\n`."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer(connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as lines:
            for _ in lines:
                connection.sendall(b"ok\n")

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=answer, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()
    listener.close()


def test_the_proxy_counts_a_clients_round_trips(line_server: tuple[str, int]) -> None:
    proxy = TcpProxy(*line_server)
    proxy.start()
    try:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as client:
            answers = client.makefile("rb")
            for question in (b"one\n", b"two\n", b"three\n"):
                client.sendall(question)
                assert answers.readline() == b"ok\n"
            assert proxy.turns == 3
            # A question sent in pieces is one round trip: the server has not spoken between them.
            for piece in (b"fo", b"u", b"r\n"):
                client.sendall(piece)
                time.sleep(0.05)
            assert answers.readline() == b"ok\n"
            assert proxy.turns == 4
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as client:
            client.sendall(b"five\n")  # a new connection: the client speaks first
            assert client.makefile("rb").readline() == b"ok\n"
            assert proxy.turns == 5
    finally:
        proxy.stop()


def test_the_proxy_keeps_a_silent_connection_open(line_server: tuple[str, int]) -> None:
    """Idle AMQP and pooled database connections stay silent for long spells: the proxy's
    connect timeout must not turn into a read timeout that cuts them."""
    proxy = TcpProxy(*line_server, connect_timeout=0.3)
    proxy.start()
    try:
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as client:
            client.sendall(b"hello\n")
            answers = client.makefile("rb")
            assert answers.readline() == b"ok\n"
            time.sleep(1)  # more than three connect timeouts of silence
            client.sendall(b"still there?\n")
            assert answers.readline() == b"ok\n"
    finally:
        proxy.stop()


def test_schemathesis_skips_only_addresses_sign_up_refuses_as_reserved() -> None:
    """The fuzzing hook drops a body whose email is on a reserved name (sign-up refuses those,
    which `format: email` cannot say) and nothing else."""
    from email_validator import EmailNotValidError, validate_email

    from schemathesis_hooks import RESERVED_NAMES, filter_body

    assert {"test", "local", "localhost", "invalid"} <= RESERVED_NAMES
    for name in RESERVED_NAMES:
        address = f"ada@mail.{name}"
        with pytest.raises(EmailNotValidError, match="special-use or reserved"):
            validate_email(address, check_deliverability=False)
        assert not filter_body(None, {"email": address, "password": "p" * 12})
        assert not filter_body(None, {"email": f"ada@MAIL.{name.upper()}."})
    kept: list[object] = [{"email": "ada@example.com"}, {"email": "not an email"}, {"email": 5}, []]
    for body in kept:
        assert filter_body(None, body)
