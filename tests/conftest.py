"""Shared fixtures: an isolated copy of the template and a way to render it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy

from harness import copy_template

# A project identity that passes every validator; tests override single answers.
IDENTITY: dict[str, Any] = {
    "project_name": "Demo Service",
    "author_name": "Demo Team",
    "author_email": "team@example.com",
}

Generate = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated_copier(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep a developer's personal Copier settings (defaults, trust) out of the tests."""
    settings = tmp_path_factory.getbasetemp() / "copier-settings.yml"
    settings.write_text("{}\n")
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is in the working tree, outside git, so tests see uncommitted edits."""
    return copy_template(tmp_path_factory.mktemp("stackpick"))


@pytest.fixture
def generate(template_dir: Path, tmp_path: Path) -> Generate:
    """Render the template non-interactively with the given answers; return the project dir."""

    def _generate(name: str = "project", **answers: Any) -> Path:
        destination = tmp_path / name
        run_copy(
            str(template_dir),
            destination,
            data={**IDENTITY, **answers},
            defaults=True,
            unsafe=True,
            quiet=True,
        )
        return destination

    return _generate


def read_answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers
