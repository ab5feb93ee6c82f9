"""Which targets `obsgen generate` keeps committed, from the project's pyproject.toml.

    [tool.obsgen.export]
    bondx = ["prometheus-operator", "grafana-operator"]          # targets only
    dex = { targets = ["mimir"], tenant = "exchange" }            # with options

Each listed target is written to generated/<system>/export/<target>/ and checked by
`obsgen generate --check` like every other generated file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .targets import TARGETS, ExportError, ExportOptions

OPTION_KEYS = {"targets", "namespace", "tenant", "labels"}


@dataclass(frozen=True)
class ProjectExports:
    by_system: dict[str, tuple[str, ...]] = field(default_factory=dict)
    options_by_system: dict[str, ExportOptions] = field(default_factory=dict)

    def targets(self, system: str) -> tuple[str, ...]:
        return self.by_system.get(system, ())

    def options(self, system: str) -> ExportOptions:
        return self.options_by_system.get(system, ExportOptions())

    @classmethod
    def read(cls, pyproject: Path, systems: list[str] | None = None) -> "ProjectExports":
        """The export table of pyproject (none when the file or table is absent); errors name the key.

        systems: every system's name, to refuse a key naming none (None: not checked).
        """
        if not pyproject.is_file():
            return cls()
        try:
            table = tomllib.loads(pyproject.read_text()).get("tool", {}).get("obsgen", {}).get("export", {})
        except tomllib.TOMLDecodeError as exc:
            raise ExportError(f"{pyproject}: {exc}") from None
        where = f"{pyproject}, [tool.obsgen.export]"
        by_system: dict[str, tuple[str, ...]] = {}
        options: dict[str, ExportOptions] = {}
        for system, value in table.items():
            if systems is not None and system not in systems:
                raise ExportError(f"{where}, key {system!r}: no such system (known: {', '.join(sorted(systems))})")
            settings = {"targets": value} if isinstance(value, list) else value
            if not isinstance(settings, dict) or not isinstance(settings.get("targets"), list):
                raise ExportError(f"{where}, key {system!r}: a list of targets, or a table with `targets = [...]`")
            unknown = set(settings) - OPTION_KEYS
            if unknown:
                raise ExportError(f"{where}, key {system!r}, field {sorted(unknown)[0]!r}: unknown (known: {', '.join(sorted(OPTION_KEYS))})")
            for name in settings["targets"]:
                if name == "prometheus":
                    raise ExportError(f"{where}, key {system!r}: 'prometheus' is what generate always writes; list only the other targets")
                if name not in TARGETS:
                    raise ExportError(f"{where}, key {system!r}: unknown target {name!r} (known: {', '.join(sorted(TARGETS))})")
            by_system[system] = tuple(settings["targets"])
            options[system] = ExportOptions(namespace=settings.get("namespace"), tenant=settings.get("tenant"), labels=dict(settings.get("labels", {})))
        return cls(by_system, options)
