"""The README's quick start works as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from conftest import read_answers
from harness import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[1] == "uv run pytest"
    ci_script = (REPO_ROOT / ".ci/run").read_text()
    assert re.search(rf"^{re.escape(commands[1])}$", ci_script, re.M)


def test_quick_start_generates_a_project(template_dir: Path, tmp_path: Path) -> None:
    uvx = shutil.which("uvx")
    assert uvx, "uv must be installed to run the quick start"
    argv = shlex.split(quick_start_commands()[0])
    assert argv[:3] == ["uvx", "--with", "copier-template-extensions"]
    destination = tmp_path / "my-service"
    argv = [uvx, *argv[1:-1], str(destination), "--defaults"]
    result = subprocess.run(
        argv, cwd=template_dir, capture_output=True, text=True, env=os.environ, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "stackpick recommends FastAPI" in result.stdout + result.stderr
    assert read_answers(destination)["framework"] == "fastapi"
    assert (destination / "docs/adr/0001-web-framework.md").is_file()


def test_the_repository_cites_no_document_outside_itself() -> None:
    """Code, tests and docs state the contract themselves (README, docs/contract.md): a
    newcomer cannot open a specification that lives outside this repository."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    # Built from pieces, so that this file does not cite what it looks for.
    spec, shared = "SP" + "EC", "../" + "shared"
    outside = re.compile(rf"\b{spec}\b|{re.escape(shared)}\b")
    citing = [
        name
        for name in tracked
        if (REPO_ROOT / name).is_file()
        and outside.search((REPO_ROOT / name).read_text(errors="ignore"))
    ]
    assert citing == []
