"""Users and tokens, walked over HTTP against a served starter with `auth: users`.

Every starter answers the same requests alike: sign-up, the OAuth2 password form for a token,
`/api/auth/me`, and item writes only for a token's user who owns the item. The walk tries the
attacks a token scheme must survive (an unsigned token, another key, a changed payload, an
expired token, another algorithm with the right key), compares a wrong password with an unknown
email, sets off the sign-in throttle, and looks in the database and the server's log for the
passwords it used.
"""

from __future__ import annotations

import base64
import json
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import jwt

from harness import fetch_rows

NOT_AUTHENTICATED = {"detail": "Not authenticated"}
INVALID_TOKEN = {"detail": "Invalid or expired token"}
BAD_CREDENTIALS = {"detail": "Incorrect email or password"}
NOT_THE_OWNER = {"detail": "Only the item's owner may change it"}
THROTTLED = {"detail": "Too many failed sign-ins; try again later"}
LOGIN_MAX_FAILURES = 5  # the default every starter ships


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    password: str
    token: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class AuthFigures:
    wrong_password_ms: float  # the median time of a wrong password's 401
    unknown_email_ms: float  # the median time of an unknown email's 401
    forged_tokens: int  # forged or broken tokens refused with 401
    throttled_after: int  # failed sign-ins before the 429


def new_password() -> str:
    return "pw-" + secrets.token_urlsafe(18)


def register(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/api/auth/register", json={"email": email, "password": password})


def request_token(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/api/auth/token", data={"username": email, "password": password})


def sign_up(client: httpx.Client, email: str) -> Account:
    """A new account and its token; checks the answers on the way."""
    password = new_password()
    created = register(client, email, password)
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"id", "email"}, body
    assert body["email"] == email.strip().lower(), body
    answer = request_token(client, email, password)
    assert answer.status_code == 200, answer.text
    return Account(body["id"], body["email"], password, answer.json()["access_token"])


def check_auth_walk(
    client: httpx.Client,
    signing_key: str,
    database_url: str,
    server_log: Callable[[], str],
    make_superuser: Callable[[str, str], None],
) -> tuple[Account, AuthFigures]:
    """Walk the surface; returns an account whose token the rest of the walk writes with.

    `client` carries no token; `signing_key` is the served app's secret key; `make_superuser`
    runs `make superuser` non-interactively for an email and a password.
    """
    tag = secrets.token_hex(3)
    alice = sign_up(client, f"  Alice.{tag}@Example.COM ")
    bob = sign_up(client, f"bob.{tag}@example.com")
    _check_registration_errors(client, alice)
    _check_token(client, alice, signing_key)
    forged = _check_forged_tokens(client, alice, signing_key)
    wrong_ms, unknown_ms = _check_no_enumeration(client, alice, tag)
    throttled_after = _check_throttle(client, tag)
    _check_ownership(client, alice, bob)
    _check_superuser(client, alice, make_superuser, tag)
    _check_passwords_stay_secret(database_url, server_log, [alice, bob])
    figures = AuthFigures(
        wrong_password_ms=round(wrong_ms, 1),
        unknown_email_ms=round(unknown_ms, 1),
        forged_tokens=forged,
        throttled_after=throttled_after,
    )
    return alice, figures


def _check_registration_errors(client: httpx.Client, alice: Account) -> None:
    again = register(client, alice.email.upper(), new_password())
    assert again.status_code == 409, again.text
    assert again.json() == {"detail": "This email is already registered"}
    for email, password in [
        ("not-an-email", new_password()),
        (f"short.{secrets.token_hex(3)}@example.com", "elevenchars"),
        (f"long.{secrets.token_hex(3)}@example.com", "x" * 1025),
    ]:
        refused = register(client, email, password)
        assert refused.status_code == 422, (email, refused.text)


def _check_token(client: httpx.Client, alice: Account, signing_key: str) -> None:
    answer = request_token(client, alice.email, alice.password)
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}, body
    assert body["token_type"] == "bearer" and isinstance(body["expires_in"], int), body
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"
    claims = jwt.decode(body["access_token"], signing_key, algorithms=["HS256"])
    assert claims["sub"] == str(alice.id), claims
    assert claims["exp"] - claims["iat"] == body["expires_in"], claims
    me = client.get("/api/auth/me", headers=alice.bearer)
    assert me.status_code == 200, me.text
    assert me.json() == {"id": alice.id, "email": alice.email}

    anonymous = client.get("/api/auth/me")
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json() == NOT_AUTHENTICATED
    assert anonymous.headers["www-authenticate"].startswith("Bearer"), anonymous.headers


def _forged_tokens(alice: Account, signing_key: str, other_id: int) -> dict[str, str]:
    now = datetime.now(UTC)
    claims = {"sub": str(alice.id), "iat": now, "exp": now + timedelta(minutes=5)}
    header, payload, signature = alice.token.split(".")
    other = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other["sub"] = str(other_id)
    changed = base64.urlsafe_b64encode(json.dumps(other).encode()).rstrip(b"=").decode()
    unsigned = jwt.encode(claims, None, algorithm="none")
    return {
        "unsigned (alg none)": unsigned,
        "another key": jwt.encode(claims, "k" * 48, algorithm="HS256"),
        "payload changed after signing": f"{header}.{changed}.{signature}",
        "expired": jwt.encode(
            {**claims, "iat": now - timedelta(hours=2), "exp": now - timedelta(hours=1)},
            signing_key,
            algorithm="HS256",
        ),
        "HS512 with the right key": jwt.encode(claims, signing_key, algorithm="HS512"),
        "no subject": jwt.encode(
            {"iat": now, "exp": now + timedelta(minutes=5)}, signing_key, algorithm="HS256"
        ),
        "a user who does not exist": jwt.encode(
            {**claims, "sub": "987654321"}, signing_key, algorithm="HS256"
        ),
        "garbage": "not.a.token",
        "huge": "a" * 8000,
    }


