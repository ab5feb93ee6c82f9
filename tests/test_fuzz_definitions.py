"""Seeded fuzzing of definition values: whatever an author types, obsgen answers with the
output or one clear line (file:line: object, field: what is wrong), never a traceback.

Each run mutates the example definitions 500 times (a number, a string, a name swapped
for another of the module, a value for None or a container), loads them and, when they
load, compiles every file. OBSGEN_FUZZ_SEED replays another run; a failure names the
seed, the mutation and the traceback.
"""

from __future__ import annotations

import ast
import functools
import os
import random
import re
import shutil
import sys
import traceback
from pathlib import Path

import pytest

from conftest import FIXTURES
from obsgen.load import LoadError, load_systems
from obsgen.model import DefinitionError
from obsgen.pipeline import iter_files

SEED = int(os.environ.get("OBSGEN_FUZZ_SEED", "20261201"))
CHUNKS = 5
PER_CHUNK = 100  # 500 mutations per run
SLO_SHARE = 0.2  # of them in slos.py, whose compile (the SLO tests) is the slow one
ERROR_LINE = re.compile(r"^\S+\.py:\d+: \S")

NUMBERS = (
    float("nan"), float("inf"), float("-inf"), -1, -0.5, 0, 0.0, 1e-300, 1e-12, 1e308, -1e308, 10**30, 2**63, 1e16,
    True, 0.1 + 0.2, 100000000, 59.999, 86400 * 400,
)
STRINGS = (
    "", " ", "x" * 500, "A" * 41, "a" * 64, "a\nb", "\t", "\x00", "🙂", "../../etc/passwd", "/", "24:30", "24:00", "00:00", "23:59",
    "5m", "1e308", "nan", "{threshold}", "{for}", "{nope}", "{{ $value }}", "{", "}", "%s", "'", '"', "\\",
    "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "https://relay.example/hook?access_token=abc123",
    "https://user:hunter2@example.com/", "Bearer abcdefghijklmnopqrstuvwxyz012345", "x[5m]", '"a string"', "1", "vector(1)[5m:1m]",
    "up", "rate(x[5m])", "sum(up) by (job)", "HighOrderLatency", "highorderlatency", "slos", "overview", "example",
    "Europe/Nowhere", "saturday:monday", "monday", "#", "#ops", "/etc/x y", "relative/file", "https://", "http://x",
    "above 100 ms.", "Latency is above 123 ms.", "P1", "critical", "warning", "le", "job",
)
CONTAINERS = (None, (), [], {}, ("a",), (None,), ((),), object())


def _pool(tree: ast.Module) -> list[str]:
    """Names a definition module uses: its own values and what it imported from obsgen."""
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return sorted(names - {"SYSTEM", "replace", "system", "tuple", "t", "__import__"})


def _replacement(rng: random.Random, node: ast.AST, pool: list[str]) -> tuple[ast.expr, str]:
    roll = rng.random()
    if isinstance(node, ast.Name) and roll < 0.6:
        other = rng.choice(pool)
        return ast.Name(id=other, ctx=ast.Load()), f"{node.id} -> {other}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and roll < 0.7:
        value = rng.choice(STRINGS)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and roll < 0.8:
        value = rng.choice(NUMBERS)
    elif roll < 0.85:
        value = rng.choice(CONTAINERS)
        if isinstance(value, object) and type(value) is object:
            return ast.parse("object()", mode="eval").body, "-> object()"
        return ast.parse(repr(value), mode="eval").body, f"-> {value!r}"
    else:
        value = rng.choice(NUMBERS + STRINGS)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return ast.parse(f"float({str(value)!r})", mode="eval").body, f"-> float({str(value)!r})"
    return ast.Constant(value=value), f"-> {value!r}"


def _targets(tree: ast.Module) -> list[ast.AST]:
    """Values inside calls (the definitions' fields): constants and names, not imports (nor
    the parts of an f-string, whose positions Python 3.11 does not keep)."""
    in_fstrings = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for n in ast.walk(f)}
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        for child in ast.walk(call):
            if id(child) in in_fstrings:
                continue
            if isinstance(child, ast.Constant) or (isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load)):
                found.append(child)
    return found


@functools.cache
def _mutable(source: str) -> tuple[bytes, list[int], list[str], list[ast.AST]]:
    """A module's text, where each line starts (in bytes: AST columns count UTF-8 bytes), its
    name pool and its mutation targets: worked out once per module, not once per mutation."""
    data = source.encode()
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    tree = ast.parse(source)
    return data, starts, _pool(tree), _targets(tree)


def _mutate(rng: random.Random, source: str) -> tuple[str, str]:
    """The module with one value replaced, in its own text (so its lines keep their numbers);
    the replacement is parenthesised, which keeps any place a value can stand valid."""
    data, starts, pool, targets = _mutable(source)
    target = rng.choice(targets)
    replacement, what = _replacement(rng, target, pool)
    begin = starts[target.lineno - 1] + target.col_offset
    end = starts[target.end_lineno - 1] + target.end_col_offset
    mutated = data[:begin] + f"({ast.unparse(replacement)})".encode() + data[end:]
    return mutated.decode(), f"line {target.lineno}: {ast.unparse(target)[:60]} {what[:80]}"


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "good", tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # a rewritten module is read again, not its cached bytecode
    monkeypatch.setenv("OBSGEN_LOAD_TIMEOUT", "20")
    return tmp_path / "definitions" / "example"


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # a swapped name can make "'str' object is not callable"
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_definitions_never_give_a_traceback(project, chunk):
    rng = random.Random(SEED * 1000 + chunk)
    originals = {name: (project / name).read_text() for name in ("__init__.py", "slos.py")}
    failures, outcomes = [], {"loaded": 0, "refused": 0}
    for i in range(PER_CHUNK):
        in_slos = rng.random() < SLO_SHARE
        name = "slos.py" if in_slos else "__init__.py"
        mutated, what = _mutate(rng, originals[name])
        # SLO tests are slow to compile: mutations of __init__.py are compiled without the SLOs
        init = originals["__init__.py"] if in_slos else mutated.replace("SYSTEM = with_slos(SYSTEM)", "pass")
        (project / "__init__.py").write_text(init)
        (project / "slos.py").write_text(mutated if in_slos else originals["slos.py"])
        where = f"mutation {i} of chunk {chunk} (OBSGEN_FUZZ_SEED={SEED}), {name} {what}"
        try:
            list(iter_files(load_systems("definitions")))
            outcomes["loaded"] += 1
        except (LoadError, DefinitionError) as exc:
            outcomes["refused"] += 1
            message = str(exc)
            if "\n" in message or not ERROR_LINE.match(message):
                failures.append(f"{where}: not one line naming file:line:\n    {message[:400]!r}")
        except BaseException:  # noqa: BLE001  (the point: nothing else may escape)
            failures.append(f"{where}:\n{traceback.format_exc(limit=-6)}")
    assert not failures, f"{len(failures)} of {PER_CHUNK} mutations escaped:\n" + "\n".join(failures[:8])
    assert outcomes["loaded"] and outcomes["refused"] > PER_CHUNK // 4, outcomes  # the mutations reach both sides
