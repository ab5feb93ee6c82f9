"""One arrow from definitions to files: compile each artifact, render it to bytes, one file at a time."""

from __future__ import annotations

from typing import Iterator

from .compile.alertmanager import compile_alertmanager
from .compile.dashboards import compile_dashboards
from .compile.handbook import compile_handbook
from .compile.provisioning import compile_provisioning
from .compile.routing_cases import compile_routing_cases
from .compile.rule_tests import compile_rule_tests
from .compile.scenarios import compile_scenario_tests
from .compile.rules import compile_rules
from .compile.slo_rules import compile_slo_rules
from .compile.slo_tests import compile_slo_tests
from .artifacts.write import alertmanager_bytes, dashboard_bytes, rule_file_bytes
from .export import Compiled, ProjectExports, export_files
from .load import LoadedSystem
from .render.yaml_file import generated_header as _header, render_yaml, render_yaml_as_json


def iter_served_files(loaded: LoadedSystem) -> Iterator[tuple[str, bytes]]:
    """What the servers of one system load: its rule files and alertmanager.yml. The simulator
    and check-metrics read only these; the tests (the SLOs' above all), dashboards and
    handbook are most of a compile."""
    system, origin = loaded.system, loaded.package
    for name, rule_file in compile_rules(system):
        kind = "alerting" if name.endswith(".alerts.yml") else "recording"
        yield f"rules/{name}", rule_file_bytes(rule_file, _header(origin, f"Prometheus {kind} rules"))
    for name, rule_file in compile_slo_rules(system).items():
        kind = "SLO alerting" if name.endswith(".alerts.yml") else "SLO recording"
        yield f"rules/{name}", rule_file_bytes(rule_file, _header(origin, f"Prometheus {kind} rules"))
    yield "alertmanager.yml", alertmanager_bytes(compile_alertmanager(system), _header(origin, "Alertmanager configuration"))


def served_files(loaded: LoadedSystem) -> dict[str, bytes]:
    """The files the servers of one system load, by path relative to generated/<system>/."""
    return dict(sorted(iter_served_files(loaded)))


def iter_prometheus_files(loaded: LoadedSystem) -> Iterator[tuple[str, bytes]]:
    """The plain Prometheus, Alertmanager and Grafana files of one system, with tests and
    handbook, one at a time: a writer can put each on disk before the next is built."""
    system, origin = loaded.system, loaded.package
    yield from iter_served_files(loaded)
    for name, slo_tests in compile_slo_tests(system).items():
        yield f"tests/{name}", render_yaml_as_json(slo_tests, _header(origin, "SLO rule tests (promtool test rules)"))
    for name, rule_tests in compile_rule_tests(system):
        yield f"tests/{name}", render_yaml_as_json(rule_tests, _header(origin, "promtool unit tests of every alert level (promtool test rules)"))
    if system.scenarios:
        yield "tests/scenarios.test.yml", render_yaml_as_json(compile_scenario_tests(system), _header(origin, "operator scenarios (promtool test rules)"))
    yield "tests/routing.test.yml", render_yaml_as_json(
        compile_routing_cases(system), _header(origin, "who each alert reaches, with inhibition and muting (amtool and obsgen test)")
    )
    for dashboard in compile_dashboards(system):
        yield f"dashboards/{dashboard.uid}.json", dashboard_bytes(dashboard, origin)
    yield "dashboards.yml", render_yaml(compile_provisioning(system), _header(origin, "Grafana dashboard provisioning"))
    yield "handbook.md", compile_handbook(system, origin).encode()


def prometheus_files(loaded: LoadedSystem) -> dict[str, bytes]:
    """The plain files of one system (the `prometheus` target), by path relative to generated/<system>/."""
    return dict(sorted(iter_prometheus_files(loaded)))


def iter_system_files(loaded: LoadedSystem, exports: ProjectExports | None = None) -> Iterator[tuple[str, bytes]]:
    """Every generated file of one system, path relative to generated/<system>/: the plain
    files, and export/<target>/ for each target the project keeps committed."""
    yield from iter_prometheus_files(loaded)
    if exports is None:
        return
    compiled = Compiled(loaded)
    for target_name in exports.targets(loaded.system.name):
        for path, data in export_files(compiled, target_name, exports.options(loaded.system.name)).items():
            yield f"export/{target_name}/{path}", data


def system_files(loaded: LoadedSystem, exports: ProjectExports | None = None) -> dict[str, bytes]:
    """Every generated file of one system, by path relative to generated/<system>/."""
    return dict(sorted(iter_system_files(loaded, exports)))


def iter_files(systems: list[LoadedSystem], exports: ProjectExports | None = None) -> Iterator[tuple[str, bytes]]:
    """Every generated file, path relative to generated/, system after system."""
    for loaded in systems:
        for rel, data in iter_system_files(loaded, exports):
            yield f"{loaded.system.name}/{rel}", data
