"""Where a system is deployed: flags first, then pyproject.toml's [tool.obsgen.deploy.<system>].

    [tool.obsgen.deploy.bondx]
    rules_dir = "/etc/prometheus/rules/bondx"       # Prometheus: rule_files: [<rules_dir>/*.yml]
    prometheus_url = "http://127.0.0.1:9090"        # started with --web.enable-lifecycle
    alertmanager_config = "/etc/alertmanager/alertmanager.yml"
    alertmanager_url = "http://127.0.0.1:9093"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path


class SettingsError(Exception):
    """A setting that is missing or wrong: the message names it and where to set it."""


@dataclass(frozen=True)
class DeploySettings:
    rules_dir: str
    prometheus_url: str
    alertmanager_config: str
    alertmanager_url: str
    timeout: float = 180.0  # seconds to wait for every group's first evaluation

    @classmethod
    def resolve(cls, system: str, pyproject: Path, **flags) -> "DeploySettings":
        table: dict = {}
        if pyproject.is_file():
            try:
                table = tomllib.loads(pyproject.read_text()).get("tool", {}).get("obsgen", {}).get("deploy", {}).get(system, {})
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"{pyproject}: {exc}") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise SettingsError(f"{pyproject}, [tool.obsgen.deploy.{system}], key {unknown[0]!r}: unknown (known: {', '.join(sorted(known))})")
        values = {**table, **{k: v for k, v in flags.items() if v is not None}}
        missing = [f.name for f in fields(cls) if f.name not in values and f.name != "timeout"]
        if missing:
            flag = missing[0].replace("_", "-")
            raise SettingsError(f"deploy of {system}: no {missing[0]}; pass --{flag} or set it in [tool.obsgen.deploy.{system}] of pyproject.toml")
        return cls(**values)
