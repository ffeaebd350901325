"""`flask --app <package> create-superuser` (`make superuser`): the first admin, or any other.

Non-interactive when SUPERUSER_EMAIL and SUPERUSER_PASSWORD are both set (a deployment's
one-off job), otherwise it asks for the email and, twice and hidden, the password. The rules
are sign-up's (RegisterSchema).
"""

import os

import click
import marshmallow as ma
from flask.cli import with_appcontext

from . import services
from .schemas import RegisterSchema


@click.command("create-superuser")
@with_appcontext
def create_superuser() -> None:
    """Create an active superuser; an email already registered changes nothing (exit 1)."""
    email, password = os.environ.get("SUPERUSER_EMAIL"), os.environ.get("SUPERUSER_PASSWORD")
    if not (email and password):
        email = click.prompt("Email")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        data = RegisterSchema().load({"email": email, "password": password})
    except ma.ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.messages_dict.items()
        )
        raise click.ClickException(problems) from None
    try:
        user = services.create_user(data["email"], data["password"], is_superuser=True)
    except services.EmailTakenError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created superuser {user.email}")
