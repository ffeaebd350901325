"""Every shared answers file in presets/ generates a project with the framework it promises."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import IDENTITY, read_answers
from harness import REPO_ROOT, project_environment, run
from recommendation import recommend

PRESETS = sorted((REPO_ROOT / "presets").glob("*.yml"))


def promised_framework(preset: Path) -> str:
    match = re.search(r"^# Expect (\w+)", preset.read_text(), re.M)
    assert match, f"{preset.name} must say which framework to expect"
    return match.group(1).lower()


def test_there_are_presets() -> None:
    assert len(PRESETS) >= 3


def generate_from_preset(template_dir: Path, destination: Path, preset: Path) -> Path:
    """As a team would run it: the shared file plus this service's own identity."""
    identity = [arg for key, value in IDENTITY.items() for arg in ("--data", f"{key}={value}")]
    copier = shutil.which("copier")
    assert copier
    subprocess.run(
        [
            copier,
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--data-file",
            str(preset),
            *identity,
            str(template_dir),
            str(destination),
        ],
        check=True,
    )
    return destination


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_preset_generates_its_framework(template_dir: Path, tmp_path: Path, preset: Path) -> None:
    data = yaml.safe_load(preset.read_text())
    expected = promised_framework(preset)
    assert recommend(data).framework == expected
    generate_from_preset(template_dir, tmp_path / preset.stem, preset)
    answers = read_answers(tmp_path / preset.stem)
    assert answers["framework"] == expected
    assert {k: answers[k] for k in data} == data


@pytest.mark.runtime
@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_preset_project_passes_its_own_tests(
    template_dir: Path, tmp_path: Path, preset: Path
) -> None:
    project = generate_from_preset(template_dir, tmp_path / preset.stem, preset)
    run(["make", "install", "test"], project, project_environment())
