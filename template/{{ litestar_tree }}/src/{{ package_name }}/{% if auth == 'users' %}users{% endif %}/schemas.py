"""The auth API's request and response bodies, as msgspec structs."""

from typing import Annotated, Literal

import msgspec
from litestar.params import KwargDefinition

from ..models.user import EMAIL_MAX_LENGTH
from .services import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, valid_email

# Documented for the OpenAPI document through Litestar's own field metadata: it carries the
# format (msgspec's extra_json_schema does not reach it in every supported Litestar). The length
# is enforced where the address is checked, by email-validator in __post_init__.
Email = Annotated[str, KwargDefinition(format="email", max_length=EMAIL_MAX_LENGTH)]
Password = Annotated[
    str, msgspec.Meta(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)
]


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password

    def __post_init__(self) -> None:
        # Checked with email-validator (its form only, no DNS); stored stripped and
        # lower-cased. Its ValueError is msgspec's ValidationError, a 422.
        self.email = valid_email(self.email)


class TokenForm(msgspec.Struct):
    """The OAuth2 password form: `username` is the email; `grant_type`, if sent, `password`."""

    username: str
    password: str
    grant_type: Literal["password"] | None = None
    scope: str = ""


class UserRead(msgspec.Struct):
    """A user as the API shows it: never the password or its hash."""

    id: int
    email: str


class Token(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: Literal["bearer"] = "bearer"
