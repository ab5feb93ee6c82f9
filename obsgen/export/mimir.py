"""Target `mimir` (Grafana Mimir, also Cortex): per tenant, rule namespace files for
`mimirtool rules load/sync`, and the Alertmanager configuration in Mimir's form.

    <tenant>/rules/<system>.yaml    namespace: <system>, groups: [...] (sized for the ruler)
    <tenant>/alertmanager.yaml      template_files: {...}, alertmanager_config: "<yaml text>"

Mimir's Alertmanager refuses every `*_file` secret, so each becomes its inline field with a
placeholder (`${OBSGEN_SECRET_SLACK_OPS}`) that `obsgen export --secrets-file/--secrets-from-env`
fills at deploy time; generated/ only ever holds the placeholders.
"""

from __future__ import annotations

from typing import Any

from ..artifacts import AlertmanagerConfig, Integration, Receiver, RuleFile
from ..artifacts.write import alertmanager_data, rule_file_data
from ..render.yaml_file import render_yaml
from .compiled import Compiled
from .secrets import placeholder, secret_key, secret_refs, secret_value
from .sizing import MIMIR, sized_groups
from .targets import ExportError, ExportOptions, target


def inline_secrets(config: AlertmanagerConfig, secrets: dict[str, str] | None) -> AlertmanagerConfig:
    """Every `*_file` secret as its inline field: a placeholder, or the value when secrets are given."""
    refs = {(r.receiver, r.kind, r.file_field): r for r in secret_refs(config)}
    missing = sorted({r.key for r in refs.values() if secrets is not None and secret_value(r.key, secrets) is None})
    if missing:
        raise ExportError(f"no value for the secrets {', '.join(missing)} (secrets file keys, or OBSGEN_SECRET_* variables)")
    receivers = []
    for receiver in config.receivers:
        integrations = []
        for integration in receiver.integrations:
            settings: dict[str, Any] = {}
            for key, value in integration.settings.items():
                ref = refs.get((receiver.name, integration.kind, key))
                if ref is None:
                    settings[key] = value
                else:
                    settings[ref.inline_field] = placeholder(ref.key) if secrets is None else secret_value(ref.key, secrets)
            integrations.append(Integration(integration.kind, settings))
        receivers.append(Receiver(receiver.name, tuple(integrations)))
    return AlertmanagerConfig(
        route=config.route, receivers=tuple(receivers), inhibit_rules=config.inhibit_rules, time_intervals=config.time_intervals,
        global_=config.global_, templates=config.templates, mute_time_intervals=config.mute_time_intervals,
    )


def rule_namespace(namespace: str, rule_files: dict[str, RuleFile]) -> dict[str, Any]:
    return {"namespace": namespace, **rule_file_data(RuleFile(tuple(sized_groups(rule_files, MIMIR))))}


def alertmanager_form(config: AlertmanagerConfig, secrets: dict[str, str] | None) -> dict[str, Any]:
    if config.templates:
        raise ExportError("alertmanager templates: obsgen writes no template files for Mimir yet")
    text = render_yaml(alertmanager_data(inline_secrets(config, secrets)), "").decode()
    return {"template_files": {}, "alertmanager_config": text}


@target("mimir", "per-tenant rule namespaces for mimirtool and Mimir's alertmanager_config form (also Cortex)")
def export_mimir(compiled: Compiled, options: ExportOptions) -> dict[str, bytes]:
    tenant = options.tenant_for(compiled)
    system = compiled.system.name
    secrets = dict(options.secrets) if options.secrets is not None else None
    return {
        f"{tenant}/rules/{system}.yaml": render_yaml(rule_namespace(system, compiled.rule_files), compiled.header(f"Mimir rule namespace {system} (mimirtool rules load)")),
        f"{tenant}/alertmanager.yaml": render_yaml(alertmanager_form(compiled.alertmanager, secrets), compiled.header("Mimir Alertmanager configuration (POST /api/v1/alerts)")),
    }
