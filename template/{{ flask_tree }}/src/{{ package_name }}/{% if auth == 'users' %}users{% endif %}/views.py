"""The auth blueprint: sign up, get a token, read who the token is for."""

import functools
from http import HTTPStatus
from typing import Any

from flask import current_app
from flask.typing import ResponseReturnValue

from ..errors import ErrorSchema, documented_errors
from ..extensions import Blueprint, read_without_transaction
from . import services
from .auth import SECURED, Refused, View, authenticated_user, issue_token
from .auth import unauthorized_response as unauthorized
from .models import User
from .schemas import (
    RegisterSchema,
    Registration,
    TokenForm,
    TokenFormSchema,
    TokenSchema,
    UserSchema,
)

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Users and access tokens")

FORBIDDEN, CONFLICT, TOO_LARGE, UNSUPPORTED, UNAVAILABLE = (
    HTTPStatus.FORBIDDEN,
    HTTPStatus.CONFLICT,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    HTTPStatus.SERVICE_UNAVAILABLE,
)
# A wrong password says no more than that: the same answer for an unknown email.
WRONG_CREDENTIALS = {
    "description": "Incorrect email or password",
    "content": {"application/json": {"schema": ErrorSchema}},
    "headers": {"WWW-Authenticate": {"schema": {"type": "string", "enum": ["Bearer"]}}},
}
LOCKED_OUT = {
    "description": "Too many failed sign-ins for this email; try again later",
    "content": {"application/json": {"schema": ErrorSchema}},
    "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
}


def signup_open(view: View) -> View:
    """403 while SIGNUP_ENABLED is false, whatever the body: users then come from the
    superuser command."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_app.config["SIGNUP_ENABLED"]:
            raise Refused(FORBIDDEN, "Sign-up is closed")
        return view(*args, **kwargs)

    return checked


@blp.route("/register", methods=["POST"])
@signup_open
@blp.arguments(RegisterSchema)
@blp.response(HTTPStatus.CREATED, UserSchema)
@blp.doc(responses=documented_errors(FORBIDDEN, CONFLICT, TOO_LARGE, UNSUPPORTED, UNAVAILABLE))
def register(data: Registration) -> User:
    """Sign up with an email and a password (12 to 1024 characters)."""
    try:
        return services.create_user(data["email"], data["password"])
    except services.EmailTakenError as error:
        raise Refused(CONFLICT, str(error)) from None


@blp.route("/token", methods=["POST"])
@blp.arguments(TokenFormSchema, location="form")
@blp.response(HTTPStatus.OK, TokenSchema)
@blp.doc(
    responses={
        HTTPStatus.UNAUTHORIZED: WRONG_CREDENTIALS,
        HTTPStatus.TOO_MANY_REQUESTS: LOCKED_OUT,
        **documented_errors(TOO_LARGE, UNAVAILABLE),
    }
)
def token(form: TokenForm) -> dict[str, object]:
    """Sign in: OAuth2's password grant, the email as `username`; answers a bearer token."""
    try:
        user = services.authenticate(form["username"], form["password"])
    except services.LockedOutError as error:
        headers = {"Retry-After": str(error.retry_after)}
        raise Refused(HTTPStatus.TOO_MANY_REQUESTS, str(error), headers) from None
    except services.WrongCredentialsError as error:
        headers = {"WWW-Authenticate": "Bearer"}
        raise Refused(HTTPStatus.UNAUTHORIZED, str(error), headers) from None
    return {
        "access_token": issue_token(user.id),
        "token_type": "bearer",
        "expires_in": current_app.config["ACCESS_TOKEN_EXPIRES"],
    }


@blp.route("/me", methods=["GET"])
@blp.response(HTTPStatus.OK, UserSchema)
@blp.doc(
    security=SECURED,
    responses={HTTPStatus.UNAUTHORIZED: unauthorized(), **documented_errors(UNAVAILABLE)},
)
def me() -> User:
    """The signed-in user."""
    read_without_transaction()  # one read: it needs no transaction
    return authenticated_user()
