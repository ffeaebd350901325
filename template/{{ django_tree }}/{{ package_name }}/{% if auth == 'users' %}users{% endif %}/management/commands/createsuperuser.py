"""`manage.py createsuperuser` (`make superuser`), Django's own with this project's rules.

With SUPERUSER_EMAIL and SUPERUSER_PASSWORD both set it asks nothing, for a deployment's one-off
job; otherwise it asks for the email and the password twice, hidden. Either way the email and
password must be ones POST /api/auth/register accepts, and an email that already has an account
stops it (exit status 1) without changing anything.
"""

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.core.management.base import CommandError

from ...accounts import email_problem, password_problem
from ...models import User, normalize_email


class Command(createsuperuser.Command):
    help = "Create an active superuser (from SUPERUSER_EMAIL and SUPERUSER_PASSWORD, else asks)."

    def handle(self, *args: Any, **options: Any) -> None:
        email = os.environ.get("SUPERUSER_EMAIL", "")
        password = os.environ.get("SUPERUSER_PASSWORD", "")
        from_environment = bool(email and password)
        if from_environment:
            if problem := password_problem(password):
                raise CommandError(f"SUPERUSER_PASSWORD {problem}")
            # Django's non-interactive mode reads the password from here.
            os.environ["DJANGO_SUPERUSER_PASSWORD"] = password
            options.update(interactive=False, email=email)
        self.created_email = ""
        try:
            super().handle(*args, **{**options, "verbosity": 0})
        finally:
            if from_environment:
                del os.environ["DJANGO_SUPERUSER_PASSWORD"]
        if self.created_email:  # not when Django skipped asking (no terminal)
            self.stdout.write(f"Superuser {self.created_email} created")

    def _validate_username(self, username: str, verbose_field_name: str, database: str) -> Any:
        if problem := email_problem(username):
            return f"Error: the email {problem}"
        if User.objects.db_manager(database).filter(email=normalize_email(username)).exists():
            # Asking for another one would hide the mistake from a script feeding stdin.
            raise CommandError(f"A user with the email {normalize_email(username)} already exists")
        self.created_email = normalize_email(username)
        # Django's own checks too (django-stubs leaves this private method out).
        return super()._validate_username(username, verbose_field_name, database)  # type: ignore[misc]
