"""The framework recommendation engine, and the Jinja filters that expose it.

The engine turns the questionnaire's answers into a recommended web framework,
following the votes and rules the README states ("The questions", "How the
recommendation is made": five decision questions plus the ML question vote among
FastAPI, Django and Flask; two refinement rules can then move the decision to Litestar
or to Django with a FastAPI service beside it). Everything
above the "Jinja layer" line is pure Python: no I/O, no Copier, so the tests import
and exercise it directly.

Copier loads this file by path through copier-template-extensions, outside any
package, so it must stay self-contained: import nothing from its siblings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment
from jinja2.ext import Extension

# The frameworks the answers vote for. Order matters: it breaks ties ("first leader in the
# order FastAPI, Django, Flask").
FRAMEWORKS: Final = ("fastapi", "django", "flask")

# Every framework a project can be generated with: the voted ones, and those a refinement
# rule reaches after the vote.
FRAMEWORK_NAMES: Final = {
    "fastapi": "FastAPI",
    "django": "Django",
    "flask": "Flask",
    "litestar": "Litestar",
    "django_fastapi": "Django + FastAPI",
}

MAJORITY_THRESHOLD: Final = 3


@dataclass(frozen=True)
class Choice:
    """One possible answer to a decision question and the frameworks it favours."""

    votes_for: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    choices: Mapping[Any, Choice]


# The decision questions, their choices, whom each choice votes for and why.
QUESTIONS: Final = (
    Question(
        key="primary_function",
        label="Primary job",
        choices={
            "crud_app": Choice(
                ("django",),
                "CRUD over relational data is what Django's ORM, forms and admin were built for.",
            ),
            "public_api": Choice(
                ("fastapi",),
                "A high-throughput public API benefits from FastAPI's async I/O, validation and OpenAPI.",
            ),
            "small_service": Choice(
                ("flask",),
                "A small, well-scoped service needs little more than Flask's routing and request handling.",
            ),
        },
    ),
    Question(
        key="async_confidence",
        label="Async confidence",
        choices={
            "high": Choice(
                ("fastapi",),
                "A team fluent in async Python gets FastAPI's concurrency without its pitfalls.",
            ),
            "mixed": Choice(
                ("django", "flask"),
                "With mixed async experience, frameworks where sync is the default are safer.",
            ),
            "low": Choice(
                ("django", "flask"),
                "With little async experience, frameworks where sync is the default are safer.",
            ),
        },
    ),
    Question(
        key="time_to_first_version",
        label="Time to first version",
        choices={
            "tight": Choice(
                ("django", "flask"),
                "A tight deadline favours frameworks that remove the assembly step.",
            ),
            "runway": Choice(
                ("fastapi",),
                "With runway, FastAPI's up-front architecture work pays off later.",
            ),
        },
    ),
    Question(
        key="needs_admin_ui",
        label="Admin UI for non-technical users",
        choices={
            True: Choice(
                ("django",),
                "Django's admin gives non-technical users a data screen almost for free.",
            ),
            False: Choice((), "No admin screen needed, so this question favours no framework."),
        },
    ),
    Question(
        key="service_shape",
        label="Service shape",
        choices={
            "one_app": Choice(
                ("django",),
                "One application benefits from Django's conventions and structure.",
            ),
            "fleet": Choice(
                ("flask", "fastapi"),
                "A fleet of small services fits the lighter footprint of Flask or FastAPI.",
            ),
        },
    ),
    Question(
        key="ml_on_roadmap",
        label="ML/AI on the roadmap",
        choices={
            True: Choice(
                ("fastapi",),
                "Model serving, LLM calls and vector search are built around FastAPI.",
            ),
            False: Choice((), "No ML on the roadmap, so this question favours no framework."),
        },
    ),
    Question(
        key="throughput_priority",
        label="Throughput per server a top priority",
        choices={
            True: Choice(
                (),
                "No vote among the three; if FastAPI wins with an async-fluent team and no ML, "
                "Litestar's lower per-request overhead takes its place.",
            ),
            False: Choice((), "Throughput per server is not the deciding concern: no vote."),
        },
    ),
)

QUESTIONS_BY_KEY: Final = {question.key: question for question in QUESTIONS}


@dataclass(frozen=True)
class Reason:
    """Why one answer favoured the frameworks it did."""

    question: str
    label: str
    answer: Any
    favours: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Flip:
    """A different answer to one question that would change the recommendation."""

    question: str
    label: str
    answer: Any
    framework: str


@dataclass(frozen=True)
class Recommendation:
    framework: str
    rule: str
    votes: Mapping[str, int]
    leaders: tuple[str, ...]
    runner_up: str
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...]

    @property
    def name(self) -> str:
        return FRAMEWORK_NAMES[self.framework]


RULE_EXPLANATIONS: Final = {
    "majority": "one framework won three or more questions, more than any other",
    "plurality": "one framework won more questions than any other, though fewer than three",
    "async_and_ml": "a tie, broken for FastAPI because async confidence is high and ML is on the roadmap",
    "move_fast": "a tie, broken for Django because async experience is mixed or low and time is tight",
    "greenfield_default": "a tie with no deciding signal, broken in the order FastAPI, Django, Flask",
    "throughput_first": (
        "FastAPI won the vote, and for an async-fluent team that puts throughput per server "
        "first, with no ML on the roadmap, the comparison we follow names Litestar "
        '("maximum throughput, senior team"): the same async, typed style with less '
        "overhead per request"
    ),
    "split_workloads": (
        "Django won the vote with ML on the roadmap and a team at home with async, so the "
        "comparison we follow splits the work: Django for the data, admin and auth, FastAPI "
        "beside it for the async and ML endpoints, both on one database; the price is two "
        "deployments and two dependency chains"
    ),
}


@dataclass(frozen=True)
class Refinement:
    """A rule applied after the vote: it moves one decided framework to another.

    The vote chooses among FastAPI, Django and Flask; a refinement reaches a system the
    comparison names beside them, for answers that single it out. The decided framework
    becomes the runner-up.
    """

    rule: str
    decided: str
    framework: str
    applies: Callable[[Mapping[str, Any]], bool]


def _throughput_first(answers: Mapping[str, Any]) -> bool:
    # ML keeps FastAPI: its ecosystem is the comparison's clearest single signal.
    return (
        answers["async_confidence"] == "high"
        and answers["throughput_priority"]
        and not answers["ml_on_roadmap"]
    )


def _split_workloads(answers: Mapping[str, Any]) -> bool:
    # A team with little async experience keeps Django alone: a second, async service is
    # where that experience would be needed most.
    return bool(answers["ml_on_roadmap"]) and answers["async_confidence"] != "low"


REFINEMENTS: Final = (
    Refinement(
        "throughput_first", decided="fastapi", framework="litestar", applies=_throughput_first
    ),
    Refinement(
        "split_workloads", decided="django", framework="django_fastapi", applies=_split_workloads
    ),
)


# What the team signs up for with each framework (for the decision record).
CONSEQUENCES: Final = {
    "fastapi": (
        "Request validation and the OpenAPI document come from the type hints, so the API "
        "contract stays in step with the code.",
        "The request path is async end to end: database drivers and HTTP clients must be "
        "async too, and a blocking call stalls every request on that worker.",
        "No ORM, admin or enforced layout: this project's structure is a decision the team "
        "documents and keeps.",
    ),
    "django": (
        "ORM, migrations, admin and authentication come with the framework, and Django "
        "projects look alike, so new engineers find their way quickly.",
        "The ORM is synchronous: the project serves WSGI, and heavy concurrent I/O belongs "
        "in a separate async service.",
        "The API layer (django-ninja or DRF) is an addition the team maintains.",
    ),
    "flask": (
        "Routing and request handling only: every other piece (ORM, validation, OpenAPI) is "
        "a library chosen here, which keeps the service small.",
        "The structure that Django would impose is this project's own: keep the app "
        "factory, blueprints and extensions layout as it grows.",
        "Extensions vary in quality and upkeep: review each before adding it.",
    ),
    "litestar": (
        "Request validation, serialisation and the OpenAPI document come from type hints and "
        "msgspec structs, with little overhead per request.",
        "The request path is async end to end: database drivers and HTTP clients must be "
        "async too, and a blocking call stalls every request on that worker.",
        "A smaller ecosystem than FastAPI's or Django's: fewer ready-made integrations and "
        "answers online, so the team reads Litestar's and advanced-alchemy's documentation.",
    ),
    "django_fastapi": (
        "Django owns the schema, the migrations, the admin and the full API; the FastAPI "
        "service maps the same tables for async reads, webhooks and, later, model serving.",
        "Two deployments and two dependency chains: each service is built, scaled, upgraded "
        "and monitored on its own, and a schema change ships through Django first.",
        "Two ways of talking to the database: the Django ORM in one service and SQLAlchemy in "
        "the other, kept in step by a test that compares them.",
    ),
}


class AnswerError(ValueError):
    """An answer the engine does not know."""


def normalise_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep the decision answers only, checking each against its choices."""
    normalised: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.key not in answers:
            raise AnswerError(f"missing answer: {question.key}")
        answer = answers[question.key]
        if answer not in question.choices:
            allowed = ", ".join(str(choice) for choice in question.choices)
            raise AnswerError(f"{question.key}={answer!r} is not one of: {allowed}")
        normalised[question.key] = answer
    return normalised


def count_votes(answers: Mapping[str, Any]) -> dict[str, int]:
    """One vote per framework named by each answer."""
    votes = dict.fromkeys(FRAMEWORKS, 0)
    for question in QUESTIONS:
        for framework in question.choices[answers[question.key]].votes_for:
            votes[framework] += 1
    return votes


def leaders_of(votes: Mapping[str, int]) -> tuple[str, ...]:
    """The frameworks with the most votes, in tie-break order."""
    top = max(votes.values())
    return tuple(framework for framework in FRAMEWORKS if votes[framework] == top)


def decide(answers: Mapping[str, Any], votes: Mapping[str, int]) -> tuple[str, str]:
    """Apply the README's decision rules in order; return (framework, rule)."""
    leaders = leaders_of(votes)
    if len(leaders) == 1:
        winner = leaders[0]
        rule = "majority" if votes[winner] >= MAJORITY_THRESHOLD else "plurality"
        return winner, rule
    confident = answers["async_confidence"] == "high"
    if "fastapi" in leaders and confident and answers["ml_on_roadmap"]:
        return "fastapi", "async_and_ml"
    if "django" in leaders and not confident and answers["time_to_first_version"] == "tight":
        return "django", "move_fast"
    return leaders[0], "greenfield_default"


def refine(answers: Mapping[str, Any], framework: str) -> Refinement | None:
    """The refinement that applies to the voted decision, if any."""
    for refinement in REFINEMENTS:
        if refinement.decided == framework and refinement.applies(answers):
            return refinement
    return None


