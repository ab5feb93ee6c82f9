"""Kubernetes objects: names the API server accepts, the labels obsgen puts on every
object, and one YAML file per object (what `kubectl apply -f DIR` and Argo CD read)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..render.yaml_file import render_yaml
from .compiled import Compiled
from .targets import ExportError, ExportOptions

# RFC 1123: what metadata.name (subdomain, 253) and label values (63) may be.
SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def object_name(*parts: str) -> str:
    """A metadata.name from parts: lower case, dots and other characters as dashes."""
    name = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")
    name = re.sub(r"-{2,}", "-", name)
    if not name or len(name) > 253 or not SUBDOMAIN.match(name):
        raise ExportError(f"cannot make a Kubernetes object name from {'-'.join(parts)!r}")
    return name


def object_labels(compiled: Compiled, options: ExportOptions) -> dict[str, str]:
    labels = {"app.kubernetes.io/managed-by": "obsgen", "app.kubernetes.io/part-of": compiled.system.name, **options.labels}
    for key, value in labels.items():
        if len(value) > 63 or not LABEL_VALUE.match(value):
            raise ExportError(f"label {key}={value!r}: not a valid Kubernetes label value")
    return labels


def manifest(api_version: str, kind: str, name: str, namespace: str, labels: Mapping[str, str], spec: Any,
             key: str = "spec", annotations: Mapping[str, str] | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "namespace": namespace, "labels": dict(labels)}
    if annotations:
        metadata["annotations"] = dict(annotations)
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, key: spec}


def manifest_bytes(obj: Mapping[str, Any], compiled: Compiled) -> bytes:
    return render_yaml(obj, compiled.header(f"{obj['kind']} {obj['metadata']['name']}"))


def manifest_path(obj: Mapping[str, Any]) -> str:
    """<kind in lower case>/<name>.yaml: one object per file, stable across runs."""
    return f"{obj['kind'].lower()}/{obj['metadata']['name']}.yaml"


def manifests(objects: list[dict[str, Any]], compiled: Compiled) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for obj in objects:
        path = manifest_path(obj)
        if path in files:
            raise ExportError(f"two {obj['kind']} objects named {obj['metadata']['name']!r}")
        files[path] = manifest_bytes(obj, compiled)
    return files
