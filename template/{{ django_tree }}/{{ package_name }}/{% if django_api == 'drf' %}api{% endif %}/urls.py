"""The JSON API's URLs, under /api/: the items, the OpenAPI document and its docs page."""

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from ..items.views import ItemViewSet

# Django's path syntax, so that item URLs use the `id` converter (see ItemViewSet).
router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("items", ItemViewSet, basename="item")

urlpatterns = [
    *router.urls,
    # Served as plain application/json, whatever the client asks for.
    path(
        "openapi.json",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer2]),
        name="openapi",
    ),
    path("docs", SpectacularSwaggerView.as_view(url_name="openapi"), name="docs"),
]
