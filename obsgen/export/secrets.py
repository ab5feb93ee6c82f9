"""Receiver secrets outside Alertmanager's own files.

obsgen's receivers read secrets from files (`api_url_file`, `routing_key_file`, ...).
Targets that cannot read files get another form: the prometheus-operator a Kubernetes
Secret reference, Mimir's Alertmanager a placeholder that deployment fills. Each secret
keeps one key, the base name of its file, so one Secret (or one secrets file) serves a
system in every target.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..artifacts import AlertmanagerConfig
from .targets import ExportError

# Alertmanager 0.25's file-valued secrets of the integrations obsgen writes -> the inline field.
SECRET_FILE_FIELDS = {
    "slack_configs": {"api_url_file": "api_url"},
    "pagerduty_configs": {"routing_key_file": "routing_key", "service_key_file": "service_key"},
    "email_configs": {"auth_password_file": "auth_password"},
    "webhook_configs": {"url_file": "url"},
    "opsgenie_configs": {"api_key_file": "api_key"},
}
SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")  # a Kubernetes Secret's data key


@dataclass(frozen=True)
class SecretRef:
    receiver: str
    kind: str  # 'slack_configs'...
    file_field: str  # 'api_url_file'
    inline_field: str  # 'api_url'
    path: str  # the file the generated alertmanager.yml reads
    key: str  # the secret's name in a Secret or secrets file


def secret_key(path: str) -> str:
    return PurePosixPath(path).name


def secret_refs(config: AlertmanagerConfig) -> list[SecretRef]:
    """Every file-valued secret of every receiver; a file field no target can map is an error."""
    refs: list[SecretRef] = []
    by_key: dict[str, str] = {}
    for receiver in config.receivers:
        for integration in receiver.integrations:
            fields = SECRET_FILE_FIELDS.get(integration.kind, {})
            for name, value in integration.settings.items():
                if not name.endswith("_file"):
                    continue
                if name not in fields:
                    raise ExportError(f"receiver {receiver.name!r}, field {integration.kind}.{name}: no export target knows this secret file")
                key = secret_key(str(value))
                if not SECRET_KEY.match(key):
                    raise ExportError(f"receiver {receiver.name!r}, field {integration.kind}.{name}: file name {key!r} is not a valid secret key")
                if by_key.setdefault(key, str(value)) != str(value):
                    raise ExportError(f"receiver {receiver.name!r}, field {integration.kind}.{name}: {value} and {by_key[key]} share the secret key {key!r}")
                refs.append(SecretRef(receiver.name, integration.kind, name, fields[name], str(value), key))
    return refs


def secret_keys(config: AlertmanagerConfig) -> list[str]:
    return sorted({r.key for r in secret_refs(config)})


# -- placeholders, for targets that refuse secret files (Mimir's Alertmanager) ----------------

ENV_PREFIX = "OBSGEN_SECRET_"


def env_name(key: str) -> str:
    """The environment variable (and placeholder) of a secret key: slack-ops -> OBSGEN_SECRET_SLACK_OPS."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", key.upper())


def placeholder(key: str) -> str:
    return "${" + env_name(key) + "}"


def secrets_from(secrets_file: Path | None, from_env: bool, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Secret values by key: the secrets file (a YAML map key: value), then OBSGEN_SECRET_* variables."""
    values: dict[str, str] = {}
    if secrets_file is not None:
        try:
            data = yaml.load(secrets_file.read_text(), Loader=yaml.CSafeLoader)
        except (OSError, yaml.YAMLError) as exc:
            raise ExportError(f"{secrets_file}: cannot read the secrets file: {exc.__class__.__name__}") from None
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise ExportError(f"{secrets_file}: a secrets file is a YAML map of secret key to string value")
        values.update(data)
    if from_env:
        env = os.environ if environ is None else environ
        values.update({name: value for name, value in env.items() if name.startswith(ENV_PREFIX)})
    return values


def secret_value(key: str, secrets: Mapping[str, str]) -> str | None:
    """A key's value: by its own name (secrets file) or its variable's name (environment)."""
    return secrets.get(key, secrets.get(env_name(key)))
