"""The admin screen, walked over HTTP as a person's browser uses it behind the TLS proxy.

Every starter with an admin answers alike: `/admin/` sends a stranger to a sign-in form; the
form's page and the admin's pages load only the app's own assets; a sign-in posted from another
site is refused; a wrong password, an unknown email and an ordinary user's account are refused
alike and leave no session; a superuser's sign-in sets a session cookie that is HttpOnly, Secure
and SameSite, and opens the admin, whose item list shows the items the API created.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from auth_walk import new_password, sign_up

ADMIN = "/admin/"
# Where each admin lists the items: Django's admin names the app and the model; sqladmin and
# Flask-Admin name the model.
ITEM_LIST = {
    "django": "/admin/items/item/",
    "django_fastapi": "/admin/items/item/",
    "fastapi": "/admin/item/list",
    "litestar": "/admin/item/list",
    "flask": "/admin/item/",
}
CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}


@dataclass
class AdminFigures:
    assets: int  # distinct same-origin assets the pages load, each answered 200
    refusals: int  # wrong sign-ins refused alike, without a session
    sign_in_ms: float  # the superuser's sign-in, form post to redirect


@dataclass
class Page:
    """What the walk reads from an HTML page: its post form and the assets it loads."""

    action: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # name: value
    hidden: dict[str, str] = field(default_factory=dict)
    assets: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self.in_post_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self.in_post_form = self.page.action is None
            if self.in_post_form:
                self.page.action = values.get("action", "")
        elif tag == "input" and self.in_post_form and values.get("name"):
            self.page.inputs[values["name"]] = values.get("value", "")
            if values.get("type", "").lower() == "hidden":
                self.page.hidden[values["name"]] = values.get("value", "")
        if tag == "link" and values.get("href") and "stylesheet" in values.get("rel", "") + "icon":
            self.page.assets.append(values["href"])
        elif tag in ("script", "img") and values.get("src"):
            self.page.assets.append(values["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_post_form = False


def parse_page(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    return parser.page


class Browser:
    """A client that keeps cookies as a browser would, by hand: the app sees HTTPS (through
    X-Forwarded-Proto) and marks its cookies Secure, which httpx would then not send over the
    loopback's plain HTTP."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.client = httpx.Client(base_url=base_url, headers=headers, timeout=10)
        host = urlsplit(base_url).netloc
        self.origin = f"https://{host}"
        self.cookies: dict[str, str] = {}
        self.set_cookies: dict[str, Any] = {}  # name: the last Set-Cookie's morsel

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.client.close()

    def request(
        self, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, local_path(url), headers=sent, **kwargs)
        self.client.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.set_cookies[name] = morsel
                if morsel.value in ("", '""') or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def page(self, url: str) -> tuple[httpx.Response, Page]:
        response = self.request("GET", url)
        assert response.status_code == 200, (url, response.status_code, response.text[:500])
        assert response.headers["content-type"].startswith("text/html"), response.headers
        return response, parse_page(response.text)

    def post_form(
        self, url: str, page: Page, fields: dict[str, str], headers: dict[str, str]
    ) -> httpx.Response:
        action = urljoin(url, page.action or "")  # no action: the page's own URL
        return self.request("POST", action, headers=headers, data={**page.hidden, **fields})

    def same_site(self, referer: str) -> dict[str, str]:
        """The headers a browser adds to a form it posts to the page's own site."""
        return {
            "Origin": self.origin,
            "Referer": self.origin + local_path(referer),
            "Sec-Fetch-Site": "same-origin",
        }


