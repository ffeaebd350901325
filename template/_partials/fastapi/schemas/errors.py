"""The error bodies every operation documents: `{"detail": ...}`, as FastAPI answers them."""

from pydantic import BaseModel


class ErrorBody(BaseModel):
    detail: str


class Problem(BaseModel):
    """One reason a request was refused. The refused value itself is never echoed back."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    detail: list[Problem]
