"""Render a covering set of answers at two git revisions and show how the projects differ.

    uv run python scripts/compare_renders.py BASE [HEAD]

BASE and HEAD are git revisions of this repository; HEAD defaults to the working tree, uncommitted
edits included. Each answer set in `VARIANTS` is rendered from both with Copier (no tasks, so no
`git init`), and the script prints a unified diff of every file that differs, then one summary
line per variant. A refactoring of the template should leave every project byte-identical except
where it meant to change them; this is how to show it.

The variants cover every framework with every database and each Django API layer, each Python
version, and the shipped presets' decision answers (the ADR is drawn from them).
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

import copier

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PARTS = ("copier.yml", "template", "extensions")

# Files whose content is random or names the template's revision by design.
VOLATILE = {".env", ".copier-answers.yml"}

IDENTITY = {"project_name": "Render Check", "author_name": "Team", "author_email": "t@example.com"}


def _variants() -> dict[str, dict[str, object]]:
    variants: dict[str, dict[str, object]] = {}
    pythons = ["3.12", "3.13", "3.14"]
    stacks = [
        ("fastapi", None),
        ("django", "ninja"),
        ("django", "drf"),
        ("flask", None),
        ("litestar", None),
    ]
    index = 0
    for framework, api in stacks:
        for database in ("postgresql", "mysql", "sqlite"):
            answers: dict[str, object] = {
                "framework": framework,
                "database": database,
                "python_version": pythons[index % len(pythons)],
            }
            if api:
                answers["django_api"] = api
            variants[f"{framework}{'-' + api if api else ''}-{database}"] = answers
            index += 1
    # Django + FastAPI runs on a database server only.
    for database in ("postgresql", "mysql"):
        variants[f"django_fastapi-{database}"] = {
            "framework": "django_fastapi",
            "database": database,
        }
    # Decision answers that exercise every rule's prose in the ADR, overrides included.
    variants["decisions-admin-tool"] = {
        "primary_function": "crud_app",
        "async_confidence": "low",
        "time_to_first_version": "tight",
        "needs_admin_ui": True,
        "framework": "django",
    }
    variants["decisions-ml-api-override"] = {
        "primary_function": "public_api",
        "async_confidence": "high",
        "ml_on_roadmap": True,
        "service_shape": "fleet",
        "framework": "flask",
    }
    variants["decisions-throughput-first"] = {
        "primary_function": "public_api",
        "async_confidence": "high",
        "throughput_priority": True,
        "framework": "litestar",
    }
    variants["decisions-small-fleet"] = {
        "primary_function": "small_service",
        "service_shape": "fleet",
        "framework": "flask",
        "database": "sqlite",
    }
    return variants


VARIANTS = _variants()


def export_template(revision: str | None, destination: Path) -> Path:
    """The template's files at `revision` (None: the working tree) in `destination`."""
    destination.mkdir(parents=True)
    if revision is None:
        parts = [str(REPO_ROOT / part) for part in TEMPLATE_PARTS]
        subprocess.run(["cp", "-r", *parts, str(destination)], check=True)
        return destination
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", revision, *TEMPLATE_PARTS],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(destination)], input=archive, check=True)
    return destination


def render(template: Path, answers: dict[str, object], destination: Path) -> Path:
    copier.run_copy(
        str(template),
        str(destination),
        data={**IDENTITY, **answers},
        defaults=True,
        unsafe=True,
        skip_tasks=True,
        quiet=True,
    )
    return destination


def project_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in VOLATILE and ".git" not in path.parts
    }


def diff_projects(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    lines: list[str] = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        old_lines = (old or b"").decode(errors="replace").splitlines(keepends=True)
        new_lines = (new or b"").decode(errors="replace").splitlines(keepends=True)
        lines.extend(
            difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=f"a/{name}" if old is not None else "/dev/null",
                tofile=f"b/{name}" if new is not None else "/dev/null",
            )
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="git revision to compare from")
    parser.add_argument("head", nargs="?", help="git revision to compare to (default: work tree)")
    parser.add_argument("--only", help="render only the variants whose name contains this")
    arguments = parser.parse_args(argv)

    summary: list[str] = []
    with tempfile.TemporaryDirectory(prefix="stackpick-compare-") as scratch:
        root = Path(scratch)
        templates = {
            "a": export_template(arguments.base, root / "template-a"),
            "b": export_template(arguments.head, root / "template-b"),
        }
        for name, answers in VARIANTS.items():
            if arguments.only and arguments.only not in name:
                continue
            before = project_files(render(templates["a"], answers, root / "a" / name))
            after = project_files(render(templates["b"], answers, root / "b" / name))
            lines = diff_projects(before, after)
            changed = sum(1 for line in lines if line.startswith("+++ "))
            sys.stdout.writelines(f"[{name}] {line}" for line in lines)
            summary.append(f"{name}: {len(after)} files, {changed} differ")
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
