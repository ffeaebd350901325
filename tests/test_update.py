"""`copier update` round trips: a team's edits survive, template changes arrive.

A throw-away git repository of the template gets two tags, as Copier's docs recommend:
v1.0.0 is the template as it is in this working tree; v1.1.0 moves it on the way real
releases do (a shared file changes, a file is added, a question is renamed with a
`_migrations` entry, and the engine changes its tie-break so it would now recommend
another framework).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy, run_update

from conftest import IDENTITY, read_answers
from harness import copy_template, project_environment, run

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "stackpick tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "stackpick tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}

FRAMEWORKS = ["fastapi", "flask", "django", "litestar", "django_fastapi"]

# What v1.1.0 changes in the shared Makefile: the help of `make test`, which the stack profile
# holds (the conflict case edits the same line).
OLD_TEST_HELP = "Run the tests (SQLite; set DATABASE_URL to test against a server)"
NEW_TEST_HELP = "Run the test suite (SQLite; DATABASE_URL points it at a server)"
OLD_TEST_LINE = f"test: ## {OLD_TEST_HELP}"
NEW_TEST_LINE = f"test: ## {NEW_TEST_HELP}"
NEW_FILE = "docs/runbook.md"


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**project_environment(), **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def release_v1_1(repo: Path) -> None:
    """The template's next minor release."""
    edit(repo / "extensions/profiles.py", f'"{OLD_TEST_HELP}"', f'"{NEW_TEST_HELP}"')
    (repo / "template/docs/runbook.md.jinja").write_text(
        "# {{ project_name }} runbook\n\nWhat to do when `/health/ready` answers 503.\n"
    )
    # Rename a question, carrying recorded answers over with a migration.
    copier_yml = repo / "copier.yml"
    edit(copier_yml, "\nauthor_name:\n", "\nmaintainer_name:\n")
    edit(
        copier_yml,
        "{{ author_name | author_name_error }}",
        "{{ maintainer_name | author_name_error }}",
    )
    config = copier_yml.read_text()
    copier_yml.write_text(
        config.replace(
            "_answers_file: .copier-answers.yml\n",
            "_answers_file: .copier-answers.yml\n\n"
            "_migrations:\n"
            "  - version: v1.1.0\n"
            "    when: \"{{ _stage == 'before' }}\"\n"
            '    command: ["{{ _copier_python }}", "-c", '
            "\"import pathlib, re; p = pathlib.Path('.copier-answers.yml'); "
            "p.write_text(re.sub(r'(?m)^author_name:', 'maintainer_name:', p.read_text()))\"]\n",
            1,
        )
    )
    for template in (repo / "template").rglob("*.jinja"):
        text = template.read_text()
        if "author_name" in text:
            template.write_text(text.replace("author_name", "maintainer_name"))
    # Tie-breaks now favour Django first: the same answers would recommend Django.
    edit(
        repo / "extensions/recommendation.py",
        'FRAMEWORKS: Final = ("fastapi", "django", "flask")',
        'FRAMEWORKS: Final = ("django", "fastapi", "flask")',
    )


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_template(tmp_path_factory.mktemp("template-repo"))
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", "-f", cwd=repo)
    git("commit", "-q", "-m", "v1.0.0", cwd=repo)
    git("tag", "v1.0.0", cwd=repo)
    release_v1_1(repo)
    git("add", "-A", "-f", cwd=repo)
    git("commit", "-q", "-m", "v1.1.0", cwd=repo)
    git("tag", "v1.1.0", cwd=repo)
    return repo


