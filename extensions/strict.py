"""Fail the render on a name that is not defined, instead of rendering it as empty text.

Jinja's default renders an undefined name as "", so a value missing from a stack profile
would quietly write `=value` into `.env` or an empty key into `compose.yaml`. With
StrictUndefined, using such a name (printing it, testing it, iterating over it) raises, and
Copier stops with the name in the error.

Loaded by path through copier-template-extensions: keep it self-contained.
"""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined
from jinja2.ext import Extension


class StrictUndefinedExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.undefined = StrictUndefined