def runner_up_of(votes: Mapping[str, int], winner: str) -> str:
    """The best of the rest: most votes, ties broken in FastAPI, Django, Flask order."""
    others = [framework for framework in FRAMEWORKS if framework != winner]
    return max(others, key=lambda framework: (votes[framework], -FRAMEWORKS.index(framework)))


def reasons_for(answers: Mapping[str, Any]) -> tuple[Reason, ...]:
    return tuple(
        Reason(
            question=question.key,
            label=question.label,
            answer=answers[question.key],
            favours=(choice := question.choices[answers[question.key]]).votes_for,
            why=choice.why,
        )
        for question in QUESTIONS
    )


# The admin screen each framework without a built-in one would take.
ADMIN_LIBRARIES: Final = {
    "fastapi": "sqladmin",
    "flask": "Flask-Admin",
    "litestar": "sqladmin (mounted as an ASGI app)",
}


def notes_for(answers: Mapping[str, Any], framework: str) -> tuple[str, ...]:
    """Advice that the vote alone does not capture."""
    notes = []
    if answers["ml_on_roadmap"] and framework not in ("fastapi", "django_fastapi"):
        notes.append(
            f"ML is on the roadmap but {FRAMEWORK_NAMES[framework]} won: plan a separate FastAPI "
            "inference service beside it rather than serving models from the main app."
        )
    if (
        framework == "fastapi"
        and answers["async_confidence"] == "high"
        and answers["primary_function"] == "public_api"
        and not answers["ml_on_roadmap"]
    ):
        notes.append(
            "A public API built by an async-fluent team: if throughput per server matters most, "
            "Litestar is the throughput-first alternative (answer yes to the throughput question)."
        )
    if framework == "litestar":
        notes.append(
            "Litestar instead of FastAPI: fewer integrations to pick from; should ML move onto "
            "the roadmap, FastAPI's ecosystem is the stronger base for it."
        )
    if framework == "fastapi" and answers["async_confidence"] != "high":
        notes.append(
            "FastAPI with a team new to async: a blocking call inside an `async def` stalls every "
            "request, so keep blocking libraries in plain `def` endpoints or a thread pool."
        )
    if framework == "django_fastapi":
        notes.append(
            "Django + FastAPI means two services to deploy and keep up to date; if the async "
            "part stays small, Django alone with django-ninja's async views is one service "
            "(choose Django to override)."
        )
    if answers["needs_admin_ui"] and framework not in ("django", "django_fastapi"):
        admin = ADMIN_LIBRARIES[framework]
        notes.append(
            f"An admin screen is needed but {FRAMEWORK_NAMES[framework]} has none built in: "
            f"budget time for {admin} or an internal tool."
        )
    if framework == "django" and answers["service_shape"] == "fleet":
        notes.append(
            "Django for one service in a fleet: keep each service's settings and apps small, "
            "and share conventions through this template rather than a shared codebase."
        )
    return tuple(notes)


