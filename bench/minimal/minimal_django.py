"""The Django reference point: the starter's stack in one file, nothing else.

Django's ORM on psycopg 3 with Django's connection pool sized to the worker's threads,
served by granian with the starter's threads; plain JSON views, no API framework, no
middleware, no admin.
"""

import json
import os

import django
import environ
from django.conf import settings

database = environ.Env.db_url_config(os.environ["DATABASE_URL"])
database["OPTIONS"] = {
    "pool": {"min_size": 1, "max_size": int(os.environ.get("WEB_THREADS", "4")), "timeout": 10}
}
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-" + "x" * 50,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["minimal_django"],
    DATABASES={"default": database},
    USE_TZ=True,
    MIDDLEWARE=[],
)
django.setup()

from django.db import models  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


class Item(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "minimal_django"
        db_table = "items_item"  # the starter's table


FIELDS = ("id", "name", "description", "created_at")


def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@csrf_exempt
def items(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        data = json.loads(request.body)
        item = Item.objects.create(name=data["name"], description=data.get("description"))
        return JsonResponse({field: getattr(item, field) for field in FIELDS}, status=201)
    limit = int(request.GET.get("limit", 20))
    offset = int(request.GET.get("offset", 0))
    page = list(Item.objects.order_by("id").values(*FIELDS)[offset : offset + limit])
    return JsonResponse({"items": page, "total": Item.objects.count()})


urlpatterns = [path("health/live", live), path("api/items", items)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
