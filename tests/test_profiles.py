"""The stack profiles (extensions/profiles.py): complete, well-formed, and loud when not."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
import yaml

from harness import REPO_ROOT
from profiles import (
    CACHES,
    DATABASES,
    DJANGO_REST_FRAMEWORK,
    FRAMEWORKS,
    HOST,
    REDIS_CACHE,
    CiService,
    CiStep,
    Component,
    ComposeService,
    Database,
    MakeTarget,
    ProfileError,
    Setting,
    Stack,
    Worker,
    build_stack,
    yaml_scalar,
)
from recommendation import FRAMEWORK_NAMES

NO_JOBS: dict[str, Any] = {"auth": "none", "needs_admin_ui": False, "task_queue": "none"}
JOB_ANSWERS: list[dict[str, Any]] = [
    NO_JOBS,
    {"auth": "none", "needs_admin_ui": False, "task_queue": "celery", "broker": "redis"},
    {"auth": "none", "needs_admin_ui": False, "task_queue": "celery", "broker": "rabbitmq"},
    {"auth": "none", "needs_admin_ui": False, "task_queue": "taskiq", "broker": "redis"},
    {"auth": "none", "needs_admin_ui": False, "task_queue": "taskiq", "broker": "rabbitmq"},
]
ASYNC_FRAMEWORKS = ("fastapi", "litestar")

ANSWER_SETS = [
    {
        "framework": framework,
        "database": database,
        "package_name": "shop",
        "cache": cache,
        **jobs,
        **extra,
    }
    for (framework, extra), database, cache, jobs in itertools.product(
        [
            ("fastapi", {}),
            ("django", {"django_api": "ninja"}),
            ("django", {"django_api": "drf"}),
            ("flask", {}),
            ("litestar", {}),
        ],
        DATABASES,
        CACHES,
        JOB_ANSWERS,
    )
    if jobs["task_queue"] != "taskiq" or framework in ASYNC_FRAMEWORKS
] + [
    # Django + FastAPI runs on a database server only (the prompt refuses SQLite).
    {
        "framework": "django_fastapi",
        "database": database,
        "package_name": "shop",
        "cache": cache,
        **jobs,
    }
    for database in ("postgresql", "mysql")
    for cache in CACHES
    for jobs in JOB_ANSWERS[:3]  # Celery only: the prompt refuses taskiq beside Django
]


@pytest.fixture(params=ANSWER_SETS, ids=lambda a: "-".join(str(v) for v in a.values()))
def stack(request: pytest.FixtureRequest) -> Stack:
    return build_stack(request.param)


def test_every_stack_builds_with_floors_and_no_duplicates(stack: Stack) -> None:
    names = [d.split(">=")[0].split("[")[0] for d in stack.dependencies]
    assert len(names) == len(set(names))
    assert all(">=" in d for d in stack.dependencies + stack.dev_dependencies)
    assert sorted(names) == names, "pyproject lists dependencies by name"
    assert stack.serve_argv == ("python", "-m", "shop")
    assert [s.name for s in stack.settings].count("HOST") == 1


def test_every_partial_a_profile_names_exists(stack: Stack) -> None:
    prose = stack.framework.prose
    paths = [prose.readme_layout, prose.readme_server, prose.server_decision]
    paths += [prose.pyproject_tables] if prose.pyproject_tables else []
    for path in paths + stack.readme_sections:
        assert (REPO_ROOT / path).is_file(), path


def test_display_names_match_the_engine() -> None:
    for key in FRAMEWORKS:
        answers = {
            "framework": key,
            "database": "postgresql",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
        stack = build_stack({**answers, "django_api": "ninja"})
        assert stack.display_name == FRAMEWORK_NAMES[key]
    assert set(FRAMEWORKS) == set(FRAMEWORK_NAMES)


def test_django_and_fastapi_is_two_services_on_one_schema() -> None:
    stack = build_stack(
        {
            "framework": "django_fastapi",
            "database": "postgresql",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
    )
    web, api = stack.services
    assert (web.directory, web.package, web.serve_target, web.port) == (
        "web",
        "shop",
        "serve",
        8000,
    )
    assert (api.directory, api.package, api.serve_target, api.port) == (
        "api",
        "shop_api",
        "serve-api",
        8001,
    )
    assert stack.schema_owner is web and api.framework.migrate_argv == ()
    # Each image installs its own service's dependencies only.
    assert "django>=6.1" in web.dependencies and not any("fastapi" in d for d in web.dependencies)
    assert "asyncpg>=0.30" in api.dependencies and not any("django" in d for d in api.dependencies)
    assert [secret.env for secret in stack.secrets] == ["DJANGO_SECRET_KEY", "WEBHOOK_SECRET"]
    assert stack.uv_sync == "uv sync --all-packages"
    targets = {target.name: target.recipe for target in stack.core_targets}
    assert targets["serve-api"] == ("cd api && uv run python -m shop_api",)
    assert targets["migrate"] == ("cd web && uv run python manage.py migrate",)
    assert targets["test"] == ("cd web && uv run pytest", "cd api && uv run pytest")
    with pytest.raises(ProfileError, match="not SQLite"):
        build_stack(
            {
                "framework": "django_fastapi",
                "database": "sqlite",
                "package_name": "x",
                "cache": "none",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )


def test_server_databases_run_in_compose_and_ci_with_one_image_tag() -> None:
    for database in DATABASES.values():
        if database.compose_service is None:
            assert database.ci_service is None and database.app_volume
            continue
        assert database.ci_service is not None
        assert database.compose_service.image == database.ci_service.image


def test_the_django_api_layer_is_a_component() -> None:
    base = {
        "framework": "django",
        "database": "sqlite",
        "package_name": "shop",
        "cache": "none",
        "auth": "none",
        "needs_admin_ui": False,
        "task_queue": "none",
    }
    drf = build_stack({**base, "django_api": "drf"})
    ninja = build_stack({**base, "django_api": "ninja"})
    assert drf.components == (DJANGO_REST_FRAMEWORK,)
    assert "djangorestframework>=3.18" in drf.dependencies
    assert "mypy_drf_plugin.main" in drf.mypy_plugins
    assert "djangorestframework>=3.18" not in ninja.dependencies
    assert "django-ninja>=1.7" in ninja.dependencies
    assert ninja.mypy_plugins == ["mypy_django_plugin.main"]


def test_only_mysql_django_installs_system_packages() -> None:
    for answers in ANSWER_SETS:
        stack = build_stack(answers)
        # mysqlclient, Django's MySQL driver, compiles (Django + FastAPI's web service too).
        django = answers["framework"] in ("django", "django_fastapi")
        compiles = django and answers["database"] == "mysql"
        assert bool(stack.build_packages) == compiles
        assert bool(stack.runtime_packages) == compiles


def _name(requirement: str) -> str:
    return requirement.split(">=")[0].split("[")[0]


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("framework", ["fastapi", "litestar"])
def test_async_sqlalchemy_starters_install_their_database_driver(
    framework: str, database: str
) -> None:
    made = FRAMEWORKS[framework](database, "shop")
    drivers = {"postgresql": "asyncpg", "mysql": "aiomysql", "sqlite": "aiosqlite"}
    installed = {_name(d) for d in made.dependencies}
    assert {"alembic", "sqlalchemy", "granian", drivers[database]} <= installed
    assert installed.isdisjoint(set(drivers.values()) - {drivers[database]})
    # Tests run on SQLite whatever the database: its driver is a development dependency,
    # unless the project installs it anyway.
    for_tests = [d for d in made.dev_dependencies if _name(d) == "aiosqlite"]
    assert len(for_tests) == (database != "sqlite")


def test_fastapi_and_litestar_document_the_same_settings_in_the_same_order() -> None:
    fastapi, litestar = (FRAMEWORKS[key]("postgresql", "shop") for key in ("fastapi", "litestar"))
    assert fastapi.settings == litestar.settings
    assert [s.name for s in fastapi.settings[-2:]] == ["JSON_LOGS", "FORWARDED_ALLOW_IPS"]


# --- Missing or malformed facts fail loudly ---------------------------------------------


def test_a_framework_missing_a_fact_cannot_be_built() -> None:
    facts = {
        f.name: getattr(FRAMEWORKS["flask"]("sqlite", "shop"), f.name)
        for f in dataclasses.fields(FRAMEWORKS["flask"]("sqlite", "shop"))
    }
    del facts["migrate_argv"]
    framework_class: Any = type(FRAMEWORKS["flask"]("sqlite", "shop"))
    with pytest.raises(TypeError, match="migrate_argv"):
        framework_class(**facts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"dependencies": ("flask",)}, "dependency 'flask' must read 'name>=floor'"),
        ({"migrate_argv": ("flask", "")}, "migrate_argv has an empty word"),
        # No migrations (a service that maps another's schema) means no way to make them.
        ({"migrate_argv": ()}, "makemigrations_command goes with migrate_argv"),
        ({"dev_command": ""}, "dev_command"),
        ({"settings": ()}, "settings"),
    ],
)
def test_a_malformed_fact_names_itself(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        dataclasses.replace(FRAMEWORKS["flask"]("sqlite", "shop"), **change)


def test_a_misspelled_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="dependancies"):
        Component(key="x", title="X", dependancies=("a>=1",))  # type: ignore[call-arg]


def test_settings_and_services_are_checked() -> None:
    with pytest.raises(ProfileError, match="setting name 'host'"):
        Setting("host", "x", "doc")
    with pytest.raises(ProfileError, match="needs a tag"):
        ComposeService("cache", "redis", (), "cache-data:/data", ("CMD", "true"))
    with pytest.raises(ProfileError, match="needs a tag"):
        CiService("redis", "redis", (), 6379, "redis-cli ping")
    with pytest.raises(ProfileError, match="a server needs compose_service"):
        dataclasses.replace(DATABASES["postgresql"], ci_url=None)


def test_the_redis_cache_reaches_every_framework_and_only_the_service_that_reads_items() -> None:
    for framework in FRAMEWORKS:
        answers = {"framework": framework, "database": "postgresql", "package_name": "shop"}
        stack = build_stack(
            {
                **answers,
                "django_api": "ninja",
                "cache": "redis",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )
        owner = stack.services[0]
        assert "redis>=8.0" in owner.dependencies
        assert ("REDIS_URL", "redis://redis:6379/0") in owner.compose_env
        assert [s.name for s in stack.compose_services] == ["db", "redis"]
        assert [s.name for s in stack.ci_services] == ["postgres", "redis"]
        assert stack.ci_env == [("REDIS_URL", "redis://localhost:6379/0")]
        assert {"REDIS_URL", "CACHE_TTL", "CACHE_TIMEOUT"} <= {s.name for s in stack.settings}
        assert stack.consequences == [REDIS_CACHE.consequence]
        # Django + FastAPI: the FastAPI service reads items without a cache of its own (Django
        # invalidates on write, so a cache there could serve a stale item).
        for other in stack.services[1:]:
            assert not any("redis" in d for d in other.dependencies)
            assert not any(name == "REDIS_URL" for name, _ in other.compose_env)
    plain = build_stack(
        {
            "framework": "flask",
            "database": "sqlite",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
    )
    assert not plain.ci_env and not plain.consequences
    assert not any("redis" in d for d in plain.dependencies)


def test_an_unknown_cache_is_refused() -> None:
    with pytest.raises(ProfileError, match="cache 'memcached'"):
        build_stack(
            {
                "framework": "flask",
                "database": "sqlite",
                "package_name": "shop",
                "cache": "memcached",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )


def test_missing_answers_are_named() -> None:
    with pytest.raises(ProfileError, match="'database'"):
        build_stack(
            {
                "framework": "flask",
                "package_name": "shop",
                "cache": "none",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )
    with pytest.raises(ProfileError, match="'django_api'"):
        build_stack(
            {
                "framework": "django",
                "database": "sqlite",
                "package_name": "shop",
                "cache": "none",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )
    with pytest.raises(ProfileError, match="'cache'"):
        build_stack({"framework": "flask", "database": "sqlite", "package_name": "shop", **NO_JOBS})
    with pytest.raises(ProfileError, match="framework 'rails'"):
        build_stack(
            {
                "framework": "rails",
                "database": "sqlite",
                "package_name": "shop",
                "cache": "none",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "none",
            }
        )


def _stack_with(*components: Component) -> Stack:
    base = build_stack(
        {
            "framework": "flask",
            "database": "postgresql",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
    )
    return Stack(base.framework, base.database, components, "shop")


@pytest.mark.parametrize(
    ("component", "message"),
    [
        (Component(key="a", title="A", settings=(HOST,)), "setting 'HOST' is contributed twice"),
        (Component(key="a", title="A", dependencies=("Flask>=3",)), "dependency 'flask'"),
        (
            Component(key="a", title="A", make_targets=(MakeTarget("serve", "x", ("y",)),)),
            "make target 'serve'",
        ),
        (
            Component(
                key="a",
                title="A",
                compose_services=(
                    ComposeService("db", "redis:7", (), "r:/data", ("CMD", "redis-cli", "ping")),
                ),
            ),
            "compose service 'db'",
        ),
    ],
)
def test_a_component_cannot_take_what_is_already_there(component: Component, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        _stack_with(component)


def test_component_contributions_merge_in_order() -> None:
    cache = ComposeService("cache", "redis:7.4-alpine", (), "cache-data:/data", ("CMD", "true"))
    component = Component(
        key="jobs",
        title="Jobs",
        dependencies=("celery>=5.5",),
        settings=(Setting("BROKER_URL", "redis://localhost:6379/0", "The broker"),),
        compose_services=(cache,),
        ci_services=(CiService("redis", "redis:7.4-alpine", (), 6379, "redis-cli ping"),),
        make_targets=(MakeTarget("worker", "Run the worker", ("uv run celery worker",)),),
        ci_steps=(CiStep("Worker starts", "make worker"),),
    )
    stack = _stack_with(component)
    assert stack.dependencies.index("celery>=5.5") < stack.dependencies.index("flask>=3.1")
    assert stack.settings[-1].name == "BROKER_URL"
    assert [s.name for s in stack.compose_services] == ["db", "cache"]
    assert stack.volume_names == ["db-data", "cache-data"]
    assert [s.name for s in stack.ci_services] == ["postgres", "redis"]
    assert stack.phony_targets == [
        "help",
        "install",
        "dev",
        "test",
        "lint",
        "format",
        "migrate",
        "migration",
        "serve",
        "worker",
    ]
    assert stack.ci_steps == [CiStep("Worker starts", "make worker")]


def test_a_file_database_keeps_its_data_in_an_app_volume() -> None:
    stack = build_stack(
        {
            "framework": "fastapi",
            "database": "sqlite",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
    )
    assert stack.compose_services == [] and stack.ci_services == []
    assert stack.app_volumes == ["app-data:/app/data"]
    assert stack.volume_names == ["app-data"]
    assert isinstance(stack.database, Database)


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "No",
        "on",
        "null",
        "~",
        "1",
        "1.5",
        "1e3",
        "",
        " padded",
        "a: b",
        "#comment",
        "*alias",
        '"quoted"',
        "${POSTGRES_PASSWORD:-app}",
        "${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}",
        "app",
        "redis://localhost:6379/0",
        "back\\slash",
    ],
)
def test_yaml_scalar_reads_back_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}


def test_plain_values_stay_plain() -> None:
    assert yaml_scalar("app") == "app"
    assert yaml_scalar("${POSTGRES_PASSWORD:-app}") == "${POSTGRES_PASSWORD:-app}"
    assert yaml_scalar("yes") == '"yes"'


def test_background_jobs_bring_a_worker_a_broker_and_its_settings() -> None:
    for framework in FRAMEWORKS:
        answers = {"framework": framework, "database": "postgresql", "package_name": "shop"}
        stack = build_stack(
            {
                **answers,
                "django_api": "ninja",
                "cache": "none",
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "celery",
                "broker": "rabbitmq",
            }
        )
        owner = stack.services[0]
        assert "celery>=5.5" in owner.dependencies
        assert "celery-types>=0.25" in owner.dev_dependencies
        assert [s.name for s in stack.compose_services] == ["db", "rabbitmq"]
        assert [s.name for s in stack.ci_services] == ["postgres", "rabbitmq"]
        assert stack.ci_env == [("BROKER_URL", "amqp://app:app@localhost:5672//")]
        ((service, worker),) = stack.workers
        assert service is owner
        django = framework in ("django", "django_fastapi")
        app = "config" if django else "shop.worker"
        assert worker.argv == ("celery", "--app", app, "worker", "--loglevel", "INFO")
        assert f"--app {app} inspect ping" in worker.healthcheck[1]
        recipe = {t.name: t.recipe for t in stack.make_targets}["worker"]
        prefix = "cd web && " if framework == "django_fastapi" else ""
        assert recipe == (
            prefix
            + "DATABASE_URL=$${DATABASE_URL:-$(DEV_DATABASE_URL)} uv run "
            + " ".join(worker.argv),
        )
        assert "worker" in stack.phony_targets
        names = {s.name for s in stack.settings}
        assert {"BROKER_URL", "JOB_TIME_LIMIT", "JOB_MAX_RETRIES", "WORKER_CONCURRENCY"} <= names
        # Django + FastAPI: the worker runs Django's code; the FastAPI service enqueues nothing.
        for other in stack.services[1:]:
            assert not any("celery" in d for d in other.dependencies)
            assert not any(name == "BROKER_URL" for name, _ in other.compose_env)


def test_redis_serves_the_cache_and_the_broker_as_one_service_in_two_databases() -> None:
    stack = build_stack(
        {
            "framework": "fastapi",
            "database": "sqlite",
            "package_name": "shop",
            "cache": "redis",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "taskiq",
            "broker": "redis",
        }
    )
    assert [s.name for s in stack.compose_services] == ["redis"]
    assert [s.name for s in stack.ci_services] == ["redis"]
    assert stack.volume_names == ["app-data", "redis-data"]
    assert dict(stack.services[0].compose_env) == {
        "REDIS_URL": "redis://redis:6379/0",
        "BROKER_URL": "redis://redis:6379/1",
    }
    assert {"taskiq>=0.11.18", "taskiq-redis>=1.0.8"} <= set(stack.dependencies)
    ((_, worker),) = stack.workers
    assert worker.argv == (
        "taskiq",
        "worker",
        "shop.worker:broker",
        "--workers",
        "1",
        "--receiver",
        "shop.worker:JobReceiver",
    )
    assert worker.healthcheck == ("CMD", "python", "-m", "shop.worker", "--check-heartbeat")


def test_taskiq_is_refused_where_the_request_path_is_synchronous() -> None:
    for framework in ("django", "flask", "django_fastapi"):
        with pytest.raises(
            ProfileError, match=f"'taskiq' is not offered for framework '{framework}'"
        ):
            build_stack(
                {
                    "framework": framework,
                    "database": "postgresql",
                    "package_name": "shop",
                    "django_api": "ninja",
                    "cache": "none",
                    "auth": "none",
                    "needs_admin_ui": False,
                    "task_queue": "taskiq",
                    "broker": "redis",
                }
            )


def test_the_broker_is_required_only_with_a_task_queue() -> None:
    base = {"framework": "flask", "database": "sqlite", "package_name": "shop", "cache": "none"}
    with pytest.raises(ProfileError, match="'broker'"):
        build_stack({**base, "auth": "none", "needs_admin_ui": False, "task_queue": "celery"})
    with pytest.raises(ProfileError, match="broker 'kafka'"):
        build_stack(
            {
                **base,
                "auth": "none",
                "needs_admin_ui": False,
                "task_queue": "celery",
                "broker": "kafka",
            }
        )
    with pytest.raises(ProfileError, match="task_queue 'rq'"):
        build_stack(
            {**base, "auth": "none", "needs_admin_ui": False, "task_queue": "rq", "broker": "redis"}
        )
    assert (
        build_stack({**base, "auth": "none", "needs_admin_ui": False, "task_queue": "none"}).workers
        == []
    )


def test_a_worker_named_like_a_service_is_refused() -> None:
    base = build_stack(
        {
            "framework": "flask",
            "database": "postgresql",
            "package_name": "shop",
            "cache": "none",
            "auth": "none",
            "needs_admin_ui": False,
            "task_queue": "none",
        }
    )
    clash = Component(key="a", title="A", worker=Worker("app", "x", ("run",), ("CMD", "true")))
    with pytest.raises(ProfileError, match="compose service 'app' is contributed twice"):
        Stack(base.framework, base.database, (clash,), "shop")
    with pytest.raises(ProfileError, match="worker w: healthcheck"):
        Worker("w", "x", ("run",), ())


def test_users_bring_their_libraries_settings_secret_and_superuser_command() -> None:
    for framework in FRAMEWORKS:
        answers = {"framework": framework, "database": "postgresql", "package_name": "shop"}
        base = {**answers, "django_api": "drf", "cache": "none", "task_queue": "none"}
        stack = build_stack({**base, "auth": "users", "needs_admin_ui": False})
        without = build_stack({**base, "auth": "none", "needs_admin_ui": False})
        owner = stack.services[0]
        django = framework in ("django", "django_fastapi")
        added = set(owner.dependencies) - set(without.services[0].dependencies)
        assert "pyjwt>=2.10" in added
        # Argon2: Django's own hasher (which needs argon2-cffi), pwdlib's elsewhere.
        assert ("argon2-cffi>=23.1" if django else "pwdlib[argon2]>=0.2.1") in added
        names = {s.name for s in stack.settings} - {s.name for s in without.settings}
        assert names == {
            "ACCESS_TOKEN_EXPIRES",
            "SIGNUP_ENABLED",
            "LOGIN_MAX_FAILURES",
            "LOGIN_LOCKOUT",
        }
        # Tokens are signed with the project's key: Django has one; the others now need one.
        new_secrets = [s.env for s in stack.secrets if s not in without.secrets]
        assert new_secrets == ([] if django else ["SECRET_KEY"])
        recipe = {t.name: t.recipe for t in stack.make_targets}["superuser"]
        command = {
            "django": "python manage.py createsuperuser",
            "django_fastapi": "python manage.py createsuperuser",
            "flask": "flask --app shop create-superuser",
        }.get(framework, "python -m shop.superuser")
        prefix = "cd web && " if framework == "django_fastapi" else ""
        assert recipe == (
            f"{prefix}DATABASE_URL=$${{DATABASE_URL:-$(DEV_DATABASE_URL)}} uv run {command}",
        )
        assert "superuser" in stack.phony_targets and "superuser" not in without.phony_targets
        assert stack.readme_sections[-1].endswith("components/users.md.jinja")
        # In Django + FastAPI, Django owns the users: the FastAPI service gets nothing of them.
        for other in stack.services[1:]:
            assert not any("jwt" in d for d in other.dependencies)


def test_auth_is_required_and_checked() -> None:
    base = {
        "framework": "fastapi",
        "database": "sqlite",
        "package_name": "shop",
        "cache": "none",
        "task_queue": "none",
    }
    with pytest.raises(ProfileError, match="'auth'"):
        build_stack(base)
    with pytest.raises(ProfileError, match="auth 'oauth'"):
        build_stack({**base, "auth": "oauth", "needs_admin_ui": False})


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_an_admin_screen_comes_with_users_and_the_frameworks_admin_library(framework: str) -> None:
    base = {
        "framework": framework,
        "database": "postgresql",
        "package_name": "shop",
        "django_api": "ninja",
        "cache": "none",
        "task_queue": "none",
    }

    def component_keys(auth: str, needs_admin_ui: bool) -> list[str]:
        stack = build_stack({**base, "auth": auth, "needs_admin_ui": needs_admin_ui})
        return [component.key for component in stack.components]

    with_admin = build_stack({**base, "auth": "users", "needs_admin_ui": True})
    added = set(with_admin.services[0].dependencies) - set(
        build_stack({**base, "auth": "users", "needs_admin_ui": False}).services[0].dependencies
    )
    library = {"fastapi": "sqladmin", "litestar": "sqladmin", "flask": "flask-admin"}
    if framework in library:
        assert component_keys("users", True)[-2:] == ["users", "admin"]
        assert any(d.startswith(library[framework] + ">=") for d in added)
        assert with_admin.readme_sections[-1].endswith("components/admin.md.jinja")
    else:  # Django's admin is part of every Django project
        assert "admin" not in component_keys("users", True) and not added
    # Without users there are no accounts to sign staff in with, so no admin library.
    assert "admin" not in component_keys("none", True)
    with pytest.raises(ProfileError, match="'needs_admin_ui'"):
        build_stack({**base, "auth": "users"})
