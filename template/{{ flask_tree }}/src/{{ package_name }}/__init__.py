"""The application factory: `create_app()` builds a configured app.

`flask --app <package>` and the production server (`python -m <package>`) both call
it; nothing creates an app at import time.
"""

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from . import health, items
from .config import Config, config_from_environment
from .database import begin_transactions_explicitly, replace_connections_the_server_closed
from .docs import swagger_ui_assets
from .errors import DATABASE_UNAVAILABLE_ERRORS, database_unavailable
from .extensions import api, db, end_session, migrate
from .routing import IdConverter
from .strict_json import OrjsonProvider, refuse_declared_large_bodies


class NoCookieSessions(SecureCookieSessionInterface):
    """The API is stateless: requests get Flask's null session instead of a cookie session.

    Opening a cookie session costs every request a signing serializer that an API without
    cookies never uses. Drop this (in create_app) when something needs `flask.session`.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        return None


def create_app(config: Config | None = None) -> Flask:
    """An app for `config` (by default the one ENVIRONMENT names), checked before use."""
    config = config or config_from_environment()
    config.validate()

    app = Flask(__name__)
    app.config.from_object(config)
    app.logger.setLevel(app.config["LOG_LEVEL"])
    app.session_interface = NoCookieSessions()
    app.json = OrjsonProvider(app)
    # Before any route uses it: `<id:item_id>` accepts ASCII digits only.
    app.url_map.converters["id"] = IdConverter
    app.before_request(refuse_declared_large_bodies)
    for error in DATABASE_UNAVAILABLE_ERRORS:
        app.register_error_handler(error, database_unavailable)

    db.init_app(app)
    app.teardown_appcontext(end_session)
    with app.app_context():
        for engine in db.engines.values():
            begin_transactions_explicitly(engine)
            if not app.config["DB_POOL_PRE_PING"]:
                replace_connections_the_server_closed(engine)
    migrate.init_app(app, db)
    api.init_app(app)

    app.register_blueprint(swagger_ui_assets)
    api.register_blueprint(health.blp)
    api.register_blueprint(items.blp)
    return app
