"""The auth API's request and response bodies (marshmallow), and what loading them gives."""

from typing import Any, TypedDict

import marshmallow as ma
from email_validator import EmailNotValidError, validate_email
from marshmallow import fields, validate

from .models import EMAIL_MAX_LENGTH

PASSWORD_MIN_LENGTH = 12
# Long passphrases are welcome; the limit only bounds the work a request can ask for.
PASSWORD_MAX_LENGTH = 1024


def normalise_email(value: str) -> str:
    """The form an email is stored and looked up in: sign-up and sign-in must agree on it."""
    return value.strip().lower()


class Email(fields.String):
    """An email address, checked by email-validator (its form only: no DNS lookup), and loaded
    normalised."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        email = normalise_email(super()._deserialize(value, attr, data, **kwargs))
        if len(email) > EMAIL_MAX_LENGTH:
            raise ma.ValidationError(f"Longer than maximum length {EMAIL_MAX_LENGTH}.")
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as error:
            raise ma.ValidationError(str(error)) from None
        return email


def password_field() -> fields.String:
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH),
        metadata={"format": "password"},
    )


class RegisterSchema(ma.Schema):
    """Unknown fields are refused (marshmallow's default), as for items."""

    email = Email(required=True, metadata={"format": "email", "maxLength": EMAIL_MAX_LENGTH})
    password = password_field()


class UserSchema(ma.Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)


class TokenFormSchema(ma.Schema):
    """OAuth2's password grant form (RFC 6749, 4.3.2).

    Parameters the server does not know (a client_id, say) are ignored, as OAuth2 requires of
    a token endpoint; `scope` is accepted and ignored: tokens carry no scopes.
    """

    class Meta:
        unknown = ma.EXCLUDE

    username = fields.String(required=True, metadata={"description": "The email"})
    password = fields.String(required=True, metadata={"format": "password"})
    grant_type = fields.String(validate=validate.Equal("password"))
    scope = fields.String(load_default="")


class TokenSchema(ma.Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"enum": ["bearer"]})
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds"})


class Registration(TypedDict):
    email: str
    password: str


class TokenForm(TypedDict):
    username: str
    password: str
