"""Small text filters for rendering answers safely into generated files.

Loaded by path through copier-template-extensions: keep it self-contained.
"""

from __future__ import annotations

import json
import re
import secrets
import textwrap

from jinja2 import Environment
from jinja2.ext import Extension


def slugify(value: str) -> str:
    """A project name made into a slug: 'My Service 2' -> 'my-service-2'."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's for one-line text."""
    return json.dumps(value, ensure_ascii=False)


def py_string(value: str) -> str:
    """A Python string literal quoted the way ruff format would quote it."""
    literal = json.dumps(value, ensure_ascii=False)
    if '"' in value and "'" not in value:
        # Fewer escapes with single quotes, which is what the formatter picks.
        return "'" + literal[1:-1].replace('\\"', '"') + "'"
    return literal


def paragraph(text: str, width: int = 95, indent: str = "") -> str:
    """Prose written over several source lines, re-wrapped as one paragraph of `width` columns.

    Partials keep their prose readable in the template and still render well-wrapped lines
    whatever the answers inserted into them; continuation lines start with `indent` (for a list
    item's text).
    """
    lines = textwrap.wrap(
        " ".join(text.split()), width, break_long_words=False, break_on_hyphens=False
    )
    return ("\n" + indent).join(lines)


def random_secret(length: int = 50) -> str:
    """A fresh URL-safe random secret of about `length` characters, for development .env files."""
    return secrets.token_urlsafe(length)[:length]


class TextExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            slugify=slugify, toml_string=toml_string, py_string=py_string, paragraph=paragraph
        )
        environment.globals["random_secret"] = random_secret
