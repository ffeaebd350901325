"""Every extension the app uses, created once here and initialised in `create_app`."""

from typing import Any

import flask_smorest
from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from .database import WITHOUT_TRANSACTION
from .errors import DATABASE_UNAVAILABLE, ErrorSchema, error_response, unavailable_response
from .orm import Base
from .routing import IdConverter, id_parameter_schema
from .strict_json import StrictJsonParser


class Api(flask_smorest.Api):  # type: ignore[misc]  # flask-smorest is untyped
    """flask-smorest's Api, answering every HTTP error in the project's JSON shape."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app: Flask, **kwargs: Any) -> None:
        super().init_app(app, **kwargs)
        # flask-smorest documents a response per HTTP status; a 503 also says when to retry.
        self.spec.components.response(
            DATABASE_UNAVAILABLE,
            unavailable_response("The database is unreachable; try again later"),
            lazy=True,
        )

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        return error_response(error)


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]  # flask-smorest is untyped
    """flask-smorest's Blueprint, reading JSON bodies strictly (see strict_json.py)."""

    ARGUMENTS_PARSER = StrictJsonParser()


# Models subclass `Base` itself rather than `db.Model` (a class made at run time, which type
# checkers cannot follow); both share one registry, so `db.metadata` holds every table.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def read_without_transaction() -> Connection:
    """The request's connection, for a request that only reads: no BEGIN, no COMMIT.

    Each statement then sees the database as it is when it runs, so a request that reads with
    one statement (or whose reads need not agree with each other) needs no transaction. Call
    it before the request's first query; a session that has begun a transaction keeps it.
    """
    session = db.session()
    if session.in_transaction():
        return session.connection()
    return session.connection(execution_options=WITHOUT_TRANSACTION)


def end_session(error: BaseException | None) -> None:
    """End the request's session, also when the database went away after its last query.

    Closing rolls back on the connection; when that fails the view has answered already, and
    the failure escaped Flask as a server error without a body. The connection is lost either
    way: give it up without the rollback (Flask-SQLAlchemy's own clean-up then has nothing to
    do). Register it after `db.init_app`, so that it runs first.
    """
    try:
        db.session.remove()
    except DBAPIError as lost:
        current_app.logger.warning("database lost while closing the session: %s", lost.orig)
        db.session().invalidate()
        db.session.remove()


# Batch mode lets migrations alter tables on SQLite, which cannot ALTER most things; on other
# databases it runs plain ALTER statements.
migrate = Migrate(render_as_batch=True)

api = Api()
# Path parameters such as `<id:item_id>` are documented as the integers they accept.
api.register_converter(IdConverter, id_parameter_schema)
