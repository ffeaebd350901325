"""The reports blueprint: POST starts a report's job, GET tells how far it got."""

from http import HTTPStatus

from flask import url_for
from flask.typing import ResponseReturnValue
from flask.views import MethodView

from ..errors import documented_errors, unavailable_response
from ..extensions import Blueprint
from . import services
from .models import Report
from .schemas import ReportSchema

blp = Blueprint(
    "reports", __name__, url_prefix="/api/reports", description="The example background job"
)

# Anything but an id (ASCII digits, 1..2**31-1) matches no route: 404, never a database error.
REPORT_URL = "/<id:report_id>"

NOT_FOUND, TOO_LARGE, UNAVAILABLE = (
    HTTPStatus.NOT_FOUND,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    HTTPStatus.SERVICE_UNAVAILABLE,
)

LOCATION = {
    "Location": {
        "description": "Where to read the report: /api/reports/{id}",
        "schema": {"type": "string"},
    }
}
# Starting a report needs the broker as well as the database.
START_UNAVAILABLE = unavailable_response(
    "The database or the job queue is unreachable; nothing was kept, try again"
)


@blp.errorhandler(services.ReportNotFoundError)
def report_not_found(error: services.ReportNotFoundError) -> ResponseReturnValue:
    return {"detail": str(error)}, HTTPStatus.NOT_FOUND


@blp.route("")
class Reports(MethodView):
    # No arguments: a request body is ignored (MAX_BODY_SIZE still refuses a large one).
    @blp.response(HTTPStatus.ACCEPTED, ReportSchema, headers=LOCATION)
    @blp.doc(responses={**documented_errors(TOO_LARGE), UNAVAILABLE: START_UNAVAILABLE})
    def post(self) -> tuple[Report, dict[str, str]]:
        """Start a report: stored as pending, its job enqueued. Poll the Location answered."""
        report = services.start_report()
        return report, {"Location": url_for(".ReportById", report_id=report.id)}


@blp.route(REPORT_URL)
class ReportById(MethodView):
    @blp.response(HTTPStatus.OK, ReportSchema)
    @blp.doc(responses=documented_errors(NOT_FOUND, UNAVAILABLE))
    def get(self, report_id: int) -> Report:
        """Read a report: its status, and its result once it has succeeded."""
        return services.read_report(report_id)
