"""The users table, and the failed sign-ins counted per email."""

from datetime import datetime

from sqlalchemy import String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from ..orm import Base, UTCDateTime, utcnow

# The longest address SMTP can deliver to (RFC 5321's path limit, less its angle brackets).
EMAIL_MAX_LENGTH = 254


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored normalised (stripped, lower-cased), so the unique constraint ignores case.
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    # An Argon2id hash (`$argon2id$...`), never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    # An inactive user can neither sign in nor use a token issued before.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # May change any item; the admin screen will need it too.
    is_superuser: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginFailure(Base):
    """Wrong passwords in a row for an email, whether or not it has an account (so the lockout
    tells nobody which emails do). A successful sign-in deletes the row."""

    __tablename__ = "login_failures"

    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), primary_key=True)
    failures: Mapped[int]
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
