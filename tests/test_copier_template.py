"""Render the template through Copier's API and check what it writes."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy
from jinja2 import UndefinedError

from conftest import IDENTITY, Generate, read_answers
from harness import REPO_ROOT, copy_template
from recommendation import FRAMEWORK_NAMES, all_answer_combinations, recommend

# Questions asked of every project: not settings (_*), not computed or conditional (`when`).
QUESTION_KEYS = {
    key
    for key, question in yaml.safe_load((REPO_ROOT / "copier.yml").read_text()).items()
    if not key.startswith("_") and "when" not in question
}

# One answer set per rule and framework, taken from the engine's own enumeration.
SAMPLES: dict[tuple[str, str], dict[str, Any]] = {}
for combination in all_answer_combinations():
    result = recommend(combination)
    SAMPLES.setdefault((result.framework, result.rule), combination)


SHARED_FILES = {
    ".copier-answers.yml",
    ".dockerignore",
    ".editorconfig",
    ".env.example",
    ".gitattributes",
    ".github/workflows/ci.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".python-version",
    "Dockerfile",
    "Makefile",
    "README.md",
    "compose.yaml",
    "docs/adr/0001-web-framework.md",
    "pyproject.toml",
}


def project_files(project: Path) -> set[str]:
    """Rendered files (the copy task's fresh .git directory is not the template's output)."""
    return {
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def test_defaults_render_the_fastapi_starter(generate: Generate) -> None:
    project = generate()
    files = project_files(project)
    assert files >= SHARED_FILES
    assert {
        "alembic.ini",
        "migrations/env.py",
        "migrations/versions/0001_create_items.py",
        "src/demo_service/main.py",
        "src/demo_service/api/routes/items.py",
        "tests/conftest.py",
    } <= files
    assert not any(name.startswith("_partials") or "manage.py" in name for name in files)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "demo-service"
    assert pyproject["project"]["requires-python"] == ">=3.13"
    assert pyproject["tool"]["ruff"]["target-version"] == "py313"
    assert "asyncpg>=0.30" in pyproject["project"]["dependencies"]
    assert (project / "README.md").read_text().startswith("# Demo Service\n")


@pytest.mark.parametrize(
    ("database", "driver", "absent"),
    [
        ("postgresql", "asyncpg", "aiomysql"),
        ("mysql", "aiomysql", "asyncpg"),
        ("sqlite", "aiosqlite", "asyncpg"),
    ],
)
def test_only_the_chosen_database_driver_ships(
    generate: Generate, database: str, driver: str, absent: str
) -> None:
    pyproject = tomllib.loads((generate(database=database).joinpath("pyproject.toml")).read_text())
    runtime = " ".join(pyproject["project"]["dependencies"])
    assert driver in runtime and absent not in runtime


NINJA_FILES = {"demo_service/api.py", "demo_service/items/api.py", "demo_service/items/schemas.py"}
DRF_FILES = {
    "demo_service/api/urls.py",
    "demo_service/items/serializers.py",
    "demo_service/items/views.py",
}


@pytest.mark.parametrize(
    ("django_api", "database", "present", "absent", "drivers"),
    [
        ("ninja", "postgresql", NINJA_FILES, DRF_FILES, ["psycopg[binary]", "psycopg-pool"]),
        ("drf", "mysql", DRF_FILES, NINJA_FILES, ["mysqlclient"]),
        ("drf", "sqlite", DRF_FILES, NINJA_FILES, []),
    ],
)
def test_django_ships_only_the_chosen_api_layer_and_driver(
    generate: Generate,
    django_api: str,
    database: str,
    present: set[str],
    absent: set[str],
    drivers: list[str],
) -> None:
    project = generate(framework="django", database=database, django_api=django_api)
    files = project_files(project)
    assert {
        "manage.py",
        "demo_service/__main__.py",
        "config/settings/production.py",
        "demo_service/items/migrations/0001_initial.py",
        "tests/test_items.py",
    } | present <= files
    assert not files & absent
    assert not any(name.startswith(("src/", "migrations/")) for name in files)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    runtime = [dependency.split(">=")[0] for dependency in pyproject["project"]["dependencies"]]
    other_layer = "djangorestframework" if django_api == "ninja" else "django-ninja"
    assert other_layer not in runtime
    assert [name for name in runtime if name.startswith(("psycopg", "mysqlclient"))] == drivers


def test_development_secret_is_random_and_never_recorded(generate: Generate) -> None:
    first, second = (
        generate(name="one", framework="django"),
        generate(name="two", framework="django"),
    )
    secret_lines = [
        line
        for line in (first / ".env").read_text().splitlines()
        if line.startswith("DJANGO_SECRET_KEY=")
    ]
    assert len(secret_lines) == 1
    secret = secret_lines[0].split("=", 1)[1]
    assert len(secret) >= 50
    assert secret not in (second / ".env").read_text(), "each project gets its own secret"
    assert secret not in (first / ".copier-answers.yml").read_text()
    assert ".env" in (first / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("framework", ["fastapi", "flask", "litestar"])
def test_a_stack_that_signs_nothing_asks_for_no_secret(generate: Generate, framework: str) -> None:
    project = generate(framework=framework)
    assert not (project / ".env").exists()
    for name in (".env.example", "compose.yaml", "README.md", "Dockerfile"):
        assert "SECRET_KEY" not in (project / name).read_text(), name


@pytest.mark.parametrize("key", sorted(SAMPLES), ids=lambda key: "-".join(key))
def test_default_framework_is_the_recommendation(generate: Generate, key: tuple[str, str]) -> None:
    framework, rule = key
    project = generate(**SAMPLES[key])
    answers = read_answers(project)
    assert answers["framework"] == framework
    adr = (project / "docs/adr/0001-web-framework.md").read_text()
    assert adr.startswith(f"# 1. Use {FRAMEWORK_NAMES[framework]} as the web framework\n")
    assert f"Rule applied: `{rule}`" in adr
    assert "as recommended" in adr


def adr_votes(adr: str) -> dict[str, int]:
    section = adr.split("## Votes", 1)[1].split("##", 1)[0]
    return {
        name: int(count) for name, count in re.findall(r"^\| (\w+) \| (\d+) \|$", section, re.M)
    }


def test_adr_records_answers_votes_rule_and_flips(generate: Generate) -> None:
    # A tie broken for Django, with ML on the roadmap and too little async experience to split.
    answers = {
        **SAMPLES[("django", "move_fast")],
        "primary_function": "crud_app",
        "async_confidence": "low",
        "time_to_first_version": "tight",
        "needs_admin_ui": False,
        "service_shape": "fleet",
        "ml_on_roadmap": True,
    }
    assert recommend(answers).rule == "move_fast"
    project = generate(**answers)
    adr = (project / "docs/adr/0001-web-framework.md").read_text()
    result = recommend(answers)
    assert adr_votes(adr) == {FRAMEWORK_NAMES[f]: n for f, n in result.votes.items()}
    assert "| Primary job (`primary_function`) | `crud_app` | Django |" in adr
    assert "Rule applied: `move_fast`: a tie, broken for Django" in adr
    assert "the runner-up was FastAPI" in adr or "the runner-up was Flask" in adr
    assert "## What would change this decision" in adr
    assert re.search(r"^- .+ = `.+` would recommend (FastAPI|Flask)\.$", adr, re.M)
    assert "FastAPI inference service" in adr  # ML on the roadmap while Django wins


def test_throughput_first_adr_says_why_and_what_brings_fastapi_back(generate: Generate) -> None:
    project = generate(**SAMPLES[("litestar", "throughput_first")])
    adr = (project / "docs/adr/0001-web-framework.md").read_text()
    assert adr.startswith("# 1. Use Litestar as the web framework\n")
    assert '("maximum throughput, senior team")' in " ".join(adr.split())
    assert "stackpick recommended **Litestar**; the runner-up was FastAPI." in adr
    assert "- Throughput per server a top priority = `no` would recommend FastAPI." in adr
    # Litestar casts no vote: the table holds the three voted frameworks only.
    assert set(adr_votes(adr)) == {"FastAPI", "Django", "Flask"}


def test_override_sticks_and_is_recorded(generate: Generate) -> None:
    answers = SAMPLES[("django", "majority")]
    project = generate(**answers, framework="flask")
    assert read_answers(project)["framework"] == "flask"
    adr = (project / "docs/adr/0001-web-framework.md").read_text()
    assert adr.startswith("# 1. Use Flask as the web framework\n")
    assert "stackpick recommended **Django**" in adr
    assert "We chose **Flask** instead, overriding the recommendation." in adr


def test_answers_file_records_answers_and_nothing_else(generate: Generate) -> None:
    project = generate(framework="flask", database="sqlite")
    answers = read_answers(project)
    assert set(answers) - {"_src_path", "_commit"} == QUESTION_KEYS
    assert answers["database"] == "sqlite"
    assert answers["project_slug"] == "demo-service"
    assert answers["package_name"] == "demo_service"
    # No answer is a secret: nothing here looks like a credential.
    assert not [k for k in answers if re.search(r"secret|password|token|key", k)]


def test_rendered_files_have_no_whitespace_noise(generate: Generate) -> None:
    for framework in FRAMEWORK_NAMES:
        project = generate(name=framework, framework=framework, needs_admin_ui=True)
        for name in project_files(project):
            text = (project / name).read_text()
            if text:  # empty package markers are fine
                assert text.endswith("\n") and not text.endswith("\n\n"), name
            assert not re.search(r"[ \t]+$", text, re.M), f"trailing whitespace in {name}"
            if not name.endswith((".py", ".mako")):  # ruff format judges Python blank lines
                assert "\n\n\n" not in text, f"double blank line in {name}"
            # `${{ … }}` is a GitHub Actions expression, not Jinja; the app's own page templates
            # (in a `templates` folder) are Jinja for the app to render, copied as they are.
            if "templates" not in Path(name).parts:
                assert not re.search(r"(?<!\$)\{\{|\{%", text), f"unrendered Jinja in {name}"


@pytest.mark.parametrize("python_version", ["3.12", "3.14"])
@pytest.mark.parametrize("framework", list(FRAMEWORK_NAMES))
def test_generated_code_passes_ruff_unchanged(
    generate: Generate, framework: str, python_version: str
) -> None:
    """At the oldest and the newest Python offered: ruff's rules follow the target version
    (on 3.14, quoted annotations are flagged, annotations being evaluated lazily)."""
    project = generate(framework=framework, python_version=python_version)
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


# Where each framework keeps its cache code (relative to the project root).
CACHE_FILES = {
    "fastapi": ["src/demo_service/core/cache.py", "tests/test_cache.py"],
    "litestar": ["src/demo_service/core/cache.py", "tests/test_cache.py"],
    "flask": [
        "src/demo_service/cache.py",
        "src/demo_service/items/caching.py",
        "tests/test_cache.py",
    ],
    "django": ["demo_service/cache.py", "tests/test_cache.py"],
    "django_fastapi": ["web/demo_service/cache.py", "web/tests/test_cache.py"],
}


@pytest.mark.parametrize("framework", sorted(CACHE_FILES))
def test_the_cache_ships_only_when_chosen(generate: Generate, framework: str) -> None:
    database = "postgresql"
    without = generate("without", framework=framework, database=database, cache="none")
    with_redis = generate("with", framework=framework, database=database, cache="redis")
    for path in CACHE_FILES[framework]:
        assert (with_redis / path).is_file(), path
        assert not (without / path).exists(), path
    mentions = [
        path.relative_to(without)
        for path in without.rglob("*")
        if path.is_file() and ".git" not in path.parts and "redis" in path.read_text().lower()
    ]
    assert mentions == [], "a project without a cache never mentions Redis"
    compose = yaml.safe_load((with_redis / "compose.yaml").read_text())
    app = "web" if framework == "django_fastapi" else "app"
    assert compose["services"][app]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert compose["services"][app]["depends_on"]["redis"] == {"condition": "service_healthy"}
    if framework == "django_fastapi":
        # The FastAPI service reads the database: Django's writes are never served stale.
        assert "REDIS_URL" not in compose["services"]["api"]["environment"]
        assert not list((with_redis / "api").rglob("*cache*"))


@pytest.mark.parametrize(
    ("framework", "task_queue"),
    [
        ("fastapi", "taskiq"),
        ("litestar", "celery"),
        ("flask", "celery"),
        ("django", "celery"),
        ("django_fastapi", "celery"),
    ],
)
def test_the_jobs_ship_only_when_chosen(
    generate: Generate, framework: str, task_queue: str
) -> None:
    database = "postgresql"
    without = generate("without", framework=framework, database=database, task_queue="none")
    with_jobs = generate(
        "with", framework=framework, database=database, task_queue=task_queue, broker="rabbitmq"
    )
    words = re.compile(r"celery|taskiq|rabbitmq|broker_url|/api/reports|make worker", re.I)
    mentions = [
        path.relative_to(without)
        for path in without.rglob("*")
        if path.is_file() and ".git" not in path.parts and words.search(path.read_text())
    ]
    assert mentions == [], "a project without jobs never mentions them"
    compose = yaml.safe_load((with_jobs / "compose.yaml").read_text())
    app = "web" if framework == "django_fastapi" else "app"
    broker_url = "amqp://app:${RABBITMQ_PASSWORD:-app}@rabbitmq:5672//"
    assert compose["services"][app]["environment"]["BROKER_URL"] == broker_url
    assert compose["services"]["worker"]["environment"]["BROKER_URL"] == broker_url
    assert compose["services"]["worker"]["depends_on"]["rabbitmq"] == {
        "condition": "service_healthy"
    }
    assert "worker: ## Run the" in (with_jobs / "Makefile").read_text()
    readme = (with_jobs / "README.md").read_text()
    assert "## Background jobs" in readme and "`make worker`" in readme
    if framework == "django_fastapi":
        # The FastAPI service enqueues nothing: the worker runs Django's code.
        assert "BROKER_URL" not in compose["services"]["api"]["environment"]
        assert not re.search(words, (with_jobs / "api/pyproject.toml").read_text())


@pytest.mark.parametrize("framework", ["fastapi", "litestar", "flask", "django", "django_fastapi"])
def test_users_ship_only_when_chosen(generate: Generate, framework: str) -> None:
    database = "postgresql"
    without = generate("without", framework=framework, database=database, auth="none")
    with_users = generate("with", framework=framework, database=database, auth="users")
    django = framework in ("django", "django_fastapi")
    # Django's admin has superusers of its own (`manage.py createsuperuser`) with or without.
    names = "/api/auth|owner_id|pwdlib|pyjwt|argon2|signup_enabled" + (
        "" if django else "|superuser"
    )
    words = re.compile(names, re.I)
    mentions = [
        path.relative_to(without)
        for path in without.rglob("*")
        if path.is_file() and ".git" not in path.parts and words.search(path.read_text())
    ]
    assert mentions == [], "a project without users never mentions them"
    app = "web" if framework == "django_fastapi" else "app"
    compose = yaml.safe_load((with_users / "compose.yaml").read_text())
    environment = compose["services"][app]["environment"]
    env_example = (with_users / ".env.example").read_text()
    for name in ("ACCESS_TOKEN_EXPIRES", "SIGNUP_ENABLED", "LOGIN_MAX_FAILURES", "LOGIN_LOCKOUT"):
        assert f"{name}=" in env_example, name
    if django:
        assert "SECRET_KEY" not in environment  # Django signs with DJANGO_SECRET_KEY
    else:
        # The tokens' key: required in production, a fresh one in the development .env.
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), environment
        assert "\nSECRET_KEY=" in (with_users / ".env").read_text()
    assert "superuser: ## Create an admin user" in (with_users / "Makefile").read_text()
    readme = (with_users / "README.md").read_text()
    assert "## Users and access tokens" in readme and "POST /api/auth/token" in readme
    if framework == "django_fastapi":
        # Django owns the users; the FastAPI service only reads items, their owner included.
        assert not re.search(r"pyjwt|pwdlib", (with_users / "api/pyproject.toml").read_text())


# The Flask admin screen's own files (relative to the project root).
FLASK_ADMIN_FILES = [
    "src/demo_service/admin/__init__.py",
    "src/demo_service/admin/session.py",
    "src/demo_service/admin/views.py",
    "src/demo_service/admin/templates/admin_auth/base.html",
    "src/demo_service/admin/templates/admin_auth/sign_in.html",
    "tests/test_admin.py",
]


def test_flask_admin_ships_only_with_users_and_an_admin(generate: Generate) -> None:
    with_admin = generate("with", framework="flask", auth="users", needs_admin_ui=True)
    without_ui = generate("without-ui", framework="flask", auth="users", needs_admin_ui=False)
    without_users = generate("without-users", framework="flask", auth="none", needs_admin_ui=True)
    for path in FLASK_ADMIN_FILES:
        assert (with_admin / path).is_file(), path
    words = re.compile(r"flask[-_]admin|flask[-_]wtf|csrf|SESSION_COOKIE|/admin\b", re.I)
    for project in (without_ui, without_users):
        assert not (project / "src/demo_service/admin").exists()
        assert not (project / "tests/test_admin.py").exists()
        mentions = [
            path.relative_to(project)
            for path in project.rglob("*")
            if path.is_file() and ".git" not in path.parts and words.search(path.read_text())
        ]
        assert mentions == [], f"{project.name} never mentions the admin screen"
        assert "## The admin screen" not in (project / "README.md").read_text()
    dependencies = tomllib.loads((with_admin / "pyproject.toml").read_text())["project"]
    assert {"flask-admin>=2.1", "flask-wtf>=1.2"} <= set(dependencies["dependencies"])
    factory = (with_admin / "src/demo_service/__init__.py").read_text()
    assert "\n    admin.init_app(app)\n" in factory
    readme = (with_admin / "README.md").read_text()
    assert "## The admin screen" in readme and "Flask-Admin" in readme


@pytest.mark.parametrize("framework", ["fastapi", "litestar"])
def test_sqladmin_ships_only_with_users_and_an_admin(generate: Generate, framework: str) -> None:
    package = "src/demo_service"
    admin_files = {f"{package}/admin.py", "tests/test_admin.py"}
    words = re.compile(r"sqladmin|asgi-cross-origin-protection|asgi_cross_origin|/admin\b")
    # Without the question's yes, or without users to sign in with, nothing of it is there.
    for auth, needs_admin_ui in (("users", False), ("none", True)):
        project = generate(
            f"{auth}-{needs_admin_ui}",
            framework=framework,
            database="postgresql",
            auth=auth,
            needs_admin_ui=needs_admin_ui,
        )
        assert not admin_files & project_files(project), auth
        mentions = [
            name for name in project_files(project) if words.search((project / name).read_text())
        ]
        assert mentions == [], auth
    project = generate(
        "with", framework=framework, database="postgresql", auth="users", needs_admin_ui=True
    )
    assert admin_files <= project_files(project)
    pyproject = (project / "pyproject.toml").read_text()
    for requirement in ("sqladmin>=", "itsdangerous>=", "asgi-cross-origin-protection>="):
        assert requirement in pyproject, requirement
    assert "types-wtforms>=" in pyproject  # sqladmin's forms are WTForms: stubs for mypy
    app = (project / package / ("main.py" if framework == "fastapi" else "app.py")).read_text()
    assert "create_admin(" in app if framework == "fastapi" else "admin_mount(" in app
    assert "## The admin screen" in (project / "README.md").read_text()


# Where FastAPI and Litestar keep the background job (relative to the project root); the
# Report model, its migration, the job's body and the worker module are partials both share.
ASGI_JOB_FILES = {
    "fastapi": [
        "src/demo_service/api/routes/reports.py",
        "src/demo_service/schemas/report.py",
        "src/demo_service/services/reports.py",
    ],
    "litestar": [
        "src/demo_service/reports/controllers.py",
        "src/demo_service/reports/schemas.py",
        "src/demo_service/reports/services.py",
    ],
}
ASGI_SHARED_JOB_FILES = [
    "src/demo_service/jobs.py",
    "src/demo_service/worker.py",
    "src/demo_service/models/report.py",
    "migrations/versions/0002_create_reports.py",
    "tests/test_reports.py",
    "tests/test_jobs.py",
]


@pytest.mark.parametrize("task_queue", ["celery", "taskiq"])
@pytest.mark.parametrize("framework", sorted(ASGI_JOB_FILES))
def test_asgi_background_jobs_ship_only_when_chosen(
    generate: Generate, framework: str, task_queue: str
) -> None:
    without = generate("without", framework=framework, task_queue="none")
    with_jobs = generate("with", framework=framework, task_queue=task_queue, broker="redis")
    for path in ASGI_JOB_FILES[framework] + ASGI_SHARED_JOB_FILES:
        assert (with_jobs / path).is_file(), path
        assert not (without / path).exists(), path
    assert not list(without.rglob("*report*"))
    worker = (with_jobs / "src/demo_service/worker.py").read_text()
    # The module the worker command names holds what it runs: Celery's app, taskiq's broker.
    assert ("\napp = create_celery(settings)\n" in worker) == (task_queue == "celery")
    assert ("\nbroker = create_broker(settings)\n" in worker) == (task_queue == "taskiq")


def test_copy_starts_a_git_repository_and_tasks_are_copy_only(generate: Generate) -> None:
    project = generate()
    assert (project / ".git").is_dir()
    branch = subprocess.run(
        ["git", "symbolic-ref", "--short", "HEAD"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert branch == "main"
    # Copier replays tasks on update unless their `when` says otherwise.
    config = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())
    assert config["_tasks"]
    for task in config["_tasks"]:
        assert task["when"] == "{{ _copier_operation == 'copy' }}", task


def test_python_version_flows_into_tooling(generate: Generate) -> None:
    project = generate(python_version="3.12")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["tool"]["mypy"]["python_version"] == "3.12"


def test_free_text_is_escaped_in_toml(generate: Generate) -> None:
    project = generate(description='The "billing" service\\ledger, café')
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == 'The "billing" service\\ledger, café'


# (question, bad answer, part of the message that says what is allowed)
BAD_INPUTS = [
    ("project_name", "", "cannot be empty"),
    ("project_name", "   ", "cannot be empty"),
    ("project_name", "../../etc/passwd", "start with a letter and use only"),
    ("project_name", "api/v2", "start with a letter and use only"),
    ("project_name", "svc; rm -rf ~", "start with a letter and use only"),
    ("project_name", "$(whoami)", "start with a letter and use only"),
    ("project_name", "x" * 65, "at most 64 characters"),
    ("project_slug", "My Service", "lowercase letters and digits"),
    ("project_slug", "-service", "lowercase letters and digits"),
    ("project_slug", "billing--service", "lowercase letters and digits"),
    ("project_slug", "billing_service", "lowercase letters and digits"),
    ("project_slug", "2fast", "lowercase letters and digits"),
    ("package_name", "my-package", "lowercase Python identifier"),
    ("package_name", "1service", "lowercase Python identifier"),
    ("package_name", "class", "Python keyword"),
    ("package_name", "match", "Python keyword"),
    ("package_name", "json", "shadow the standard library"),
    ("package_name", "asyncio", "shadow the standard library"),
    ("package_name", "django", "shadow a package the project uses"),
    ("package_name", "fastapi", "shadow a package the project uses"),
    ("package_name", "", "cannot be empty"),
    ("description", "first line\nsecond line", "single line"),
    ("description", "d" * 201, "at most 200 characters"),
    ("author_name", "", "cannot be empty"),
    ("author_name", "Eve <eve@example.com>", "cannot contain <, >"),
    ("author_email", "not-an-email", "name@example.com"),
    ("author_email", "a@b", "name@example.com"),
]


@pytest.mark.parametrize(("question", "value", "message"), BAD_INPUTS)
def test_bad_input_is_refused_and_nothing_is_written(
    template_dir: Path, tmp_path: Path, question: str, value: str, message: str
) -> None:
    destination = tmp_path / "refused"
    with pytest.raises(ValueError, match=re.escape(message)):
        run_copy(
            str(template_dir),
            destination,
            data={**IDENTITY, question: value},
            defaults=True,
            unsafe=True,
            quiet=True,
        )
    assert not destination.exists()


def test_django_and_fastapi_refuse_sqlite_and_say_why(template_dir: Path, tmp_path: Path) -> None:
    answers = {**IDENTITY, "framework": "django_fastapi", "database": "sqlite"}
    with pytest.raises(ValueError, match="two services that write to one database"):
        run_copy(str(template_dir), tmp_path / "p", data=answers, defaults=True, unsafe=True)
    assert not (tmp_path / "p").exists()


def test_django_and_fastapi_is_a_workspace_of_two_services(generate: Generate) -> None:
    project = generate(framework="django_fastapi", database="postgresql")
    files = project_files(project)
    # Django's project in web/, with the events table it owns; FastAPI's service in api/.
    assert {"web/manage.py", "web/demo_service/webhooks/models.py", "web/pyproject.toml"} <= files
    assert {"api/src/demo_service_api/main.py", "api/pyproject.toml"} <= files
    assert not {"manage.py", "alembic.ini"} & files
    assert not [name for name in files if name.startswith("api/") and "migrations" in name]
    root = tomllib.loads((project / "pyproject.toml").read_text())
    assert root == {"tool": {"uv": {"workspace": {"members": ["web", "api"]}}}}
    api = tomllib.loads((project / "api/pyproject.toml").read_text())
    assert api["project"]["name"] == "demo-service-api"
    assert "demo-service-web" in api["dependency-groups"]["dev"]
    assert not [d for d in api["project"]["dependencies"] if d.startswith("django")]
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    assert set(compose["services"]) == {"db", "migrate", "web", "api"}
    assert compose["services"]["api"]["build"] == {"context": ".", "target": "api"}
    assert "WEBHOOK_SECRET" in compose["services"]["api"]["environment"]
    makefile = (project / "Makefile").read_text()
    assert "\nserve-api: ## Run FastAPI's production server" in makefile
    dockerfile = (project / "Dockerfile").read_text()
    assert "FROM runtime AS api" in dockerfile and dockerfile.rstrip().endswith(
        'CMD ["python", "-m", "demo_service"]'
    ), "the web image is the default target"
    env = (project / ".env").read_text()
    assert re.search(r"^WEBHOOK_SECRET=\S{32,}$", env, re.M)
    assert re.search(r"^DJANGO_SECRET_KEY=\S{50,}$", env, re.M)


def test_unknown_choice_is_refused(template_dir: Path, tmp_path: Path) -> None:
    bad: dict[str, Any] = {**IDENTITY, "framework": "rails"}
    with pytest.raises(ValueError, match="rails"):
        run_copy(str(template_dir), tmp_path / "p", data=bad, defaults=True, unsafe=True)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    "shared_file", ["compose.yaml.jinja", "_partials/readme/one-service.md.jinja"]
)
def test_a_misspelled_stack_fact_fails_the_render(tmp_path: Path, shared_file: str) -> None:
    """A name the profiles do not define raises instead of rendering as "" (an empty key in
    compose.yaml, a blank in the README)."""
    template = copy_template(tmp_path / "template")
    path = template / "template" / shared_file
    text = path.read_text()
    assert "stack.database.label" in text or "stack.database.compose_url" in text
    path.write_text(
        text.replace("stack.database.label", "stack.database.lable").replace(
            "stack.database.compose_url", "stack.database.lable"
        )
    )
    with pytest.raises(UndefinedError, match="lable"):
        run_copy(
            str(template), tmp_path / "p", data=IDENTITY, defaults=True, unsafe=True, quiet=True
        )


# A component as a later feature would add one: every kind of contribution at once.
PROBE_COMPONENT = """
    components.append(
        Component(
            key="probe",
            title="Probe",
            dependencies=("probe-lib>=1.2",),
            dev_dependencies=("probe-testing>=0.3",),
            settings=(Setting("PROBE_URL", "redis://localhost:6379/0", "Where the probe is"),),
            compose_services=(
                ComposeService(
                    name="cache",
                    image="redis:7.4-alpine",
                    environment=(),
                    volume="cache-data:/data",
                    healthcheck=("CMD", "redis-cli", "ping"),
                ),
            ),
            compose_env=(("PROBE_URL", "redis://cache:6379/0"),),
            ci_services=(
                CiService(
                    name="cache", image="redis:7.4-alpine", env=(), port=6379,
                    health_cmd="redis-cli ping",
                ),
            ),
            ci_env=(("PROBE_URL", "redis://localhost:6379/0"),),
            make_targets=(MakeTarget("probe", "Run the probe once", ("uv run probe",)),),
            ci_steps=(CiStep("Probe once", "make probe"),),
            worker=Worker("watcher", "Run the probe watcher", ("probe", "watch"), ("CMD", "probe", "alive")),
            readme_sections=("template/_partials/probe.md.jinja",),
            consequence="The probe must be watched.",
        )
    )
