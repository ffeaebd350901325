"""Swagger UI's scripts and styles, served by the app itself.

flask-smorest's page at /api/docs loads them from OPENAPI_SWAGGER_UI_URL; they come from the
flask-swagger-ui package (which follows Swagger UI's releases) instead of a CDN, so the docs
work without internet access, behind a proxy or under a strict content security policy.
"""

from importlib.resources import files

from flask import Blueprint

SWAGGER_UI_URL = "/api/docs/swagger-ui/"

swagger_ui_assets = Blueprint(
    "swagger_ui_assets",
    __name__,
    static_folder=str(files("flask_swagger_ui") / "dist"),
    static_url_path=SWAGGER_UI_URL.rstrip("/"),
)
