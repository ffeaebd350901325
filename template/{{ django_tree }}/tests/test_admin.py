import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from .conftest import create_item

pytestmark = pytest.mark.django_db


def test_admin_lives_at_the_configured_path() -> None:
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_admin_lists_and_edits_items(admin_client: Client) -> None:
    item = create_item(admin_client, name="Widget")
    response = admin_client.get(reverse("admin:items_item_changelist"))
    assert response.status_code == 200
    assert "Widget" in response.content.decode()
    response = admin_client.get(reverse("admin:items_item_change", args=[item["id"]]))
    assert response.status_code == 200


def test_admin_requires_a_staff_login(client: Client) -> None:
    response = client.get(reverse("admin:items_item_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_says_what_it_saved(admin_client: Client) -> None:
    """The admin's messages are kept in its session, not in a cookie, and shown once."""
    saved = admin_client.post(reverse("admin:items_item_add"), {"name": "Gadget"})
    assert saved.status_code == 302
    assert "messages" not in saved.cookies
    page = admin_client.get(saved["Location"]).content.decode()
    assert "was added successfully" in page and "Gadget" in page
    again = admin_client.get(saved["Location"]).content.decode()
    assert "was added successfully" not in again
