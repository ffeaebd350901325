"""Every extension the app uses, created once here and initialised in `create_app`."""

import flask_smorest
from flask.typing import ResponseReturnValue
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

from .database import Base
from .errors import ErrorSchema, error_response


class Api(flask_smorest.Api):  # type: ignore[misc]  # flask-smorest is untyped
    """flask-smorest's Api, answering every HTTP error in the project's JSON shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        return error_response(error)


# Models subclass `Base` itself rather than `db.Model` (a class made at run time, which type
# checkers cannot follow); both share one registry, so `db.metadata` holds every table.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# Batch mode lets migrations alter tables on SQLite, which cannot ALTER most things; on other
# databases it runs plain ALTER statements.
migrate = Migrate(render_as_batch=True)

api = Api()
