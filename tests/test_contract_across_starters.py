"""Every starter answers the same requests alike (docs/contract.md), compared with one another.

`tests/contract.py` holds each starter to the contract on its own. This test generates every
starter on SQLite, serves each with its production command, sends each the same sequence of
requests, and writes down each answer as the contract sees it: status, content type, Allow,
Retry-After and Connection headers, and the body's shape. Only what the contract leaves to each
starter is replaced: generated ids and timestamps (by order of first appearance, so "the same
item, unchanged" still shows), the wording of error messages (but for 405's), and the `msg` and
`type` of 422 problems (but for `json_invalid`). The transcripts must be identical, and each
answer must be the one the contract gives for its request.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from copier import run_copy

from conftest import IDENTITY
from contract import (
    COLLECTION_METHODS,
    IMPLICIT_METHODS,
    ITEM_METHODS,
    JSON,
    MAX_BODY_SIZE,
    TIMESTAMP,
)
from harness import compose_app_environment, dockerfile_runtime_env, project_environment, run, serve
from resilience import PROXY_HEADERS

pytestmark = pytest.mark.runtime

# Every starter the template generates, on SQLite so that only the framework differs.
STARTERS: dict[str, dict[str, str]] = {
    "fastapi": {"framework": "fastapi"},
    "django-ninja": {"framework": "django", "django_api": "ninja"},
    "django-drf": {"framework": "django", "django_api": "drf"},
    "flask": {"framework": "flask"},
    "litestar": {"framework": "litestar"},
}

MAX_ID = 2**31 - 1
ITEM_FIELDS = {"id", "name", "description", "created_at"}
# The methods a health probe serves (contract.py has the API's).
PROBE_METHODS = {"GET"}


@dataclass(frozen=True)
class Step:
    """One request and the status the contract gives it.

    `{name}` in the path stands for the id of the item created with `save_as=name`.
    """

    label: str
    method: str
    path: str
    status: int
    body: bytes | None = None
    content_type: str | None = JSON
    chunked: bool = False
    save_as: str | None = None


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


def nested(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth


TOO_BIG = b'{"name": "big", "description": "' + b"x" * MAX_BODY_SIZE + b'"}'
ITEM = "/api/items/{widget}"


def crud() -> Iterator[Step]:
    yield Step("liveness", "GET", "/health/live", 200)
    yield Step("readiness", "GET", "/health/ready", 200)
    yield Step("empty list", "GET", "/api/items", 200)
    for label, value, name in [
        ("create", {"name": "Widget ☕", "description": "first"}, "widget"),
        ("create, name trimmed, no description", {"name": " \tBare\r\n"}, "bare"),
        ("create, null description", {"name": "Third", "description": None}, None),
        ("create, empty description", {"name": "Fourth", "description": ""}, None),
        ("create, description kept as sent", {"name": "Fifth", "description": " a\n"}, "fifth"),
        ("create, name of 100", {"name": "y" * 100}, None),
        ("create, description of 2000", {"name": "long", "description": "d" * 2000}, None),
        ("create, other spaces kept", {"name": "\u00a0x\u3000"}, None),
        ("create, line break inside", {"name": "a\nb"}, None),
    ]:
        yield Step(label, "POST", "/api/items", 201, body(value), save_as=name)
    yield Step(
        "create, charset", "POST", "/api/items", 201, body({"name": "c"}), f"{JSON}; charset=utf-8"
    )
    yield Step(
        "create, upper case type", "POST", "/api/items", 201, body({"name": "u"}), JSON.upper()
    )
    yield Step("get", "GET", ITEM, 200)
    yield Step("get, leading zeros", "GET", "/api/items/000{widget}", 200)
    for label, value in [
        ("patch description", {"description": "changed"}),
        ("patch name, trimmed", {"name": " Gadget "}),
        ("patch description to null", {"description": None}),
        ("patch nothing", {}),
        ("patch both", {"name": "Gizmo", "description": "both"}),
    ]:
        yield Step(label, "PATCH", ITEM, 200, body(value))
    yield Step("get after patches", "GET", ITEM, 200)
    for query in [
        "",
        "?limit=100",
        "?limit=2&offset=1",
        "?offset=50",
        f"?offset={MAX_ID}",
        "?limit=1",
    ]:
        yield Step(f"list {query}", "GET", f"/api/items{query}", 200)
    for query in ["limit=05", "offset=0001", "limit=3&limit=2", "colour=red", "LIMIT=0"]:
        yield Step(f"list ?{query}", "GET", f"/api/items?{query}", 200)
    yield Step(
        "list, a body is ignored", "GET", "/api/items?limit=1", 200, b"not JSON", "text/plain"
    )
    yield Step("get, a body is ignored", "GET", ITEM, 200, body({"name": "x"}))
    yield Step("delete", "DELETE", "/api/items/{bare}", 204, None, None)
    yield Step("delete, a body is ignored", "DELETE", "/api/items/{fifth}", 204, body({"x": 1}))


def not_found() -> Iterator[Step]:
    for method in ("GET", "PATCH", "DELETE"):
        for label, path in [
            ("deleted item", "/api/items/{bare}"),
            ("unknown item", "/api/items/987654"),
            ("largest id", f"/api/items/{MAX_ID}"),
        ]:
            yield Step(f"{method} {label}", method, path, 404, body({"name": "x"}))
    for method, path in [
        ("GET", "/no/such/path"),
        ("POST", "/no/such/path"),
        ("GET", "/api/items/"),
        ("POST", "/api/items/"),
        ("GET", "/api/items/{widget}/extra"),
        ("GET", "/health"),
    ]:
        yield Step(f"{method} {path}", method, path, 404, body({"name": "x"}))
    # Segments that are not ASCII digits for 1..2**31-1 name nothing, whatever the method.
    not_ids = ["abc", "0", "-1", "1.5", "1e3", "+1", "%201", "1_0", "0x1", str(MAX_ID + 1)]
    not_ids += [str(2**63), str(2**64), "9" * 500, "0" * 11, "%EF%BC%91", "%D9%A1"]
    for item_id in not_ids:
        for method in ("GET", "PATCH", "DELETE", "POST"):
            path = f"/api/items/{item_id}"
            yield Step(f"{method} not an id {item_id[:24]}", method, path, 404, body({"name": "x"}))


def not_json() -> Iterator[Step]:
    for method, path in (("POST", "/api/items"), ("PATCH", ITEM)):
        for label, raw in [
            ("truncated", b'{"name": "unterminated'),
            ("empty", b""),
            ("NaN", b'{"name": NaN}'),
            ("Infinity", b'{"name": "a", "description": -Infinity}'),
            ("overflowing number", b'{"name": 1e400}'),
            ("lone surrogate", b'{"name": "a\\ud800b"}'),
            ("invalid UTF-8", b'{"name": "caf\xe9"}'),
            ("nesting 2,000 deep", nested(2000)),
            ("5,000-digit integer", b'{"name": 1' + b"0" * 5000 + b"}"),
            ("trailing garbage", b'{"name": "a"} x'),
        ]:
            yield Step(f"{method} not strict JSON: {label}", method, path, 422, raw)


def invalid() -> Iterator[Step]:
    cases: list[tuple[str, bytes]] = [
        (label, body(value))
        for label, value in [
            ("array", []),
            ("string", "name"),
            ("number", 1),
            ("null", None),
            ("true", True),
            ("unknown field", {"name": "a", "colour": "red"}),
            ("id sent", {"name": "a", "id": 5}),
            ("created_at sent", {"name": "a", "created_at": "2026-01-01T00:00:00.000000Z"}),
            ("empty name", {"name": ""}),
            ("blank name", {"name": " \t\r\n"}),
            ("name too long", {"name": "x" * 101}),
            ("name too long as sent", {"name": " " + "y" * 100 + " "}),
            ("name a number", {"name": 12}),
            ("name a float", {"name": 1e300}),
            ("name true", {"name": True}),
            ("name a list", {"name": ["a"]}),
            ("name an object", {"name": {"a": 1}}),
            ("name null", {"name": None}),
            ("NUL in name", {"name": "a\x00b"}),
            ("description too long", {"name": "ok", "description": "d" * 2001}),
            ("description a number", {"name": "ok", "description": 5}),
            ("NUL in description", {"name": "ok", "description": "\x00"}),
            ("two problems", {"name": "", "description": 5}),
            ("unknown field and bad name", {"name": "", "colour": 1}),
        ]
    ]
    cases.append(("nesting 1,000 deep in a field", b'{"name": ' + nested(1000) + b"}"))
    for method, path in (("POST", "/api/items"), ("PATCH", ITEM)):
        for label, raw in cases:
            yield Step(f"{method} {label}", method, path, 422, raw)
    yield Step("POST missing name", "POST", "/api/items", 422, body({"description": "d"}))
    for query in [
        "limit=0",
        "limit=101",
        "limit=ten",
        "limit=",
        "limit",
        "limit=1.0",
        "limit=+5",
        "limit=%205",
        "limit=%EF%BC%91",
        "limit=1e400",
        "limit=-1",
        "offset=-1",
        "offset=NaN",
        "offset=%00",
        f"offset={MAX_ID + 1}",
        f"offset={2**64}",
        "limit=0&offset=-1",
    ]:
        yield Step(f"list ?{query}", "GET", f"/api/items?{query}", 422)


def media_types() -> Iterator[Step]:
    for method, path in (("POST", "/api/items"), ("PATCH", ITEM)):
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/vnd.api+json",
            "text/json",
            "application/jsonx",
            None,
        ]:
            yield Step(
                f"{method} as {content_type}", method, path, 415, body({"name": "x"}), content_type
            )


def sizes() -> Iterator[Step]:
    for method, path in (("POST", "/api/items"), ("PATCH", ITEM)):
        yield Step(f"{method} too large", method, path, 413, TOO_BIG)
        yield Step(f"{method} too large, streamed", method, path, 413, TOO_BIG, chunked=True)
    # A declared length over the limit is refused before anything else is looked at.
    yield Step("too large, not JSON", "POST", "/api/items", 413, TOO_BIG, "text/plain")
    yield Step("too large, unknown path", "POST", "/no/such/path", 413, TOO_BIG)
    yield Step("too large, wrong method", "PUT", "/api/items", 413, TOO_BIG)
    yield Step("too large, not an id", "PATCH", "/api/items/abc", 413, TOO_BIG)
    yield Step("too large, unknown item", "PATCH", "/api/items/987654", 413, TOO_BIG)


def methods() -> Iterator[Step]:
    for path, allowed in [
        ("/api/items", COLLECTION_METHODS),
        (ITEM, ITEM_METHODS),
        ("/health/live", PROBE_METHODS),
        ("/health/ready", PROBE_METHODS),
    ]:
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "FOO"} - allowed):
            yield Step(f"{method} {path}", method, path, 405, body({"name": "x"}))


def precedence() -> Iterator[Step]:
    """Requests wrong in more than one way: the contract says which answer wins."""
    unknown = "/api/items/987654"
    yield Step("not an id, not JSON", "PATCH", "/api/items/abc", 404, b"x", "text/plain")
    yield Step("not an id, invalid body", "PATCH", "/api/items/0", 404, body({"name": ""}))
    yield Step("unknown item, not JSON", "PATCH", unknown, 415, body({"name": "x"}), "text/plain")
    yield Step("unknown item, broken JSON", "PATCH", unknown, 422, b"{")
    yield Step("unknown item, invalid body", "PATCH", unknown, 422, body({"name": ""}))
    yield Step("wrong method, not JSON", "PUT", "/api/items", 405, b"x", "text/plain")
    yield Step("invalid query on a create", "POST", "/api/items?limit=0", 201, body({"name": "q"}))


def steps() -> list[Step]:
    groups = [crud, not_found, not_json, invalid, media_types, sizes, methods, precedence]
    return [
        *(step for group in groups for step in group()),
        Step("nothing else changed the item", "GET", ITEM, 200),
        Step("final list", "GET", "/api/items?limit=100", 200),
    ]


class Transcript:
    """Sends the steps to one server; records each answer as the contract sees it, and notes
    every answer the contract does not allow."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.ids: dict[str, int] = {}
        self.placeholders: dict[tuple[str, object], str] = {}
        self.lines: list[str] = []
        self.violations: list[str] = []
        self.label = ""  # the request being answered, for violations

    def send(self, step: Step) -> None:
        path = step.path.format(**self.ids)
        headers = {"content-type": step.content_type} if step.content_type else {}
        content: Any = step.body
        if step.chunked and step.body is not None:
            raw = step.body
            content = (raw[i : i + 65536] for i in range(0, len(raw), 65536))
        response = self.client.request(step.method, path, content=content, headers=headers)
        self.label = f"{step.method} {path[:60]} ({step.label})"
        if response.status_code != step.status:
            self.violate(f"status {response.status_code}, the contract says {step.status}")
        answer = self.answer(step, response)
        if step.save_as and response.status_code == 201:
            self.ids[step.save_as] = response.json()["id"]
        written = json.dumps(answer, ensure_ascii=False, sort_keys=True)
        # Runs of one character (long names, descriptions) shortened, losslessly.
        written = re.sub(r"(.)\1{9,}", lambda run: f"{run[1]}*{len(run[0])}", written)
        self.lines.append(f"{step.label}: {written}")

    def violate(self, problem: str) -> None:
        self.violations.append(f"{self.label}: {problem}")

    def answer(self, step: Step, response: httpx.Response) -> dict[str, Any]:
        headers = response.headers
        answer: dict[str, Any] = {
            "status": response.status_code,
            "content-type": headers.get("content-type"),
        }
        if response.status_code == 405:
            allowed = {m.strip() for m in headers.get("allow", "").split(",") if m.strip()}
            answer["allow"] = sorted(allowed - IMPLICIT_METHODS)
            expected = self.path_methods(step.path)
            if not expected <= allowed <= expected | IMPLICIT_METHODS:
                self.violate(f"Allow: {headers.get('allow')!r}")
        for name in ("retry-after", "connection"):
            if name in headers:
                answer[name] = headers[name]
        if response.status_code == 204:
            if response.content or "content-type" in headers:
                self.violate("a 204 with content or a content type")
            return answer
        if headers.get("content-type") != JSON:
            self.violate(f"content type {headers.get('content-type')!r}")
        try:
            document = response.json()
        except ValueError:
            self.violate(f"not JSON: {response.text[:80]!r}")
            return {**answer, "body": "<not JSON>"}
        if response.status_code >= 400:
            answer["body"] = self.error(document, response.status_code)
        else:
            answer["body"] = self.success(document)
        return answer

    @staticmethod
    def path_methods(path: str) -> set[str]:
        if path.startswith("/health/"):
            return PROBE_METHODS
        return ITEM_METHODS if path.startswith("/api/items/") else COLLECTION_METHODS

    def placeholder(self, kind: str, value: object) -> str:
        key = (kind, value)
        if key not in self.placeholders:
            number = 1 + sum(1 for known in self.placeholders if known[0] == kind)
            self.placeholders[key] = f"<{kind} {number}>"
        return self.placeholders[key]

    def success(self, document: Any) -> Any:
        if isinstance(document, dict) and set(document) == {"items", "total"}:
            if type(document["total"]) is not int or not isinstance(document["items"], list):
                self.violate(f"a page of the wrong types: {document}")
                return document
            return {**document, "items": [self.item(item) for item in document["items"]]}
        if isinstance(document, dict) and "created_at" in document:
            return self.item(document)
        return document  # the health probes, compared as they are

    def item(self, item: Any) -> Any:
        if not isinstance(item, dict) or set(item) != ITEM_FIELDS:
            self.violate(f"not an item: {item!r:.200}")
            return item
        if type(item["id"]) is not int or not 1 <= item["id"] <= MAX_ID:
            self.violate(f"id {item['id']!r}")
        if not isinstance(item["name"], str) or not isinstance(item["description"], str | None):
            self.violate(f"name or description of the wrong type: {item!r:.200}")
        if not isinstance(item["created_at"], str) or not TIMESTAMP.fullmatch(item["created_at"]):
            self.violate(f"created_at {item['created_at']!r}")
        return {
            **item,
            "id": self.placeholder("id", item["id"]),
            "created_at": self.placeholder("timestamp", item["created_at"]),
        }

    def error(self, document: Any, status: int) -> Any:
        if not isinstance(document, dict) or set(document) != {"detail"}:
            self.violate(f"error body {document!r:.200}")
            return document
        detail = document["detail"]
        if status == 422:
            if not isinstance(detail, list) or not detail:
                self.violate(f"422 detail {detail!r:.200}")
                return document
            return {"detail": sorted(self.problem(problem) for problem in detail)}
        if not isinstance(detail, str):
            self.violate(f"detail {detail!r:.200}")
            return document
        return document if status == 405 else {"detail": "<message>"}

    def problem(self, problem: Any) -> str:
        """A 422 entry as `loc type`: where (fixed), and what kind (fixed for json_invalid)."""
        if not isinstance(problem, dict) or set(problem) != {"loc", "msg", "type"}:
            self.violate(f"422 entry {problem!r:.200}")
            return repr(problem)
        loc, msg, kind = problem["loc"], problem["msg"], problem["type"]
        if not isinstance(loc, list) or not loc or loc[0] not in {"body", "query"}:
            self.violate(f"422 loc {loc!r}")
        if not isinstance(msg, str) or not isinstance(kind, str):
            self.violate(f"422 msg or type {problem!r:.200}")
        return json.dumps([loc, kind if kind == "json_invalid" else "<type>"])


