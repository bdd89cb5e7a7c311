"""The parts stay one-way: cards ← layouts ← generator ← output ← app ← the faces (cli, studio), and
the team server (serve) on the studio: it puts the studio's routes behind a sign-in, per team.
Every import in every module, also those inside functions, is read from the source (AST), so a
lower part that reaches up, or anything that imports a face, fails here; and every package's
docstring names the part it is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "dialoogkit"
SHARED = {"errors", "i18n", "safe_read", "__init__"}  # used by every part, using none of them
RANK = {"cards": 0, "layouts": 1, "generator": 2, "output": 3, "app": 4, "cli": 5, "studio": 5, "serve": 6,
        "__main__": 7}
FACES = {"cli", "studio", "serve"}
# the commands that start another face: `dialoogkit studio` runs the studio (its server, its
# launcher), `dialoogkit serve` the team server and `dialoogkit serve admin` its data
STARTS = {("dialoogkit.cli", "dialoogkit.studio"), ("dialoogkit.__main__", "dialoogkit.cli"),
          ("dialoogkit.cli_serve", "dialoogkit.serve"), ("dialoogkit.cli_serve_admin", "dialoogkit.serve")}
BUILDS_ON = {("serve", "studio")}  # the team server serves the studio's own routes


def starts(module: str, name: str) -> bool:
    return any(module == face and (name == started or name.startswith(started + ".")) for face, started in STARTS)


def part_of(module: str) -> str:
    """``dialoogkit.cards.loader`` → ``cards``; ``dialoogkit.cli_results`` → ``cli``."""
    top = module.split(".")[1] if module.count(".") >= 1 else ""
    return "cli" if top.startswith("cli") else top


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        found.append((".".join(relative.parts).removesuffix(".__init__"), path))
    return found


def imports(path: Path, module: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.split(".")[: -node.level] if not path.name == "__init__.py" else module.split(".")[: len(module.split(".")) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in names if name.startswith("dialoogkit.")]


@pytest.mark.parametrize("module, path", modules(), ids=[m for m, _ in modules()])
def test_no_part_imports_a_higher_one(module, path):
    own = part_of(module)
    if own in SHARED or own not in RANK:
        for name in imports(path, module):
            assert part_of(name) in SHARED or part_of(name) not in RANK, f"{module} (shared) imports {name}"
        return
    for name in imports(path, module):
        other = part_of(name)
        if other in SHARED or other == own or other not in RANK or starts(module, name) or (own, other) in BUILDS_ON:
            continue
        assert RANK[other] < RANK[own] or other not in FACES and RANK[other] <= RANK[own], \
            f"{module} ({own}) imports {name} ({other}): parts import only lower parts"
        assert other not in FACES, f"{module} imports the face {name}"


def test_every_part_says_what_it_is():
    for part in ("cards", "layouts", "generator", "output", "app", "studio", "serve"):
        doc = ast.get_docstring(ast.parse((PACKAGE / part / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, part