def recommend(answers: Mapping[str, Any]) -> Recommendation:
    """Recommend a framework for the given decision answers (extra keys are ignored)."""
    decision_answers = normalise_answers(answers)
    votes = count_votes(decision_answers)
    framework, rule = decide(decision_answers, votes)
    runner_up = runner_up_of(votes, framework)
    refinement = refine(decision_answers, framework)
    if refinement is not None:
        framework, rule, runner_up = refinement.framework, refinement.rule, framework
    return Recommendation(
        framework=framework,
        rule=rule,
        votes=votes,
        leaders=leaders_of(votes),
        runner_up=runner_up,
        reasons=reasons_for(decision_answers),
        notes=notes_for(decision_answers, framework),
    )


def flips(answers: Mapping[str, Any]) -> tuple[Flip, ...]:
    """Every single-answer change that would have led to another framework."""
    current = recommend(answers).framework
    changes = []
    for question in QUESTIONS:
        for alternative in question.choices:
            if alternative == answers[question.key]:
                continue
            outcome = recommend({**answers, question.key: alternative}).framework
            if outcome != current:
                changes.append(Flip(question.key, question.label, alternative, outcome))
    return tuple(changes)


def all_answer_combinations() -> list[dict[str, Any]]:
    """Every combination of decision answers (288 of them)."""
    keys = [question.key for question in QUESTIONS]
    return [
        dict(zip(keys, values, strict=True))
        for values in product(*(tuple(question.choices) for question in QUESTIONS))
    ]


# --- Jinja layer ------------------------------------------------------------------


def _answer_text(answer: Any) -> str:
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return str(answer)


def framework_label(framework: str, recommendation: Recommendation) -> str:
    """The framework's display name, starred when it is the recommendation."""
    name = FRAMEWORK_NAMES.get(framework, framework)
    return f"{name} ★ recommended" if framework == recommendation.framework else name


def recommendation_summary(recommendation: Recommendation) -> str:
    """One line: the framework, its votes and the rule that decided."""
    votes = ", ".join(
        f"{FRAMEWORK_NAMES[framework]} {count}" for framework, count in recommendation.votes.items()
    )
    return (
        f"{recommendation.name} (votes: {votes}; rule {recommendation.rule}: "
        f"{RULE_EXPLANATIONS[recommendation.rule]})"
    )


def recommendation_help(recommendation: Recommendation) -> str:
    """The reasons, one line per question, for the framework question's help text."""
    lines = [f"Recommended: {recommendation_summary(recommendation)}"]
    for reason in recommendation.reasons:
        favours = ", ".join(FRAMEWORK_NAMES[framework] for framework in reason.favours) or "none"
        lines.append(
            f"  - {reason.label} = {_answer_text(reason.answer)} -> {favours}: {reason.why}"
        )
    lines.extend(f"  Note: {note}" for note in recommendation.notes)
    lines.append("Which framework will you use?")
    return "\n".join(lines)


def suggested_auth(answers: Mapping[str, Any], *, existing_project: bool) -> str:
    """The `auth` answer to suggest: users where people manage data through the service (an
    admin screen, or a CRUD app: someone must sign in), none otherwise. A project made before
    the question existed keeps none on update: sign-in would break every client of its API."""
    if existing_project:
        return "none"
    manages_data = answers.get("needs_admin_ui") or answers.get("primary_function") == "crud_app"
    return "users" if manages_data else "none"


def auth_default(answers: Mapping[str, Any], destination: str, answers_file: str) -> str:
    """suggested_auth for the project at `destination`, which exists when Copier updates it
    (its answers file is there) and not when Copier makes it."""
    existing = (Path(destination) / answers_file).is_file()
    return suggested_auth(answers, existing_project=existing)


class RecommendationExtension(Extension):
    """Expose the engine to Copier's Jinja environment as filters.

    `{{ _copier_answers | recommendation }}` gives the Recommendation for the
    answers so far; the other filters format it for prompts and documents.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["recommendation"] = recommend
        environment.filters["auth_default"] = auth_default
        environment.filters["decision_flips"] = flips
        environment.filters["framework_label"] = framework_label
        environment.filters["framework_name"] = lambda framework: FRAMEWORK_NAMES[framework]
        environment.filters["answer_text"] = _answer_text
        environment.filters["recommendation_summary"] = recommendation_summary
        environment.filters["recommendation_help"] = recommendation_help
        environment.filters["rule_explanation"] = RULE_EXPLANATIONS.__getitem__
        environment.filters["framework_consequences"] = CONSEQUENCES.__getitem__
