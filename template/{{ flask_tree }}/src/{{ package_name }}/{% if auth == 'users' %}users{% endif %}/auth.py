"""Bearer tokens: issuing them, and the check on the views that need a signed-in user.

Tokens are JWTs (PyJWT) signed with HS256 and SECRET_KEY; a token names its user by id (`sub`)
and is valid ACCESS_TOKEN_EXPIRES seconds. Decoding pins the algorithm to HS256, so a token
that says `alg: none` or any other algorithm is refused whatever it holds.

PyJWT directly rather than Flask-JWT-Extended: that extension answers a malformed token with
422 and `{"msg": ...}` bodies, not the 401s every stackpick starter gives, and the whole check
is the few lines below.
"""

import functools
from collections.abc import Callable, Mapping
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import jwt
from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..database import MAX_ID
from ..errors import ErrorSchema
from ..extensions import db
from ..orm import utcnow
from .models import User

ALGORITHM = "HS256"
# How the OpenAPI document names the scheme; Swagger UI's Authorize button signs in with it.
SECURITY_SCHEME = "OAuth2PasswordBearer"
TOKEN_URL = "/api/auth/token"
# For `blp.doc(security=...)` on the operations that need a token.
SECURED: list[dict[str, list[str]]] = [{SECURITY_SCHEME: []}]

NOT_AUTHENTICATED = "Not authenticated"
INVALID_TOKEN = "Invalid or expired token"

type View = Callable[..., ResponseReturnValue]


class Refused(HTTPException):
    """An HTTP error with its detail and headers; errors.error_response answers it as
    `{"detail": ...}`, like every other error."""

    def __init__(
        self, status: HTTPStatus, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.code = status
        self.data = {"message": detail}
        self.extra_headers = dict(headers or {})

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), *self.extra_headers.items()]


def not_authenticated() -> Refused:
    return Refused(HTTPStatus.UNAUTHORIZED, NOT_AUTHENTICATED, {"WWW-Authenticate": "Bearer"})


def invalid_token() -> Refused:
    challenge = 'Bearer error="invalid_token"'
    return Refused(HTTPStatus.UNAUTHORIZED, INVALID_TOKEN, {"WWW-Authenticate": challenge})


def issue_token(user_id: int) -> str:
    """A signed access token for the user `user_id`, valid ACCESS_TOKEN_EXPIRES seconds."""
    now = utcnow()
    expires = timedelta(seconds=current_app.config["ACCESS_TOKEN_EXPIRES"])
    claims = {"sub": str(user_id), "iat": now, "exp": now + expires}
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=ALGORITHM)


def token_user_id(token: str) -> int:
    """The user id a valid token names; `invalid_token()` for anything else."""
    try:
        claims = jwt.decode(
            token,
            current_app.config["SECRET_KEY"],
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.InvalidTokenError:
        raise invalid_token() from None
    subject = claims["sub"]  # PyJWT has checked it is a string
    # Only ids a row can have: the lookup below must never be a database error.
    if not (subject.isascii() and subject.isdigit() and len(subject) <= len(str(MAX_ID))):
        raise invalid_token()
    user_id = int(subject)
    if not 1 <= user_id <= MAX_ID:
        raise invalid_token()
    return user_id


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; `not_authenticated()` without
    one."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        raise not_authenticated()
    return token.strip()


def authenticated_user() -> User:
    """The active user the request's bearer token names, or the 401 that says why not."""
    user = db.session.get(User, token_user_id(bearer_token(request.headers.get("Authorization"))))
    if user is None or not user.is_active:  # deleted or deactivated since the token was issued
        raise invalid_token()
    return user


def token_required(view: View) -> View:
    """Answer 401 unless the request carries a valid token; the view reads `current_user()`.

    Put it above flask-smorest's decorators: a request without a valid token is refused before
    its body is read.
    """

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        g.current_user = authenticated_user()
        return view(*args, **kwargs)

    return checked


def current_user() -> User:
    """The signed-in user of a view behind `token_required`."""
    user: User = g.current_user
    return user


def unauthorized_response() -> dict[str, Any]:
    """The OpenAPI response of a 401: the error body and its challenge."""
    return {
        "description": f"{NOT_AUTHENTICATED} (no bearer token), or {INVALID_TOKEN.lower()}",
        "content": {"application/json": {"schema": ErrorSchema}},
        "headers": {
            "WWW-Authenticate": {
                "description": 'Bearer, or Bearer error="invalid_token"',
                "schema": {"type": "string"},
            }
        },
    }


def security_scheme() -> dict[str, Any]:
    """OAuth2's password flow against the token endpoint, for the OpenAPI document."""
    return {"type": "oauth2", "flows": {"password": {"tokenUrl": TOKEN_URL, "scopes": {}}}}
