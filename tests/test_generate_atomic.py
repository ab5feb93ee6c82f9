"""`obsgen generate` killed at random moments: generated/ is wholly the old tree or wholly
the new one, never a mix, and the next run leaves nothing behind.

Two systems, so a tree written system by system would show a mix: the example without its
SLOs (the writing is what is under test; compiling the SLOs' tests, most of a run's CPU,
only lengthens the time before it, and makes each trial cost five times as much) and a
quiet one. Each trial starts from the old tree, starts a generate of changed definitions,
and kills it (SIGKILL) after a random share of a full run's time; a trial whose staging
folder survives the kill was killed inside the write phase, and enough trials must be.
The runs are forked from a process that has imported obsgen already (cli_runner.py): the
same command, without paying the interpreter's start-up per trial, and with more of each
run inside the write phase.
"""

from __future__ import annotations

import os
import random
import shutil

from cli_runner import RUNNER
from conftest import run_obsgen
from obsgen.render.writer import read_tree
from test_obsgen_test import QUIET

TRIALS = 24
IN_WRITE_PHASE = 6  # trials that must land inside the write phase


def _generate(project, kill_after: float | None = None) -> tuple[float, int]:
    """`obsgen generate` in project, run to the end or killed (SIGKILL) after kill_after seconds."""
    result, seconds = RUNNER.run(["generate"], project, dict(os.environ), kill_after)
    return seconds, result.returncode


def test_a_killed_generate_leaves_the_old_tree_or_the_new_one(small_project):
    project, generated = small_project, small_project / "generated"
    (project / "definitions" / "quiet").mkdir()
    (project / "definitions" / "quiet" / "__init__.py").write_text(QUIET)
    assert _generate(project)[1] == 0
    old = read_tree(generated)
    pristine = project.parent / f"{project.name}-old"
    shutil.copytree(generated, pristine)
    for package in ("example", "quiet"):  # every system changes: a mix of old and new shows in either
        init = project / "definitions" / package / "__init__.py"
        init.write_text(init.read_text() + "\nimport dataclasses\nSYSTEM = dataclasses.replace(SYSTEM, title=SYSTEM.title + ' v2')\n")
    full, code = _generate(project)
    assert code == 0
    new = read_tree(generated)
    assert new != old and set(new) == set(old)

    rng = random.Random(20260105)
    outcomes = {"old": 0, "new": 0}
    inside = 0
    trials = 0
    while trials < TRIALS or (inside < IN_WRITE_PHASE and trials < 3 * TRIALS):
        trials += 1
        shutil.rmtree(generated)
        shutil.copytree(pristine, generated)
        _generate(project, kill_after=rng.uniform(0.0, 1.05) * full)
        tree = read_tree(generated)
        assert tree in (old, new), f"trial {trials}: generated/ is neither the old tree nor the new one"
        outcomes["old" if tree == old else "new"] += 1
        left = sorted(p.name for p in project.glob(".generated.*"))
        assert all(name.startswith((".generated.new-", ".generated.old-")) for name in left), left
        inside += bool(left)
        for path in project.glob(".generated.*"):  # as the next run would: each trial starts clean
            shutil.rmtree(path)
    assert inside >= IN_WRITE_PHASE, f"only {inside} of {trials} kills landed inside the write phase ({outcomes})"

    # A kill's leftovers: --check reports them, the next generate removes them.
    shutil.copytree(pristine, project / ".generated.new-killed01")
    check = run_obsgen("generate", "--check", cwd=project)
    assert check.returncode == 1 and "leftover .generated.new-killed01/" in check.stderr, check.stderr
    assert _generate(project)[1] == 0
    assert read_tree(generated) == new and not list(project.glob(".generated.*"))
    print(f"\n{trials} kills: {outcomes['old']} left the old tree, {outcomes['new']} the new one; {inside} inside the write phase")
