"""Signing up and signing in: what both go through, whichever API layer serves them."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables
from email_validator import EmailNotValidError, validate_email

from .models import EMAIL_MAX_LENGTH, LoginFailure, User, normalize_email

PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH = 12, 1024


class EmailTaken(Exception):
    """The email already has an account (409)."""


class SignInFailed(Exception):
    """Wrong password, unknown email or inactive user: one answer for all three (401)."""


@dataclass
class LockedOut(Exception):
    """Too many failures in a row for this email (429); `retry_after` whole seconds."""

    retry_after: int


def email_problem(email: str) -> str | None:
    """Why `email` cannot be an account's email, or None. No DNS lookups: syntax only."""
    if len(email.strip()) > EMAIL_MAX_LENGTH:
        return f"must be at most {EMAIL_MAX_LENGTH} characters"
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def password_problem(password: str) -> str | None:
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"must be {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters long"
    return None


@sensitive_variables("password")
def register(email: str, password: str) -> User:
    """A new user; raises EmailTaken if the email (in any case) has one."""
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password)
    except IntegrityError:
        raise EmailTaken from None


@sensitive_variables("password")
def sign_in(email: str, password: str) -> User:
    """The active user with this email and password, or LockedOut / SignInFailed.

    Django's ModelBackend checks the password; for an unknown email it hashes the password
    anyway, with the same hasher, so that both answers take about as long.
    """
    email = normalize_email(email)
    locked = LoginFailure.seconds_locked(
        email, max_failures=settings.LOGIN_MAX_FAILURES, lockout=settings.LOGIN_LOCKOUT
    )
    if locked:
        raise LockedOut(locked)
    user = authenticate(username=email, password=password)
    if not isinstance(user, User):
        LoginFailure.record(email, lockout=settings.LOGIN_LOCKOUT)
        raise SignInFailed
    LoginFailure.clear(email)
    return user