def generate_at_v1(template_repo: Path, destination: Path, **answers: Any) -> Path:
    run_copy(
        str(template_repo),
        destination,
        data={**IDENTITY, **answers},
        vcs_ref="v1.0.0",
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    git("init", "-q", "-b", "main", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-q", "-m", "Generate from stackpick v1.0.0", cwd=destination)
    return destination


def update_to_v1_1(project: Path) -> None:
    run_update(
        project,
        vcs_ref="v1.1.0",
        defaults=True,
        overwrite=True,
        unsafe=True,
        quiet=True,
        conflict="inline",
    )


def unmerged_files(project: Path) -> str:
    return git("ls-files", "-u", cwd=project)


def files_with_conflict_markers(project: Path) -> list[str]:
    tracked = set(git("ls-files", "-co", "--exclude-standard", cwd=project).split())
    return [
        name
        for name in sorted(tracked)
        if (project / name).is_file() and "<<<<<<< " in (project / name).read_text(errors="replace")
    ]


def python_module(project: Path, framework: str) -> Path:
    """A generated module the team edits (the health routes exist in every framework)."""
    candidates = sorted(project.rglob("health*.py")) + sorted(project.rglob("*/health/*.py"))
    candidates = [
        path for path in candidates if ".venv" not in path.parts and "tests" not in path.parts
    ]
    assert candidates, f"no health module in the {framework} project"
    return candidates[0]


@pytest.mark.runtime
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_update_keeps_team_edits_and_brings_template_changes(
    template_repo: Path, tmp_path: Path, framework: str
) -> None:
    project = generate_at_v1(template_repo, tmp_path / "service", framework=framework)
    dotenv = project / ".env"  # only where the stack signs something (Django)
    secret_before = dotenv.read_text() if dotenv.exists() else None

    # The team's edits.
    with (project / "README.md").open("a") as readme:
        readme.write("\n## Team notes\n\nOn call: the billing squad.\n")
    module = python_module(project, framework)
    module.write_text(module.read_text() + "\n\n# Team: probes are scraped every 10 s.\n")
    (project / "CONTRIBUTING.md").write_text("# Contributing\n\nAsk in #billing.\n")
    (project / ".pre-commit-config.yaml").unlink()
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "Team edits", cwd=project)

    update_to_v1_1(project)

    assert unmerged_files(project) == ""
    assert files_with_conflict_markers(project) == []
    assert "On call: the billing squad." in (project / "README.md").read_text()
    assert module.read_text().endswith("# Team: probes are scraped every 10 s.\n")
    assert (project / "CONTRIBUTING.md").read_text().startswith("# Contributing")
    assert not (project / ".pre-commit-config.yaml").exists(), "a deleted file stays deleted"
    assert NEW_TEST_LINE in (project / "Makefile").read_text()
    assert (project / NEW_FILE).read_text().startswith("# Demo Service runbook")
    if secret_before is None:
        assert not dotenv.exists(), "no .env appears on update"
    else:
        assert dotenv.read_text() == secret_before, ".env is never re-rendered"

    answers = read_answers(project)
    assert answers["_commit"] == "v1.1.0"
    assert answers["framework"] == framework, "the framework answer is kept"
    assert answers["maintainer_name"] == IDENTITY["author_name"], "the migration renamed it"
    assert "author_name" not in answers
    assert not [key for key in answers if "secret" in key.lower()]
    if secret_before is not None:
        secret = secret_before.split("SECRET_KEY=", 1)[1].split()[0]
        assert secret not in (project / ".copier-answers.yml").read_text()

    env = project_environment()
    run(["make", "install", "test"], project, env)


def test_update_keeps_the_framework_even_when_the_recommendation_changes(
    template_repo: Path, tmp_path: Path
) -> None:
    # The questionnaire's defaults tie FastAPI and Django; v1.0.0 breaks the tie for FastAPI,
    # v1.1.0 for Django.
    project = generate_at_v1(template_repo, tmp_path / "service")
    assert read_answers(project)["framework"] == "fastapi"
    update_to_v1_1(project)
    answers = read_answers(project)
    assert answers["_commit"] == "v1.1.0"
    assert answers["framework"] == "fastapi"
    assert (project / "pyproject.toml").read_text().count("fastapi") >= 1


def test_update_marks_conflicts_inline_instead_of_dropping_edits(
    template_repo: Path, tmp_path: Path
) -> None:
    project = generate_at_v1(template_repo, tmp_path / "service")
    team_line = "test: ## Our tests: run before every push"
    edit(project / "Makefile", OLD_TEST_LINE, team_line)
    git("commit", "-q", "-am", "Team rewords the test target", cwd=project)

    update_to_v1_1(project)

    makefile = (project / "Makefile").read_text()
    assert files_with_conflict_markers(project) == ["Makefile"]
    assert "<<<<<<< " in makefile and ">>>>>>> " in makefile
    assert team_line in makefile, "the team's edit is still there"
    assert NEW_TEST_LINE in makefile, "the template's change is offered beside it"


def check_update_exit_code(project: Path) -> int:
    """`copier check-update --quiet`: 2 when a newer tag exists, 0 when up to date."""
    copier = shutil.which("copier")
    assert copier
    result = subprocess.run(
        [copier, "check-update", "--quiet"],
        cwd=project,
        env=project_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in {0, 2}, result.stdout + result.stderr
    return result.returncode


def test_check_update_tells_ci_when_a_project_is_behind(
    template_repo: Path, tmp_path: Path
) -> None:
    project = generate_at_v1(template_repo, tmp_path / "service")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert (answers["_src_path"], answers["_commit"]) == (str(template_repo), "v1.0.0")
    assert check_update_exit_code(project) == 2
    update_to_v1_1(project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "Update to stackpick v1.1.0", cwd=project)
    assert check_update_exit_code(project) == 0


def test_a_project_from_before_the_auth_question_gets_no_users_on_update(
    template_repo: Path, tmp_path: Path
) -> None:
    """Answers that would suggest users for a new project (a CRUD app with an admin screen)
    must not switch sign-in on for an existing one: its clients would all start failing."""
    project = generate_at_v1(
        template_repo,
        tmp_path / "service",
        framework="fastapi",
        primary_function="crud_app",
        needs_admin_ui=True,
        auth="none",
    )
    answers_file = project / ".copier-answers.yml"
    lines = answers_file.read_text().splitlines(keepends=True)
    answers_file.write_text("".join(line for line in lines if not line.startswith("auth:")))
    git(
        "commit",
        "-q",
        "-am",
        "Answers as a project from before the auth question has them",
        cwd=project,
    )

    update_to_v1_1(project)

    assert read_answers(project)["auth"] == "none"
    assert "/api/auth" not in (project / "README.md").read_text()
