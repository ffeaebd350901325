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


class Questionnaire:
    """copier copy on a pseudo-terminal, answered key by key as a person would."""

    def __init__(self, template_dir: Path, destination: Path) -> None:
        copier = shutil.which("copier")
        assert copier, "copier must be installed in the test environment"
        self.child = pexpect.spawn(
            copier,
            ["copy", "--trust", str(template_dir), str(destination)],
            # No cursor-position requests: nobody on this pty would answer them.
            env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
            encoding="utf-8",
            timeout=30,
            dimensions=(60, 200),
        )

    def answer(self, question: str, keys: str) -> None:
        self.child.expect_exact(question)
        self.child.send(keys)

    def identity(self) -> None:
        self.answer("Project name", ENTER)  # default derived from the folder
        self.answer("Slug for the distribution", ENTER)
        self.answer("Python package name", ENTER)
        self.answer("One-line description", ENTER)
        self.answer("Author or team name", CLEAR + "Billing Team" + ENTER)
        self.answer("Author or team email", CLEAR + "billing@example.com" + ENTER)
        self.answer("Lowest Python version", ENTER)

    def framework_prompt(self) -> str:
        """The framework question's help and choices, up to the starred one; accepts it."""
        self.child.expect_exact("Which framework will you use?")
        prompt = ANSI.sub("", text(self.child.before) + text(self.child.after))
        self.child.expect_exact("★ recommended")
        prompt += ANSI.sub("", text(self.child.before) + text(self.child.after))
        self.child.send(ENTER)
        return prompt

    def prompt_until(self, question: str, end: str) -> str:
        """The text of `question`'s prompt up to `end`, without answering it."""
        self.child.expect_exact(question)
        prompt = text(self.child.after)
        self.child.expect_exact(end)
        return ANSI.sub("", prompt + text(self.child.before) + text(self.child.after))

    def finish(self) -> str:
        """What Copier printed after the last question; the run must succeed."""
        self.child.expect(pexpect.EOF)
        output = ANSI.sub("", text(self.child.before))
        self.child.close()
        assert self.child.exitstatus == 0, output
        return output


pseudo_terminal = pytest.mark.skipif(
    sys.platform == "win32", reason="pexpect needs a POSIX pseudo-terminal"
)


@pseudo_terminal
def test_interactive_prompt_shows_the_star_and_the_reasons(
    template_dir: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "billing-service"
    session = Questionnaire(template_dir, destination)
    session.identity()
    session.answer("main job?", UP + ENTER)  # public_api -> crud_app
    session.answer("confident is the team", DOWN + ENTER)  # mixed -> low
    session.answer("How soon must the first version work?", UP + ENTER)  # runway -> tight
    session.answer("need a screen to view", "y")
    session.answer("fleet of services?", ENTER)  # one_app
    session.answer("ML or AI on the roadmap", "n")
    session.answer("raw throughput per server", "n")
    framework_prompt = session.framework_prompt()
    session.answer("Which database", ENTER)
    session.answer("Which API layer should the Django project use?", ENTER)  # ninja
    session.answer("Cache item reads in Redis?", ENTER)  # no cache
    # taskiq is shown but refused beside a synchronous request path, with the reason.
    jobs_prompt = session.prompt_until("Run background jobs on a worker?", "is synchronous")
    session.child.send(DOWN + ENTER)  # none -> celery (the cursor skips the refused taskiq)
    session.answer("Which broker carries the jobs?", DOWN + ENTER)  # rabbitmq
    session.answer("Users who sign in?", ENTER)  # the default, which the answers made users
    output = session.finish()

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
    assert answers["cache"] == "none"
    assert "taskiq runs tasks on asyncio" in jobs_prompt
    assert "Django's request path is synchronous" in jobs_prompt
    assert (answers["task_queue"], answers["broker"]) == ("celery", "rabbitmq")
    assert answers["auth"] == "users"  # an admin screen and a CRUD app: people sign in
    adr = (destination / "docs/adr/0001-web-framework.md").read_text()
    assert adr.startswith("# 1. Use Django as the web framework")


@pseudo_terminal
def test_throughput_first_stars_litestar(template_dir: Path, tmp_path: Path) -> None:
    destination = tmp_path / "pricing-api"
    session = Questionnaire(template_dir, destination)
    session.identity()
    session.answer("main job?", ENTER)  # public_api
    session.answer("confident is the team", UP + ENTER)  # mixed -> high
    session.answer("How soon must the first version work?", ENTER)  # runway
    session.answer("need a screen to view", "n")
    session.answer("fleet of services?", DOWN + ENTER)  # fleet
    session.answer("ML or AI on the roadmap", "n")
    session.answer("raw throughput per server", "y")
    framework_prompt = session.framework_prompt()
    session.answer("Which database", ENTER)
    session.answer("Cache item reads in Redis?", ENTER)  # no cache
    session.answer("Run background jobs on a worker?", UP + ENTER)  # none -> taskiq
    session.answer("Which broker carries the jobs?", ENTER)  # redis
    session.answer("Users who sign in?", ENTER)  # the default: none for a public API
    output = session.finish()

    assert (
        "Recommended: Litestar (votes: FastAPI 4, Django 0, Flask 1; rule throughput_first"
        in framework_prompt
    )
    assert "Litestar ★ recommended" in framework_prompt
    assert "Throughput per server a top priority = yes -> none" in framework_prompt
    assert "stackpick recommends Litestar" in output
    answers = read_answers(destination)
    assert answers["framework"] == "litestar"
    assert (answers["task_queue"], answers["broker"]) == ("taskiq", "redis")
    assert answers["auth"] == "none"