"""


def test_a_component_contributes_to_every_shared_file(tmp_path: Path) -> None:
    """The shared files render whatever a component contributes, with no branch for it."""
    template = copy_template(tmp_path / "template")
    profiles = template / "extensions" / "profiles.py"
    anchor = "    return tuple(components)\n"
    text = profiles.read_text()
    assert anchor in text
    profiles.write_text(text.replace(anchor, PROBE_COMPONENT.lstrip("\n") + anchor))
    (template / "template" / "_partials" / "probe.md.jinja").write_text(
        "## Probe\n\nThe probe watches {{ project_name }}.\n"
    )
    project = tmp_path / "p"
    run_copy(
        str(template),
        project,
        data={**IDENTITY, "framework": "flask", "database": "postgresql"},
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert "probe-lib>=1.2" in pyproject["project"]["dependencies"]
    assert "probe-testing>=0.3" in pyproject["dependency-groups"]["dev"]
    assert "# PROBE_URL=redis://localhost:6379/0" in (project / ".env.example").read_text()
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    assert compose["services"]["cache"]["image"] == "redis:7.4-alpine"
    # The app waits for every backing service; the migrations only for the database.
    assert compose["services"]["app"]["depends_on"]["cache"] == {"condition": "service_healthy"}
    assert set(compose["services"]["migrate"]["depends_on"]) == {"db"}
    assert compose["services"]["app"]["environment"]["PROBE_URL"] == "redis://cache:6379/0"
    assert set(compose["volumes"]) == {"db-data", "cache-data"}
    makefile = (project / "Makefile").read_text()
    assert (
        ".PHONY: help install dev test lint format migrate migration serve probe watcher\n"
        in makefile
    )
    assert "probe: ## Run the probe once\n\tuv run probe\n" in makefile
    assert (
        "watcher: ## Run the probe watcher\n"
        "\tDATABASE_URL=$${DATABASE_URL:-$(DEV_DATABASE_URL)} uv run probe watch\n"
    ) in makefile
    # The worker runs from the app's image and environment once the migrations have run.
    watcher = compose["services"]["watcher"]
    assert (watcher["build"], watcher["command"]) == (".", ["probe", "watch"])
    assert watcher["environment"] == compose["services"]["migrate"]["environment"]
    assert watcher["healthcheck"]["test"] == ["CMD", "probe", "alive"]
    assert watcher["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "db": {"condition": "service_healthy"},
        "cache": {"condition": "service_healthy"},
    }
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert steps[-1] == {"name": "Probe once", "run": "make probe"}
    assert workflow["jobs"]["test"]["env"]["PROBE_URL"] == "redis://localhost:6379/0"
    assert workflow["jobs"]["test"]["services"]["cache"] == {
        "image": "redis:7.4-alpine",
        "ports": ["6379:6379"],
        "options": '--health-cmd "redis-cli ping" --health-interval 5s --health-timeout 3s '
        "--health-retries 10",
    }
    adr = " ".join((project / "docs/adr/0001-web-framework.md").read_text().split())
    assert "- The probe must be watched." in adr
    readme = (project / "README.md").read_text()
    assert "\n## Probe\n\nThe probe watches Demo Service.\n" in readme
    assert readme.index("## Probe") < readme.index("## Tests, lint and types")


@pytest.mark.parametrize(
    ("framework", "server", "rejected"),
    [
        ("fastapi", "granian", "uvicorn"),
        ("django", "granian", "gunicorn"),
        ("flask", "granian", "gunicorn"),
        ("litestar", "granian", "uvicorn"),
    ],
)
def test_readme_and_adr_say_which_server_runs_and_why(
    generate: Generate, framework: str, server: str, rejected: str
) -> None:
    project = generate(framework=framework)
    adr = (project / "docs/adr/0001-web-framework.md").read_text()
    decision = adr.split("- Production server: ", 1)[1].split("\n- ", 1)[0]
    assert decision.startswith(server), decision[:80]
    reasons = " ".join(decision.split())
    assert "stackpick benchmark" in reasons and rejected in reasons
    readme = " ".join((project / "README.md").read_text().split())
    assert reasons in readme, "the README gives the same reasons"
    # The reasons point at the module that reads what a view leaves unread: it exists.
    named = re.findall(r"`([\w/]+\.py)`", decision)
    assert named, decision
    assert [path for path in project.rglob("*.py") if str(path).endswith("/" + named[-1])]
