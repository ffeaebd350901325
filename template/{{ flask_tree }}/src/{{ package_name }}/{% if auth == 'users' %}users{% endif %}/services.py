"""Sign-up and sign-in, kept apart from HTTP so the superuser command uses them too."""

import functools
import math
from datetime import datetime, timedelta

from flask import current_app
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import CursorResult, case, delete, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db, read_without_transaction
from ..orm import utcnow
from .models import EMAIL_MAX_LENGTH, LoginFailure, User
from .schemas import normalise_email

# Argon2id with pwdlib's parameters (argon2-cffi's recommended ones).
password_hash = PasswordHash((Argon2Hasher(),))


class EmailTakenError(ValueError):
    def __init__(self) -> None:
        super().__init__("This email is already registered")


class WrongCredentialsError(ValueError):
    """The same error for a wrong password, an unknown email and an inactive user."""

    def __init__(self) -> None:
        super().__init__("Incorrect email or password")


class LockedOutError(RuntimeError):
    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many failed sign-ins; try again later")
        self.retry_after = retry_after


@functools.cache
def dummy_hash() -> str:
    """A hash to check passwords against when the email has no account, made once with the same
    parameters as real ones: sign-in takes as long either way, so timing does not tell which
    emails have accounts."""
    return password_hash.hash("a password no account has")


def create_user(email: str, password: str, *, is_superuser: bool = False) -> User:
    """A new active user; `email` is normalised already (schemas.Email)."""
    user = User(email=email, password_hash=password_hash.hash(password), is_superuser=is_superuser)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the unique email: also when two sign-ups race
        db.session.rollback()
        raise EmailTakenError from None
    return user


def authenticate(username: str, password: str) -> User:
    """The active user with this email and password.

    LockedOutError while the email is locked out (even with the right password), else
    WrongCredentialsError, counted against the email.
    """
    email = normalise_email(username)
    # An email no account can have (too long, or with NUL, which PostgreSQL cannot store) is
    # neither looked up nor counted; it still costs a password check.
    storable = len(email) <= EMAIL_MAX_LENGTH and "\x00" not in email
    now = utcnow()
    # The reads take no transaction: none is held (on SQLite, no write lock) while the
    # password is checked, which is slow on purpose. The writes below are single statements.
    read_without_transaction()
    if storable:
        refuse_while_locked_out(email, now)
    user = db.session.scalar(select(User).where(User.email == email)) if storable else None
    if user is None:
        password_hash.verify(password, dummy_hash())
        valid = False
    else:
        valid, rehashed = password_hash.verify_and_update(password, user.password_hash)
        if valid and rehashed is not None:  # hashed with older parameters: keep the new hash
            user.password_hash = rehashed
    if not valid or user is None or not user.is_active:
        if storable:
            count_failure(email, now)
        raise WrongCredentialsError
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    db.session.commit()
    return user


def refuse_while_locked_out(email: str, now: datetime) -> None:
    failure = db.session.get(LoginFailure, email)
    if failure is None or failure.failures < current_app.config["LOGIN_MAX_FAILURES"]:
        return
    unlocked_at = failure.last_failed_at + lockout()
    if now < unlocked_at:
        db.session.rollback()
        raise LockedOutError(retry_after=max(1, math.ceil((unlocked_at - now).total_seconds())))


def count_failure(email: str, now: datetime) -> None:
    """One more failure for `email`, counted in the database itself (failures = failures + 1),
    so concurrent wrong guesses all count; a count older than the lockout starts again."""
    again = (
        update(LoginFailure)
        .where(LoginFailure.email == email)
        .execution_options(synchronize_session=False)
    )
    again = again.values(
        failures=case(
            (LoginFailure.last_failed_at <= now - lockout(), 1),
            else_=LoginFailure.failures + 1,
        ),
        last_failed_at=now,
    )
    for _ in range(2):  # a concurrent first failure may insert the row between the two
        counted = db.session.execute(again)
        # An UPDATE's result; the check also tells the type checker, whatever SQLAlchemy's stubs.
        assert isinstance(counted, CursorResult)
        if counted.rowcount:
            db.session.commit()
            return
        db.session.add(LoginFailure(email=email, failures=1, last_failed_at=now))
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()


def lockout() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_LOCKOUT"])
