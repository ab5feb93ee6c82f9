"""Grafana's file provisioning for a system's dashboards."""

from __future__ import annotations

from ..model import System


def compile_provisioning(system: System) -> dict:
    return {
        "apiVersion": 1,
        "providers": [
            {
                "name": f"obsgen-{system.name}",
                "folder": system.title,
                "type": "file",
                "disableDeletion": True,
                "allowUiUpdates": False,
                "options": {"path": f"/var/lib/grafana/dashboards/{system.name}", "foldersFromFilesStructure": False},
            }
        ],
    }
