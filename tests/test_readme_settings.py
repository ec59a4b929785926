"""README's configuration table names every environment variable the code reads, and only those.

Read from the source: env(...) / env.bool / env.int / env.list / … and os.environ / os.getenv in
haidian_contest/settings.py and deploy/*.py, and ${NAME…} / $NAME in deploy/*.sh (names the script
assigns itself are its own variables, not configuration)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_FILES = [ROOT / "haidian_contest" / "settings.py", *sorted((ROOT / "deploy").glob("*.py"))]
SHELL_FILES = sorted((ROOT / "deploy").glob("*.sh"))


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_names(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            dotted = ast.unparse(func)
            if dotted == "env" or dotted.startswith("env.") or dotted in {"os.environ.get", "os.getenv"}:
                if name := _string(node.args[0]):
                    names.add(name)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if name := _string(node.slice):
                names.add(name)
    return names


def shell_names(source: str) -> set[str]:
    code = "\n".join(line.split("#", 1)[0] if not line.startswith("#!") else "" for line in source.splitlines())
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", code)) | set(re.findall(r"\$([A-Z][A-Z0-9_]*)", code))
    assigned = set(re.findall(r"(?:^|\s|export\s+)([A-Z][A-Z0-9_]*)=", code, re.M))
    return used - assigned


def code_names() -> set[str]:
    names = set()
    for path in PYTHON_FILES:
        names |= python_names(path.read_text(encoding="utf-8"))
    for path in SHELL_FILES:
        names |= shell_names(path.read_text(encoding="utf-8"))
    return names


def readme_rows() -> list[tuple[str, str]]:
    """(name, default) of each row of the configuration table, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|", section, re.M)


def readme_names() -> set[str]:
    return {name for name, _ in readme_rows()}


def _number(node):
    """A constant, or arithmetic of constants (10 * 60), as its value; None for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp) and all(isinstance(n, (ast.BinOp, ast.Constant, ast.operator))
                                           for n in ast.walk(node)):
        return eval(compile(ast.Expression(node), "<default>", "eval"))  # constants only, checked above
    return None


def literal_defaults(source: str) -> dict[str, str]:
    """The settings read with a plain number or true/false as their default, as README would write it."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and (name := _string(node.args[0])):
            dotted = ast.unparse(node.func)
            if not (dotted == "env" or dotted.startswith("env.")):
                continue
            for keyword in node.keywords:
                value = _number(keyword.value) if keyword.arg == "default" else None
                if isinstance(value, bool):
                    found[name] = str(value).lower()
                elif isinstance(value, int):
                    found[name] = str(value)
    return found


def test_the_reader_finds_each_kind_of_read():
    source = 'import os\nA = env("A")\nB = env.int("B", default=1)\nC = os.environ.get("C")\nD = os.environ["D"]\n'
    assert python_names(source) == {"A", "B", "C", "D"}
    assert shell_names('PY=x\n: "${E:?set E}"\n$PY run --n "${F:-2}" $G  # $H\n') == {"E", "F", "G"}


def test_every_variable_the_code_reads_has_a_row_in_readme():
    assert code_names() - readme_names() == set()


def test_every_row_in_readme_is_read_by_the_code():
    assert readme_names() - code_names() == set()


def test_each_variable_has_one_row_only():
    names = [name for name, _ in readme_rows()]
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_the_default_readme_states_is_the_one_the_code_uses():
    source = (ROOT / "haidian_contest" / "settings.py").read_text(encoding="utf-8")
    stated = dict(readme_rows())
    wrong = {name: (stated[name], value) for name, value in literal_defaults(source).items()
             if name in stated and f"`{value}`" not in stated[name]}
    assert wrong == {}


def test_the_settings_named_in_the_issue_are_documented():
    wanted = {"ID_HASH_KEY", "REQUIRE_2FA_ROLES", "PASSWORD_MAX_AGE_DAYS", "LOGIN_FAILURE_LIMIT",
              "LOGIN_LOCKOUT_MINUTES", "WEB_WORKERS", "CELERY_CONCURRENCY"}
    assert wanted <= readme_names() and wanted <= code_names()