def served_transcript(template_dir: Path, work: Path, answers: dict[str, str]) -> Transcript:
    """Generate the starter, install it, serve it as production does, and walk the steps."""
    project = work / "project"
    run_copy(
        str(template_dir),
        project,
        data={**IDENTITY, **answers, "database": "sqlite"},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    env = project_environment()
    run(["uv", "sync"], project, env)
    production = compose_app_environment(project, f"sqlite:///{work / 'app.sqlite3'}")
    # One worker: the same answers, and less of a shared machine's time.
    served_env = {**env, **production, **dockerfile_runtime_env(project), "WEB_CONCURRENCY": "1"}
    run(["make", "migrate"], project, served_env)
    with (
        serve(["make", "serve"], project, served_env, work / "serve.log") as server,
        httpx.Client(base_url=server.url, headers=PROXY_HEADERS, timeout=30) as client,
    ):
        transcript = Transcript(client)
        for step in steps():
            transcript.send(step)
        assert server.process.poll() is None, server.output()
    assert "Traceback" not in server.output(), server.output()
    return transcript


def test_every_starter_answers_the_same_requests_alike(template_dir: Path, tmp_path: Path) -> None:
    transcripts = {
        name: served_transcript(template_dir, tmp_path / name, answers)
        for name, answers in STARTERS.items()
    }

    violations = [
        f"{name}: {violation}"
        for name, transcript in transcripts.items()
        for violation in transcript.violations
    ]
    shown = violations[:40] + [f"... and {len(violations) - 40} more"] * (len(violations) > 40)
    assert not violations, "answers the contract does not allow:\n" + "\n".join(shown)

    (reference, expected), *others = ((name, t.lines) for name, t in transcripts.items())
    diffs = [
        "\n".join(difflib.unified_diff(expected, lines, reference, name, n=0, lineterm=""))
        for name, lines in others
        if lines != expected
    ]
    assert not diffs, "the starters answer differently:\n" + "\n\n".join(diffs)
