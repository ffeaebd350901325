import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    """`makemigrations --check`: the models have no change without a migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_migrations_unapply_and_reapply_cleanly() -> None:
    call_command("migrate", "items", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
