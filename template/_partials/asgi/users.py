"""User use cases: sign-up, sign-in with a throttle, and access tokens. No HTTP here.

Passwords are hashed with Argon2id (pwdlib); tokens are JWTs signed with HS256 and the
project's SECRET_KEY (PyJWT), and only HS256 is accepted back.
"""

import asyncio
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from email_validator import EmailNotValidError, validate_email
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import CursorResult, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.base import utcnow
from ..models.user import EMAIL_MAX_LENGTH, LoginFailure, User

PASSWORD_MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing one costs no more than usual.
PASSWORD_MAX_LENGTH = 1024
TOKEN_ALGORITHM = "HS256"
# The largest id an integer column holds on every database.
MAX_USER_ID = 2**31 - 1

password_hash = PasswordHash((Argon2Hasher(),))
# Checked against when the email has no account, so that an unknown email takes as long to
# refuse as a wrong password: how long the answer takes does not tell which emails exist.
_NO_ACCOUNT_HASH = password_hash.hash("no account has this email")


class EmailTakenError(Exception):
    """The email already has an account (compared without regard to case)."""


class SignInRefusedError(Exception):
    """Wrong password, unknown email or inactive user: deliberately not told apart."""


class SignInLockedError(Exception):
    """Too many failed sign-ins in a row for this email; try again in `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"sign-in locked for {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Throttle:
    """LOGIN_MAX_FAILURES failures in a row lock an email out for LOGIN_LOCKOUT seconds."""

    max_failures: int
    lockout: int


def normalise_email(email: str) -> str:
    """How an email is stored and looked up: stripped and lower-cased."""
    return email.strip().lower()


def valid_email(email: str) -> str:
    """The email, normalised, if it is a valid address; ValueError (with the reason) if not.

    Only its form is checked: no DNS look-up, so sign-up never waits on (or fails with) the
    network.
    """
    address = normalise_email(email)
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValueError(f"must be at most {EMAIL_MAX_LENGTH} characters")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None
    return address


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None (the API's schemas state the same rule)."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"
    return None


async def register(
    session: AsyncSession, email: str, password: str, *, is_superuser: bool = False
) -> User:
    """A new active user, flushed (the caller commits). The email must be valid already."""
    email = normalise_email(email)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise EmailTakenError(email)
    hashed = await asyncio.to_thread(password_hash.hash, password)
    user = User(email=email, password_hash=hashed, is_superuser=is_superuser)
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:  # the same email signed up at the same moment
        raise EmailTakenError(email) from None
    return user


async def authenticate(
    session: AsyncSession, email: str, password: str, throttle: Throttle
) -> User:
    """The active user with this email and password, or an error saying why not.

    A failure is committed here, since the request that made it is going to fail and roll
    back: the count must survive that.
    """
    email = normalise_email(email)
    if len(email) > EMAIL_MAX_LENGTH or "\x00" in email:
        # No account has such an email, and the database would refuse to store it (or
        # count failures for it): refused after the same check as any unknown email.
        await asyncio.to_thread(password_hash.verify, password, _NO_ACCOUNT_HASH)
        raise SignInRefusedError
    now = utcnow()
    failure = await session.get(LoginFailure, email)
    if failure is not None and failure.failures >= throttle.max_failures:
        left = throttle.lockout - (now - failure.last_failed_at).total_seconds()
        if left > 0:  # even the right password waits: the point is to stop guessing
            raise SignInLockedError(max(1, math.ceil(left)))
    user = await session.scalar(select(User).where(User.email == email))
    # Argon2 takes tens of milliseconds of CPU on purpose: in a thread, so the event loop
    # serves other requests meanwhile (argon2-cffi releases the GIL while it hashes).
    valid, new_hash = await asyncio.to_thread(
        password_hash.verify_and_update,
        password,
        user.password_hash if user is not None else _NO_ACCOUNT_HASH,
    )
    if user is None or not valid or not user.is_active:
        await _count_failure(session, email, now, throttle)
        raise SignInRefusedError
    if failure is not None:
        await session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    if new_hash is not None:  # hashed with older parameters: upgraded while we have it
        user.password_hash = new_hash
    return user


async def _count_failure(
    session: AsyncSession, email: str, now: datetime, throttle: Throttle
) -> None:
    """One more failure for `email`, counted in the database itself (failures + 1), so that
    concurrent wrong guesses all count; the count starts again after a quiet LOGIN_LOCKOUT."""
    stale = LoginFailure.last_failed_at <= now - timedelta(seconds=throttle.lockout)
    count = (
        update(LoginFailure)
        .where(LoginFailure.email == email)
        .values(failures=case((stale, 1), else_=LoginFailure.failures + 1), last_failed_at=now)
    )
    counted = await session.execute(count)
    # An UPDATE's result; the check also tells the type checker, whatever SQLAlchemy's stubs.
    assert isinstance(counted, CursorResult)
    if counted.rowcount == 0:
        try:
            await session.execute(
                insert(LoginFailure).values(email=email, failures=1, last_failed_at=now)
            )
        except IntegrityError:  # another request's first failure came first: count on it
            await session.rollback()
            await session.execute(count)
    await session.commit()


def create_access_token(user_id: int, key: str, expires_in: int) -> str:
    now = utcnow()
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(seconds=expires_in)}
    return jwt.encode(claims, key, algorithm=TOKEN_ALGORITHM)


def token_user_id(token: str, key: str) -> int | None:
    """The user id a valid token names, or None: bad signature, another algorithm (`none`
    included), expired, or a claim missing or malformed."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "iat", "sub"]}
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims["sub"]
    # Digits only, and within the id range: anything else names no user.
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        return None
    if len(subject) > len(str(MAX_USER_ID)) or not 1 <= int(subject) <= MAX_USER_ID:
        return None
    return int(subject)


async def user_for_token(session: AsyncSession, token: str, key: str) -> User | None:
    """The active user a valid token names, or None (a deleted or deactivated user's
    token is refused as soon as that happens, not when it expires)."""
    user_id = token_user_id(token, key)
    if user_id is None:
        return None
    user = await session.get(User, user_id)
    return user if user is not None and user.is_active else None
