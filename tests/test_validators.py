"""The answer checks accept ordinary answers (the refusals are tested through Copier)."""

from __future__ import annotations

import pytest

from text import slugify, toml_string
from validators import (
    author_email_error,
    author_name_error,
    database_error,
    description_error,
    package_name_error,
    project_name_error,
    project_slug_error,
)


@pytest.mark.parametrize(
    "name", ["Billing Service", "api-gateway", "Ledger v2.1", "X", "k8s_probe"]
)
def test_good_project_names(name: str) -> None:
    assert project_name_error(name) == ""


@pytest.mark.parametrize("slug", ["billing-service", "api2", "a", "ledger-v2-eu"])
def test_good_slugs(slug: str) -> None:
    assert project_slug_error(slug) == ""


@pytest.mark.parametrize("package", ["billing_service", "api2", "ledger", "my_app_3"])
def test_good_package_names(package: str) -> None:
    assert package_name_error(package) == ""


def test_good_free_text() -> None:
    assert description_error("") == ""
    assert description_error("Invoices, credit notes & payouts — for the EU.") == ""
    assert author_name_error("Zoë O'Brien") == ""
    assert author_email_error("billing+ops@example.co.uk") == ""


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Billing Service", "billing-service"), ("Ledger v2.1", "ledger-v2-1"), ("  A__b ", "a-b")],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert project_slug_error(slug) == ""


def test_toml_string_escapes_quotes_and_backslashes() -> None:
    assert toml_string('say "hi" \\ bye') == '"say \\"hi\\" \\\\ bye"'


def test_each_framework_names_the_databases_it_cannot_use() -> None:
    assert database_error("sqlite", "django_fastapi").startswith(
        "Django + FastAPI runs two services that write to one database"
    )
    for framework in ("fastapi", "django", "flask", "litestar", "django_fastapi"):
        for database in ("postgresql", "mysql"):
            assert database_error(database, framework) == ""
    for framework in ("fastapi", "django", "flask", "litestar"):
        assert database_error("sqlite", framework) == ""
