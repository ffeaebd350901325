"""Access tokens: JWTs signed with HS256 and the project's SECRET_KEY (PyJWT).

Only HS256 is accepted, so an unsigned token (`alg: none`) or one signed with another algorithm
is refused; rotating SECRET_KEY signs everyone out.
"""

from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings

from .models import User

ALGORITHM = "HS256"


def issue_token(user: User) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.pk),
        "iat": now,
        "exp": now + timedelta(seconds=settings.ACCESS_TOKEN_EXPIRES),
    }
    return jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM)


def user_for_token(token: str) -> User | None:
    """The active user `token` was issued to, or None if it is invalid, expired, or its user
    is gone or inactive."""
    try:
        claims = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    if len(subject) > 19:  # more than a 64-bit id: no such user
        return None
    return User.objects.filter(pk=int(subject), is_active=True).first()
