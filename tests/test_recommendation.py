"""Unit tests of the recommendation engine (the README's "How the recommendation is made"),
with no Copier involved."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from recommendation import (
    FRAMEWORK_NAMES,
    FRAMEWORKS,
    AnswerError,
    all_answer_combinations,
    decide,
    flips,
    recommend,
    recommendation_help,
    suggested_auth,
)

# The README's vote table ("The questions"), written out independently of the engine's tables.
DOCUMENTED_VOTES: dict[str, dict[Any, set[str]]] = {
    "primary_function": {
        "crud_app": {"django"},
        "public_api": {"fastapi"},
        "small_service": {"flask"},
    },
    "async_confidence": {
        "high": {"fastapi"},
        "mixed": {"django", "flask"},
        "low": {"django", "flask"},
    },
    "time_to_first_version": {"tight": {"django", "flask"}, "runway": {"fastapi"}},
    "needs_admin_ui": {True: {"django"}, False: set()},
    "service_shape": {"one_app": {"django"}, "fleet": {"flask", "fastapi"}},
    "ml_on_roadmap": {True: {"fastapi"}, False: set()},
    "throughput_priority": {True: set(), False: set()},
}

ALL = all_answer_combinations()


def answers(**overrides: Any) -> dict[str, Any]:
    base = {
        "primary_function": "public_api",
        "async_confidence": "mixed",
        "time_to_first_version": "runway",
        "needs_admin_ui": False,
        "service_shape": "one_app",
        "ml_on_roadmap": False,
        "throughput_priority": False,
    }
    return {**base, **overrides}


def spec_votes(combination: dict[str, Any]) -> Counter[str]:
    votes: Counter[str] = Counter(dict.fromkeys(FRAMEWORKS, 0))
    for key, table in DOCUMENTED_VOTES.items():
        votes.update(table[combination[key]])
    return votes


def test_there_are_288_distinct_combinations() -> None:
    assert len(ALL) == 288
    assert len({tuple(sorted(c.items())) for c in ALL}) == 288


def throughput_first_applies(combination: dict[str, Any]) -> bool:
    """The README's conditions for Litestar, besides FastAPI winning the vote."""
    return (
        combination["async_confidence"] == "high"
        and combination["throughput_priority"]
        and not combination["ml_on_roadmap"]
    )


def split_workloads_applies(combination: dict[str, Any]) -> bool:
    """The README's conditions for Django + FastAPI, besides Django winning the vote."""
    return bool(combination["ml_on_roadmap"]) and combination["async_confidence"] != "low"


# Each refinement: the framework it recommends, the voted decision it refines (which becomes
# the runner-up), and its conditions.
REFINEMENTS = {
    "throughput_first": ("litestar", "fastapi", throughput_first_applies),
    "split_workloads": ("django_fastapi", "django", split_workloads_applies),
}