def local_path(url: str) -> str:
    """A URL's path and query on the served app: redirects may name the proxy's https host."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_admin_walk(
    client: httpx.Client, framework: str, make_superuser: Callable[[str, str], None]
) -> AdminFigures:
    """Walk the admin of the app `client` serves, signed in with a user's token; a superuser
    is made with `make_superuser(email, password)`, as `make superuser` does."""
    email, password = f"admin.{secrets.token_hex(4)}@example.com", new_password()
    make_superuser(email, password)
    member = sign_up(client, f"member.{secrets.token_hex(4)}@example.com")
    item_name = f"Shown in the admin {secrets.token_hex(4)}"
    created = client.post("/api/items", json={"name": item_name})
    assert created.status_code == 201, created.text
    headers = {k: v for k, v in client.headers.items() if k.lower() != "authorization"}
    with Browser(str(client.base_url), headers) as browser:
        login_url = _check_stranger_is_sent_to_sign_in(browser)
        _, form = browser.page(login_url)
        assert {"username", "password"} <= set(form.inputs), form.inputs
        assets = set(form.assets)

        forged = browser.post_form(
            login_url,
            Page(action=form.action),
            {"username": email, "password": password},
            CROSS_SITE,
        )
        assert forged.status_code in (400, 403), (forged.status_code, forged.text[:500])
        assert not _signed_in(browser)

        wrong_answers = {
            "wrong password": (email, "not the password at all"),
            "unknown email": (f"nobody.{secrets.token_hex(4)}@example.com", password),
            "ordinary user": (member.email, member.password),
        }
        statuses = {}
        for case, (username, secret) in wrong_answers.items():
            _, form = browser.page(login_url)
            answer = browser.post_form(
                login_url,
                form,
                {"username": username, "password": secret},
                browser.same_site(login_url),
            )
            statuses[case] = answer.status_code
            assert answer.status_code in (200, 400, 401, 403), (case, answer.status_code)
            assert secret not in answer.text, case
            assert not _signed_in(browser), case
        assert len(set(statuses.values())) == 1, statuses

        _, form = browser.page(login_url)
        started = time.perf_counter()
        signed = browser.post_form(
            login_url,
            form,
            {"username": email, "password": password},
            browser.same_site(login_url),
        )
        sign_in_ms = (time.perf_counter() - started) * 1000
        assert signed.status_code in (302, 303), (signed.status_code, signed.text[:500])
        _check_session_cookie(browser)
        assert _signed_in(browser)

        listing, items = browser.page(ITEM_LIST[framework])
        assert item_name in listing.text, listing.text[:2000]
        assets |= set(items.assets)
        _check_assets(browser, assets)
    return AdminFigures(len(assets), len(wrong_answers) + 1, round(sign_in_ms, 1))


def _check_stranger_is_sent_to_sign_in(browser: Browser) -> str:
    response = browser.request("GET", ADMIN)
    assert response.status_code in (302, 303, 307), (response.status_code, response.text[:300])
    location = response.headers["location"]
    assert "login" in location, location
    return urljoin(ADMIN, local_path(location))


def _signed_in(browser: Browser) -> bool:
    return browser.request("GET", ADMIN).status_code == 200


def _check_session_cookie(browser: Browser) -> None:
    """The cookie that holds the session: HttpOnly, Secure behind HTTPS, never sent along a
    cross-site request that could change data."""
    sessions = [m for name, m in browser.set_cookies.items() if name in browser.cookies]
    assert sessions, browser.set_cookies
    for morsel in sessions:
        if morsel.key.lower().startswith("csrf"):
            continue  # Django's CSRF cookie is read by no script either way; not the session
        assert morsel["httponly"], morsel.OutputString()
        assert morsel["secure"], morsel.OutputString()
        assert morsel["samesite"].lower() in ("lax", "strict"), morsel.OutputString()


def _check_assets(browser: Browser, assets: set[str]) -> None:
    """Every asset comes from the app itself, so the admin works with only it reachable."""
    assert assets
    foreign = [
        url for url in assets if urlsplit(url).netloc not in ("", urlsplit(browser.origin).netloc)
    ]
    assert foreign == [], foreign
    for url in sorted(assets):
        response = browser.request("GET", urljoin(ADMIN, url))
        assert response.status_code == 200, (url, response.status_code)
