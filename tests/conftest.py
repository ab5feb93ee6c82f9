"""Shared fixtures: the project's generated tree, the real tools, a CLI runner, files from
../shared; and, before any test, the check that generated/ matches the definitions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cli_runner
from obsgen.artifacts.read.nodes import YAML_LOADER
from obsgen.load import load_systems
from obsgen.verify.tools import ToolMissing, require

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
DEFINITIONS = ROOT / "definitions"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SCHEMA_DIR = Path(os.environ.get("OBSGEN_GRAFANA_SCHEMA", SHARED / "grafana-schema"))
# CI sets this (.ci/run): there ../shared is beside the clone and its tests are mandatory.
REQUIRE_SHARED = os.environ.get("OBSGEN_REQUIRE_SHARED") == "1"


def shared_path(name: str, what: str, path: Path | None = None) -> Path:
    """A file or folder of ../shared; without it the test skips, saying so (fails in CI)."""
    path = path or SHARED / name
    if not path.exists():
        message = f"{what} not found at {path}: ../shared is not beside this clone"
        if REQUIRE_SHARED:
            pytest.fail(f"{message}, and OBSGEN_REQUIRE_SHARED=1 makes it mandatory")
        pytest.skip(message)
    return path


# The longest tests (CPU, measured), longest first: run before the others, so that at the
# end of the parallel suite (`--dist worksteal`) neither worker is left running one alone.
HEAVY = (
    "test_every_seed_system_passes", "test_the_example_slos_generated_tests_pass", "test_kube_prometheus_rules_import_generate_and_pass_their_tests",
    "test_obsgen_type_checks", "test_output_is_byte_identical_across_hash_seeds", "test_every_alert_mutant_is_killed",
    "test_the_example_generates_lints_clean_and_passes_its_tests", "test_mutated_slo_rules_fail_the_generated_tests",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Before `-m` deselects anything: a live test in a module that does not say
    # pytest.mark.live would never run, since a live-only run skips importing that module.
    unseen = sorted({item.path.name for item in items if item.get_closest_marker("live") and "pytest.mark.live" not in item.path.read_text()})
    if unseen:
        raise pytest.UsageError(f"live tests in {unseen}: mark them with pytest.mark.live, which a live-only run looks for (pytest_ignore_collect)")
    rank = {name: i for i, name in enumerate(HEAVY)}
    items.sort(key=lambda item: rank.get(getattr(item, "originalname", item.name), len(HEAVY)))


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """For the live tests alone (`-m live`), a module with no live test is not imported:
    importing a test module compiles systems at module level, seconds per process."""
    if config.getoption("markexpr") == "live" and collection_path.name.startswith("test_") and collection_path.suffix == ".py":
        return "pytest.mark.live" not in collection_path.read_text() or None
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist: tell each worker how tests are shared out (with `--dist loadfile` a
    worker runs every test of a file, so a live module may start all its jobs at once)."""
    node.workerinput["dist"] = node.config.getoption("dist")


@pytest.hookimpl(wrapper=True)
def pytest_sessionstart(session: pytest.Session):
    """Compile the definitions and compare with generated/ first: never test stale output.

    Runs once, in the controlling process (not in each xdist worker; after pytest-xdist has
    started them, so they collect meanwhile), and not for the live tests alone (`-m live`,
    as `make test` runs them beside the suite): they compile the definitions themselves
    and read nothing from generated/.
    """
    yield
    if hasattr(session.config, "workerinput") or session.config.getoption("markexpr") == "live":
        return
    from obsgen.export import ProjectExports
    from obsgen.pipeline import iter_files
    from obsgen.render.writer import compare_tree

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        stale = [d.line() for d in compare_tree(GENERATED, iter_files(load_systems(DEFINITIONS), ProjectExports.read(ROOT / "pyproject.toml")))]
    finally:
        os.chdir(cwd)
    if stale:
        listing = "\n  ".join(stale[:20]) + ("\n  ..." if len(stale) > 20 else "")
        pytest.exit(f"generated/ is stale against definitions/; run `make generate` (or `obsgen generate`) first:\n  {listing}", returncode=1)


def load_yaml(text: str | bytes):
    """YAML as obsgen reads it: libyaml where PyYAML was built with it (pure-Python safe_load
    of the generated test files was seconds of the suite's CPU)."""
    return yaml.load(text, Loader=YAML_LOADER)


def tool(name: str) -> str:
    """The tool's path; a missing tool fails the test with the install command."""
    try:
        return require(name)
    except ToolMissing as exc:
        pytest.fail(str(exc))


def tool_verdicts(command: list[str], paths: list[Path]) -> dict[Path, bool]:
    """Whether the tool (`promtool check rules`, `amtool check-config`) accepts each file, as
    it does the file alone. Both check each file they are given on its own and fail if any
    fails, so a run over many that passes accepts every one; a run that fails is split in
    two until each refused file is refused by a run of its own. A corpus of mostly valid
    files takes a few runs instead of one per file."""
    if not paths:
        return {}
    if subprocess.run([*command, *map(str, paths)], capture_output=True, timeout=120).returncode == 0:
        return dict.fromkeys(paths, True)
    if len(paths) == 1:
        return {paths[0]: False}
    half = len(paths) // 2
    return tool_verdicts(command, paths[:half]) | tool_verdicts(command, paths[half:])


@pytest.fixture(scope="session")
def systems():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_systems(DEFINITIONS)
    finally:
        os.chdir(cwd)


def killed(report: str) -> dict[str, bool]:
    """Per test file of one `promtool test rules` run (stdout and stderr in one pipe, which
    keeps their order): whether it failed on an expectation (exp/got), so a mutant counts
    as killed only by a check, never by a file the harness broke (the unmutated tests pass
    in `obsgen test`)."""
    verdicts = {}
    for section in report.split("Unit Testing:")[1:]:
        name, _, rest = section.strip().partition("\n")
        verdicts[name.strip()] = "FAILED" in rest and "exp:" in rest and "got:" in rest
    return verdicts


def system_dirs() -> list[Path]:
    return sorted(p for p in GENERATED.iterdir() if p.is_dir() and not p.name.startswith("."))


def run_obsgen(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it (forked from a process that imported obsgen: cli_runner.py)."""
    return cli_runner.run_obsgen(*args, cwd=cwd, env=env)


def _project(root: Path, slos: bool) -> Path:
    shutil.copytree(FIXTURES / "good", root / "definitions")
    if not slos:
        init = root / "definitions" / "example" / "__init__.py"
        init.write_text(init.read_text().replace("SYSTEM = with_slos(SYSTEM)", ""))
    result = run_obsgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def _example_template(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("example-template"), slos=True)


@pytest.fixture(scope="session")
def _small_template(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("small-template"), slos=False)


@pytest.fixture
def example_project(tmp_path: Path, _example_template: Path) -> Path:
    """A throwaway project with the example definitions and its generated tree (generated
    once per session, copied per test)."""
    shutil.copytree(_example_template, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture
def small_project(tmp_path: Path, _small_template: Path) -> Path:
    """The example project without its SLOs: for `obsgen test` runs about something else
    (each SLO's promtool tests cost seconds)."""
    shutil.copytree(_small_template, tmp_path, dirs_exist_ok=True)
    return tmp_path
