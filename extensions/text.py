"""Small text filters for rendering answers safely into generated files.

Loaded by path through copier-template-extensions: keep it self-contained.
"""

from __future__ import annotations

import json
import re

from jinja2 import Environment
from jinja2.ext import Extension


def slugify(value: str) -> str:
    """A project name made into a slug: 'My Service 2' -> 'my-service-2'."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's for one-line text."""
    return json.dumps(value, ensure_ascii=False)


class TextExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(slugify=slugify, toml_string=toml_string)
