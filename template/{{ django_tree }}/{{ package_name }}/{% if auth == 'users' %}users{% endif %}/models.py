"""The people who use the API (`users`), and the failed sign-ins counted per email.

A custom user model from the start, as Django recommends: email is the login, and swapping the
model later, once tables point at it, is a migration nobody wants to write.
"""

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

EMAIL_MAX_LENGTH = 254


def normalize_email(email: str) -> str:
    """The form an email is stored and looked up in: stripped and lower-cased, so that
    `Ann@Example.com ` and `ann@example.com` are one account."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Sign-in (ModelBackend) and createsuperuser look users up here, with the email as typed.
        return self.get(email=normalize_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A user: an email to sign in with, an Argon2id password hash, and the admin's flags."""

    email = models.EmailField("email address", max_length=EMAIL_MAX_LENGTH, unique=True)
    is_active = models.BooleanField(default=True)
    # May use the Django admin (is_superuser, from PermissionsMixin, may do anything there).
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.email


class LoginFailure(models.Model):
    """Failed sign-ins in a row for one submitted email, whether or not it has an account.

    Counted in the database, so every worker process and server sees the same count.
    """

    email = models.CharField(max_length=EMAIL_MAX_LENGTH, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField()

    class Meta:
        db_table = "login_failures"

    def __str__(self) -> str:
        return f"{self.email}: {self.failures}"

    @classmethod
    def seconds_locked(cls, email: str, *, max_failures: int, lockout: int) -> int:
        """Whole seconds until `email` may try again (at least 1), or 0 if it may now."""
        row = cls.objects.filter(email=email).values_list("failures", "last_failed_at").first()
        if row is None or row[0] < max_failures:
            return 0
        left = row[1] + timedelta(seconds=lockout) - timezone.now()
        if left <= timedelta(0):
            return 0
        return max(1, int(left.total_seconds() + 0.999999))

    @classmethod
    def record(cls, email: str, *, lockout: int) -> None:
        """Count one more failure for `email`, in one statement, so that concurrent wrong
        guesses all count. A failure after a quiet LOGIN_LOCKOUT starts the count again."""
        now: datetime = timezone.now()
        count = Case(
            When(last_failed_at__lte=now - timedelta(seconds=lockout), then=Value(1)),
            default=F("failures") + 1,
        )
        if cls.objects.filter(email=email).update(failures=count, last_failed_at=now):
            return
        try:
            with transaction.atomic():
                cls.objects.create(email=email, failures=1, last_failed_at=now)
        except IntegrityError:
            # Another request inserted the row first: count this failure on it.
            cls.objects.filter(email=email).update(failures=F("failures") + 1, last_failed_at=now)

    @classmethod
    def clear(cls, email: str) -> None:
        cls.objects.filter(email=email).delete()
