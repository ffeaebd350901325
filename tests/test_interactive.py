"""Drive the real interactive prompt in a pseudo-terminal, as a person would."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import read_answers

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
CLEAR = "\x15"  # Ctrl-U: clear the pre-filled default
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def text(seen: object) -> str:
    """What pexpect read (`before`, or the match in `after`): text, on an encoded spawn."""
    assert isinstance(seen, str), seen
    return seen


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pseudo-terminal")
def test_interactive_prompt_shows_the_star_and_the_reasons(
    template_dir: Path, tmp_path: Path
) -> None:
    copier = shutil.which("copier")
    assert copier, "copier must be installed in the test environment"
    destination = tmp_path / "billing-service"
    child = pexpect.spawn(
        copier,
        ["copy", "--trust", str(template_dir), str(destination)],
        # No cursor-position requests: nobody on this pty would answer them.
        env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=30,
        dimensions=(60, 200),
    )
    transcript: list[str] = []

    def answer(question: str, keys: str) -> None:
        child.expect_exact(question)
        transcript.append(text(child.before) + question)
        child.send(keys)

    answer("Project name", ENTER)  # default derived from the folder: "Billing Service"
    answer("Slug for the distribution", ENTER)
    answer("Python package name", ENTER)
    answer("One-line description", ENTER)
    answer("Author or team name", CLEAR + "Billing Team" + ENTER)
    answer("Author or team email", CLEAR + "billing@example.com" + ENTER)
    answer("Lowest Python version", ENTER)
    answer("main job?", UP + ENTER)  # public_api -> crud_app
    answer("confident is the team", DOWN + ENTER)  # mixed -> low
    answer("How soon must the first version work?", UP + ENTER)  # runway -> tight
    answer("need a screen to view", "y")
    answer("fleet of services?", ENTER)  # one_app
    answer("ML or AI on the roadmap", "n")
    child.expect_exact("Which framework will you use?")
    framework_prompt = ANSI.sub("", text(child.before) + text(child.after))
    child.expect_exact("★ recommended")
    framework_prompt += ANSI.sub("", text(child.before) + text(child.after))
    child.send(ENTER)
    answer("Which database", ENTER)
    answer("Which API layer should the Django project use?", ENTER)  # ninja
    child.expect(pexpect.EOF)
    output = ANSI.sub("", text(child.before))
    child.close()

    assert child.exitstatus == 0, output
    assert (
        "Recommended: Django (votes: FastAPI 0, Django 5, Flask 2; rule majority"
        in framework_prompt
    )
    assert "Primary job = crud_app -> Django: CRUD over relational data" in framework_prompt
    assert "Admin UI for non-technical users = yes -> Django" in framework_prompt
    assert "Django ★ recommended" in framework_prompt
    assert "stackpick recommends Django" in output
    assert "You chose Django;" in output
    answers = read_answers(destination)
    assert answers["framework"] == "django"
    assert answers["project_name"] == "Billing Service"
    assert answers["author_email"] == "billing@example.com"
    assert answers["primary_function"] == "crud_app"
    assert answers["async_confidence"] == "low"
    assert answers["needs_admin_ui"] is True
    assert answers["django_api"] == "ninja"
    adr = (destination / "docs/adr/0001-web-framework.md").read_text()
    assert adr.startswith("# 1. Use Django as the web framework")