def _check_forged_tokens(client: httpx.Client, alice: Account, signing_key: str) -> int:
    forged = _forged_tokens(alice, signing_key, other_id=alice.id + 1)
    for label, token in forged.items():
        answer = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401, (label, answer.status_code, answer.text)
        assert answer.json() == INVALID_TOKEN, (label, answer.text)
        assert answer.headers["www-authenticate"].startswith("Bearer"), (label, answer.headers)
    return len(forged)


def _timed_refusal(client: httpx.Client, email: str, password: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    answer = request_token(client, email, password)
    return (time.perf_counter() - started) * 1000, answer


def _check_no_enumeration(client: httpx.Client, alice: Account, tag: str) -> tuple[float, float]:
    """A wrong password and an unknown email: the same answer, in about the same time."""
    wrong, unknown = [], []
    answers = []
    for attempt in range(LOGIN_MAX_FAILURES - 1):  # stays below the throttle
        elapsed, answer = _timed_refusal(client, alice.email, "wrong-" + new_password())
        wrong.append(elapsed)
        answers.append(answer)
        elapsed, answer = _timed_refusal(client, f"nobody.{tag}.{attempt}@example.com", "x" * 14)
        unknown.append(elapsed)
        answers.append(answer)
    for answer in answers:
        assert answer.status_code == 401, answer.text
        assert answer.json() == BAD_CREDENTIALS, answer.text
        assert answer.headers["www-authenticate"] == "Bearer", answer.headers
    wrong_ms, unknown_ms = statistics.median(wrong), statistics.median(unknown)
    # Both verify a password against an Argon2 hash: an unknown email is not much faster.
    assert unknown_ms > wrong_ms / 3, (wrong, unknown)
    # The right password still works (and clears the failures above).
    assert request_token(client, alice.email, alice.password).status_code == 200
    return wrong_ms, unknown_ms


def _check_throttle(client: httpx.Client, tag: str) -> int:
    carol = sign_up(client, f"carol.{tag}@example.com")
    for _ in range(LOGIN_MAX_FAILURES):
        refused = request_token(client, carol.email, "wrong-" + new_password())
        assert refused.status_code == 401, refused.text
    for password in ("wrong-" + new_password(), carol.password):
        throttled = request_token(client, carol.email, password)
        assert throttled.status_code == 429, throttled.text
        assert throttled.json() == THROTTLED
        assert 1 <= int(throttled.headers["retry-after"]) <= 300, throttled.headers
    # An email without an account is throttled alike: a 429 tells nothing about accounts.
    stranger = f"stranger.{tag}@example.com"
    for _ in range(LOGIN_MAX_FAILURES):
        assert request_token(client, stranger, "x" * 14).status_code == 401
    assert request_token(client, stranger, "x" * 14).status_code == 429
    # Carol's token from before the failures still works: the throttle guards sign-in only.
    assert client.get("/api/auth/me", headers=carol.bearer).status_code == 200
    return LOGIN_MAX_FAILURES


def _check_ownership(client: httpx.Client, alice: Account, bob: Account) -> None:
    anonymous = client.post("/api/items", json={"name": "nobody's"})
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["www-authenticate"].startswith("Bearer"), anonymous.headers
    created = client.post("/api/items", json={"name": "alice's"}, headers=alice.bearer)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["owner_id"] == alice.id, item
    path = f"/api/items/{item['id']}"
    assert client.get(path).json() == item  # reading stays open
    for method, body in (("PATCH", {"name": "bob's now"}), ("DELETE", None)):
        refused = client.request(method, path, json=body, headers=bob.bearer)
        assert refused.status_code == 403, (method, refused.text)
        assert refused.json() == NOT_THE_OWNER
        anonymous = client.request(method, path, json=body)
        assert anonymous.status_code == 401, (method, anonymous.text)
    assert client.get(path).json() == item  # nothing changed
    patched = client.patch(path, json={"description": "mine"}, headers=alice.bearer)
    assert patched.status_code == 200, patched.text
    assert patched.json() == {**item, "description": "mine"}


def _check_superuser(
    client: httpx.Client, alice: Account, make_superuser: Callable[[str, str], None], tag: str
) -> None:
    email, password = f"admin.{tag}@example.com", new_password()
    make_superuser(email, password)
    token = request_token(client, email, password)
    assert token.status_code == 200, token.text
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
    item = client.post("/api/items", json={"name": "alice's too"}, headers=alice.bearer).json()
    path = f"/api/items/{item['id']}"
    patched = client.patch(path, json={"name": "moderated"}, headers=admin)
    assert patched.status_code == 200, patched.text  # a superuser may change anyone's item
    assert patched.json()["owner_id"] == alice.id
    assert client.delete(path, headers=admin).status_code == 204


def _check_passwords_stay_secret(
    database_url: str, server_log: Callable[[], str], accounts: list[Account]
) -> None:
    log = server_log()
    for account in accounts:
        [row] = fetch_rows(database_url, "SELECT * FROM users WHERE email = %s", account.email)
        stored = [str(value) for value in row]
        # PHC strings ($argon2id$v=19$...), which Django prefixes with its hasher's name.
        assert any("$argon2id$v=19$" in value for value in stored), stored
        assert not any(account.password in value for value in stored), stored
        assert account.password not in log, "a password reached the server's log"
