"""The reports API's response body (marshmallow); POST takes no body."""

import marshmallow as ma
from marshmallow import fields

from ..items.schemas import Timestamp
from .models import ReportStatus


class ReportResultSchema(ma.Schema):
    items = fields.Integer(
        required=True, metadata={"description": "How many items there were when the job ran"}
    )


class ReportSchema(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(
        required=True, metadata={"enum": [status.value for status in ReportStatus]}
    )
    result = fields.Nested(
        ReportResultSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Null until the report has succeeded"},
    )
    created_at = Timestamp(required=True)
    finished_at = Timestamp(
        required=True,
        allow_none=True,
        metadata={"description": "When the job succeeded or gave up; null until then"},
    )