@pytest.mark.parametrize("combination", ALL, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_every_combination_is_consistent(combination: dict[str, Any]) -> None:
    result = recommend(combination)
    votes = spec_votes(combination)
    assert dict(result.votes) == dict(votes)

    top = max(votes.values())
    leaders = tuple(f for f in FRAMEWORKS if votes[f] == top)
    assert result.leaders == leaders

    # The vote decides FastAPI, Django or Flask; a refinement may then move exactly the
    # decision it names, when its conditions hold, and only then.
    framework, rule = decide(combination, votes)
    for name, (refined, decided, applies) in REFINEMENTS.items():
        if result.rule == name:
            assert (result.framework, result.runner_up) == (refined, decided)
            assert framework == decided and applies(combination)
        else:
            assert not (framework == decided and applies(combination))
    if result.rule not in REFINEMENTS:
        assert (result.framework, result.rule) == (framework, rule)
    # The throughput answer casts no vote.
    assert recommend({**combination, "throughput_priority": False}).votes == result.votes

    assert framework in leaders
    others_best = max(v for f, v in votes.items() if f != framework)
    confident = combination["async_confidence"] == "high"
    if rule == "majority":
        assert votes[framework] >= 3 and votes[framework] > others_best
    elif rule == "plurality":
        assert leaders == (framework,) and votes[framework] < 3
    else:
        assert len(leaders) > 1, "tie rules apply to ties only"
        if rule == "async_and_ml":
            assert framework == "fastapi" and confident and combination["ml_on_roadmap"]
        elif rule == "move_fast":
            assert framework == "django"
            assert not confident and combination["time_to_first_version"] == "tight"
            assert not ("fastapi" in leaders and confident and combination["ml_on_roadmap"])
        else:
            assert rule == "greenfield_default"
            assert framework == leaders[0]

    if result.rule not in REFINEMENTS:
        assert result.runner_up != result.framework
        assert votes[result.runner_up] == others_best
    assert [r.question for r in result.reasons] == list(DOCUMENTED_VOTES)
    for reason in result.reasons:
        assert set(reason.favours) == DOCUMENTED_VOTES[reason.question][reason.answer]
        assert reason.why and "\n" not in reason.why


def test_every_rule_and_every_framework_is_reached() -> None:
    results = [recommend(c) for c in ALL]
    assert {r.rule for r in results} == {
        "majority",
        "plurality",
        "async_and_ml",
        "move_fast",
        "greenfield_default",
        "throughput_first",
        "split_workloads",
    }
    assert {r.framework for r in results} == set(FRAMEWORK_NAMES)


@pytest.mark.parametrize(
    ("overrides", "framework", "rule"),
    [
        # Django 5 (crud_app, mixed, tight, admin, one_app), Flask 2, FastAPI 0.
        (
            dict(primary_function="crud_app", time_to_first_version="tight", needs_admin_ui=True),
            "django",
            "majority",
        ),
        # FastAPI 3 (public_api, high, runway), Django 1 (one_app), Flask 0.
        (dict(async_confidence="high"), "fastapi", "majority"),
        # Flask 3 (mixed, tight, fleet), FastAPI 2 (public_api, fleet), Django 2 (mixed, tight).
        (dict(time_to_first_version="tight", service_shape="fleet"), "flask", "majority"),
        # FastAPI 2 (high, runway), Django 1 (one_app), Flask 1 (small_service).
        (dict(primary_function="small_service", async_confidence="high"), "fastapi", "plurality"),
        # FastAPI 3 (high, fleet, ml), Django 3 (crud_app, tight, admin), Flask 2 (tight, fleet).
        (
            dict(
                primary_function="crud_app",
                async_confidence="high",
                time_to_first_version="tight",
                needs_admin_ui=True,
                service_shape="fleet",
                ml_on_roadmap=True,
            ),
            "fastapi",
            "async_and_ml",
        ),
        # Django 3 (crud_app, low, tight), Flask 3 (low, tight, fleet), FastAPI 2 (fleet, ML).
        (
            dict(
                primary_function="crud_app",
                async_confidence="low",
                time_to_first_version="tight",
                service_shape="fleet",
                ml_on_roadmap=True,
            ),
            "django",
            "move_fast",
        ),
        # The questionnaire's defaults: FastAPI 2, Django 2, Flask 1, runway: no tie signal.
        ({}, "fastapi", "greenfield_default"),
        # Django 2 (tight, one_app), Flask 2 (small_service, tight), FastAPI 1 (high).
        (
            dict(
                primary_function="small_service",
                async_confidence="high",
                time_to_first_version="tight",
            ),
            "django",
            "greenfield_default",
        ),
        # FastAPI 3 (public_api, high, runway), refined: throughput first, no ML.
        (dict(async_confidence="high", throughput_priority=True), "litestar", "throughput_first"),
        # The same, but ML on the roadmap keeps FastAPI (FastAPI 4: majority).
        (
            dict(async_confidence="high", throughput_priority=True, ml_on_roadmap=True),
            "fastapi",
            "majority",
        ),
        # Throughput first with mixed async confidence: FastAPI by the vote, and it stays.
        ({"throughput_priority": True}, "fastapi", "greenfield_default"),
        # Django 4 (crud_app, mixed, admin, one_app), FastAPI 2 (runway, ML), Flask 1: with
        # ML and an async-capable team, the work is split.
        (
            dict(primary_function="crud_app", needs_admin_ui=True, ml_on_roadmap=True),
            "django_fastapi",
            "split_workloads",
        ),
        # The same with mixed async and a tight deadline: Django by move_fast, then split.
        (
            dict(
                primary_function="crud_app",
                time_to_first_version="tight",
                service_shape="fleet",
                ml_on_roadmap=True,
            ),
            "django_fastapi",
            "split_workloads",
        ),
        # Low async confidence keeps Django alone (with the note about a separate service).
        (
            dict(
                primary_function="crud_app",
                async_confidence="low",
                needs_admin_ui=True,
                ml_on_roadmap=True,
            ),
            "django",
            "majority",
        ),
        # Throughput first while Django wins (3 votes): throughput_first refines FastAPI only.
        (
            dict(
                primary_function="crud_app",
                async_confidence="high",
                time_to_first_version="tight",
                throughput_priority=True,
            ),
            "django",
            "majority",
        ),
    ],
    ids=[
        "majority-django",
        "majority-fastapi",
        "majority-flask",
        "plurality",
        "async_and_ml",
        "move_fast",
        "greenfield_default-fastapi",
        "greenfield_default-django",
        "throughput_first",
        "throughput_first-not-with-ml",
        "throughput_first-not-with-mixed-async",
        "split_workloads",
        "split_workloads-after-move_fast",
        "split_workloads-not-with-low-async",
        "throughput_first-not-for-django",
    ],
)
def test_each_rule_on_a_worked_example(
    overrides: dict[str, Any], framework: str, rule: str
) -> None:
    result = recommend(answers(**overrides))
    assert (result.framework, result.rule) == (framework, rule)


# Rows of the seed article's decision table that map onto the questions. "REST API on top
# of an existing Django app" does not: the questionnaire starts new projects only.
SEED_TABLE: dict[str, tuple[dict[str, Any], set[str]]] = {
    "new async API, no admin requirements": (
        dict(primary_function="public_api", async_confidence="high", needs_admin_ui=False),
        {"fastapi"},
    ),
    "ML inference or AI integration endpoints": (
        dict(primary_function="public_api", ml_on_roadmap=True, service_shape="fleet"),
        {"fastapi"},
    ),
    "complex data model, internal admin needed": (
        dict(primary_function="crud_app", needs_admin_ui=True),
        {"django"},
    ),
    "startup with non-technical co-founders who need data access": (
        dict(
            primary_function="crud_app",
            needs_admin_ui=True,
            async_confidence="low",
            time_to_first_version="tight",
        ),
        {"django"},
    ),
    "multi-engineer team, needs strong conventions": (
        dict(primary_function="crud_app", service_shape="one_app", async_confidence="mixed"),
        {"django"},
    ),
    "microservice with specific, bounded requirements": (
        dict(primary_function="small_service", service_shape="fleet", async_confidence="high"),
        {"flask", "fastapi"},
    ),
    "experienced team, unusual architectural needs": (
        dict(
            primary_function="small_service",
            async_confidence="high",
            time_to_first_version="tight",
            service_shape="fleet",
        ),
        {"flask"},
    ),
    "greenfield project, team has no strong preference": ({}, {"fastapi"}),
    "high-concurrency API, I/O-heavy with no admin needs": (
        dict(primary_function="public_api", async_confidence="high", service_shape="fleet"),
        {"fastapi"},
    ),
}


@pytest.mark.parametrize("situation", list(SEED_TABLE))
def test_seed_decision_table(situation: str) -> None:
    overrides, expected = SEED_TABLE[situation]
    assert recommend(answers(**overrides)).framework in expected


def test_seed_tie_breaks() -> None:
    """'If they split evenly: FastAPI if async and ML are in the picture; Django if the
    team has mixed experience and the product needs to move fast.'"""
    tie_async_ml = answers(
        async_confidence="high",
        time_to_first_version="tight",
        needs_admin_ui=True,
        ml_on_roadmap=True,
    )
    assert recommend(tie_async_ml).rule == "async_and_ml"
    tie_move_fast = answers(
        primary_function="small_service", time_to_first_version="tight", service_shape="one_app"
    )
    assert recommend(tie_move_fast).votes == {"fastapi": 0, "django": 3, "flask": 3}
    assert recommend(tie_move_fast).rule == "move_fast"


def test_notes() -> None:
    django_with_ml = recommend(
        answers(
            primary_function="crud_app",
            async_confidence="low",
            needs_admin_ui=True,
            ml_on_roadmap=True,
        )
    )
    assert django_with_ml.framework == "django"
    assert any("FastAPI inference service" in note for note in django_with_ml.notes)

    pair = recommend(answers(primary_function="crud_app", needs_admin_ui=True, ml_on_roadmap=True))
    assert pair.framework == "django_fastapi"
    assert [note for note in pair.notes if "two services" in note] == [
        "Django + FastAPI means two services to deploy and keep up to date; if the async part "
        "stays small, Django alone with django-ninja's async views is one service (choose "
        "Django to override)."
    ]
    # Neither "plan a FastAPI service" (it is there) nor "budget for an admin" (Django's).
    assert not any("inference service" in note or "admin" in note for note in pair.notes)

    litestar = recommend(answers(async_confidence="high", service_shape="fleet"))
    assert litestar.framework == "fastapi"
    assert any("Litestar" in note for note in litestar.notes)

    with_ml = recommend(answers(async_confidence="high", service_shape="fleet", ml_on_roadmap=True))
    assert with_ml.framework == "fastapi"
    assert not any("Litestar" in note for note in with_ml.notes)

    litestar_chosen = recommend(
        answers(async_confidence="high", throughput_priority=True, needs_admin_ui=True)
    )
    assert litestar_chosen.framework == "litestar"
    assert any("should ML move onto the roadmap" in note for note in litestar_chosen.notes)
    assert any("sqladmin (mounted as an ASGI app)" in note for note in litestar_chosen.notes)

    quiet = recommend(answers(primary_function="crud_app", time_to_first_version="tight"))
    assert quiet.framework == "django"
    assert quiet.notes == ()


def test_flips_are_exactly_the_single_changes_that_alter_the_outcome() -> None:
    for combination in ALL[::7]:
        current = recommend(combination).framework
        listed = {(f.question, f.answer): f.framework for f in flips(combination)}
        for key, table in DOCUMENTED_VOTES.items():
            for alternative in table:
                if alternative == combination[key]:
                    continue
                outcome = recommend({**combination, key: alternative}).framework
                if outcome == current:
                    assert (key, alternative) not in listed
                else:
                    assert listed[(key, alternative)] == outcome


def test_extra_keys_are_ignored_and_bad_answers_refused() -> None:
    assert recommend({**answers(), "project_name": "x", "_commit": "abc"}).framework == "fastapi"
    with pytest.raises(AnswerError, match="primary_function='cms' is not one of"):
        recommend(answers(primary_function="cms"))
    with pytest.raises(AnswerError, match="missing answer: ml_on_roadmap"):
        recommend({k: v for k, v in answers().items() if k != "ml_on_roadmap"})


def test_help_text_lists_a_reason_per_question() -> None:
    text = recommendation_help(recommend(answers(primary_function="crud_app")))
    lines = text.splitlines()
    assert lines[0].startswith(
        "Recommended: Django (votes: FastAPI 1, Django 3, Flask 1; rule majority"
    )
    assert sum(line.startswith("  - ") for line in lines) == 7
    assert "Primary job = crud_app -> Django" in text
    assert "Admin UI for non-technical users = no -> none" in text
    assert "Throughput per server a top priority = no -> none" in text


def test_litestar_is_explained_with_its_rule_and_its_runner_up() -> None:
    throughput_first = answers(async_confidence="high", throughput_priority=True)
    result = recommend(throughput_first)
    assert (
        recommendation_help(result)
        .splitlines()[0]
        .startswith(
            "Recommended: Litestar (votes: FastAPI 3, Django 1, Flask 0; rule throughput_first: "
            "FastAPI won the vote"
        )
    )
    assert result.runner_up == "fastapi"
    # The decision record lists each single answer that undoes the refinement.
    back_to_fastapi = {
        (flip.question, flip.answer)
        for flip in flips(throughput_first)
        if flip.framework == "fastapi"
    }
    assert {("throughput_priority", False), ("ml_on_roadmap", True)} <= back_to_fastapi


def test_django_and_fastapi_is_explained_with_its_rule_and_its_runner_up() -> None:
    split = answers(primary_function="crud_app", needs_admin_ui=True, ml_on_roadmap=True)
    result = recommend(split)
    first_line = recommendation_help(result).splitlines()[0]
    assert first_line.startswith(
        "Recommended: Django + FastAPI (votes: FastAPI 2, Django 4, Flask 1; rule "
        "split_workloads: Django won the vote with ML on the roadmap"
    )
    assert "two deployments and two dependency chains" in first_line
    assert result.runner_up == "django"
    # Either single answer that undoes the split is listed in the decision record.
    back_to_django = {(f.question, f.answer) for f in flips(split) if f.framework == "django"}
    assert {("ml_on_roadmap", False), ("async_confidence", "low")} <= back_to_django


@pytest.mark.parametrize(
    ("primary_function", "needs_admin_ui", "suggested"),
    [
        ("crud_app", False, "users"),
        ("public_api", True, "users"),
        ("small_service", True, "users"),
        ("public_api", False, "none"),
        ("small_service", False, "none"),
    ],
)
def test_users_are_suggested_where_people_manage_data(
    primary_function: str, needs_admin_ui: bool, suggested: str
) -> None:
    answers = {"primary_function": primary_function, "needs_admin_ui": needs_admin_ui}
    assert suggested_auth(answers, existing_project=False) == suggested
    # A project that already exists is never switched to sign-in by an update.
    assert suggested_auth(answers, existing_project=True) == "none"
