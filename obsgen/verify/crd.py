"""Kubernetes objects against their CustomResourceDefinitions, offline.

A CRD's `openAPIV3Schema` is a JSON schema; the API server also enforces what JSON Schema
cannot say, and this checks those too: list-type maps (unique keys), CEL validation rules
that need no old object (the `has()`/`&&`/`||`/`!` rules these CRDs use; any other rule on
a node the object has is reported, never skipped), and metadata names and labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml


class _CRDLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when built with it
    """The AlertmanagerConfig CRD holds a bare `=`, which YAML 1.1 tags as a `value`."""


def _value_scalar(loader: Any, node: yaml.Node) -> str:
    assert isinstance(node, yaml.ScalarNode)
    return str(loader.construct_scalar(node))


_CRDLoader.add_constructor("tag:yaml.org,2002:value", _value_scalar)

SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")  # metadata.name, 253 at most
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")  # metadata.namespace, 63 at most
LABEL_KEY = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
CONFIGMAP_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_HAS = re.compile(r"has\(self\.([A-Za-z0-9_]+)\)")


@dataclass(frozen=True)
class CRD:
    api_version: str  # group/version
    kind: str
    schema: dict


def _python_patterns(node: Any) -> Any:
    """Go's regexp takes `^(?i)...`; Python wants inline flags first."""
    if isinstance(node, dict):
        out = {k: _python_patterns(v) for k, v in node.items()}
        pattern = out.get("pattern")
        if isinstance(pattern, str) and "(?i)" in pattern and not pattern.startswith("(?i)"):
            out["pattern"] = "(?i)" + pattern.replace("(?i)", "")
        return out
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


@lru_cache(maxsize=None)
def load_crds(folder: str) -> dict[tuple[str, str], CRD]:
    """Every served version of every CRD under folder, by (apiVersion, kind)."""
    found = {}
    for path in sorted(Path(folder).rglob("*.yaml")):
        data = yaml.load(path.read_text(), Loader=_CRDLoader)
        if not isinstance(data, dict) or data.get("kind") != "CustomResourceDefinition":
            continue
        spec = data["spec"]
        for version in spec["versions"]:
            if version.get("served"):
                api_version = f"{spec['group']}/{version['name']}"
                found[(api_version, spec["names"]["kind"])] = CRD(api_version, spec["names"]["kind"], _python_patterns(version["schema"]["openAPIV3Schema"]))
    return found


def _cel(rule: str, obj: dict) -> bool | None:
    """A has()/&&/||/! rule evaluated on obj; None for any other kind of rule."""
    text = _HAS.sub(lambda m: f"({m.group(1)!r} in self)", rule)
    text = text.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    if re.sub(r"'[A-Za-z0-9_]+' in self|\band\b|\bor\b|\bnot\b|[()\s]", "", text):
        return None
    return bool(eval(text, {"__builtins__": {}}, {"self": obj}))  # noqa: S307 - only the tokens checked above


def _structural(schema: dict, value: Any, where: str) -> list[str]:
    errors: list[str] = []
    if isinstance(value, dict):
        for rule in schema.get("x-kubernetes-validations", []) or []:
            if "oldSelf" in rule["rule"]:
                continue  # transition rules judge an update, not an object
            verdict = _cel(rule["rule"], value)
            if verdict is None:
                errors.append(f"{where or '/'}: cannot evaluate the CRD's rule {rule['rule']!r} offline")
            elif not verdict:
                errors.append(f"{where or '/'}: {rule.get('message', rule['rule'])}")
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                errors += _structural(sub, value[key], f"{where}/{key}")
    elif isinstance(value, list):
        if schema.get("x-kubernetes-list-type") == "map":
            keys = schema.get("x-kubernetes-list-map-keys", [])
            seen = [tuple(item.get(k) for k in keys) for item in value if isinstance(item, dict)]
            for dup in sorted({k for k in seen if seen.count(k) > 1}, key=str):
                errors.append(f"{where}: two items with {dict(zip(keys, dup))}")
        items = schema.get("items") or {}
        for i, item in enumerate(value):
            errors += _structural(items, item, f"{where}/{i}")
    return errors


def metadata_errors(obj: dict) -> list[str]:
    meta = obj.get("metadata") or {}
    errors = []
    name, namespace = meta.get("name", ""), meta.get("namespace", "")
    if not SUBDOMAIN.match(name) or len(name) > 253:
        errors.append(f"metadata/name: {name!r} is not a DNS subdomain name")
    if not DNS_LABEL.match(namespace) or len(namespace) > 63:
        errors.append(f"metadata/namespace: {namespace!r} is not a DNS label")
    for key, value in (meta.get("labels") or {}).items():
        if not LABEL_KEY.match(key) or len(key.rpartition("/")[2]) > 63:
            errors.append(f"metadata/labels: {key!r} is not a label key")
        if not isinstance(value, str) or not LABEL_VALUE.match(value) or len(value) > 63:
            errors.append(f"metadata/labels/{key}: {value!r} is not a label value")
    return errors


def configmap_errors(obj: dict) -> list[str]:
    """A core ConfigMap (no CRD): data keys and the 1 MiB an object may hold."""
    errors = []
    data = obj.get("data") or {}
    for key, value in data.items():
        if not CONFIGMAP_KEY.match(key) or len(key) > 253:
            errors.append(f"data: {key!r} is not a ConfigMap key")
        if not isinstance(value, str):
            errors.append(f"data/{key}: not a string")
    if sum(len(k) + len(str(v).encode()) for k, v in data.items()) > 1024 * 1024:
        errors.append("data: over 1 MiB")
    return errors


def object_errors(obj: dict, crd_folder: Path) -> list[str]:
    """Every way the object breaks its CRD's schema and the API server's rules; empty when valid."""
    errors = metadata_errors(obj)
    if obj.get("apiVersion") == "v1" and obj.get("kind") == "ConfigMap":
        return errors + configmap_errors(obj)
    crd = load_crds(str(crd_folder)).get((str(obj.get("apiVersion")), str(obj.get("kind"))))
    if crd is None:
        return errors + [f"no CRD for {obj.get('apiVersion')} {obj.get('kind')} in {crd_folder}"]
    validator = jsonschema.Draft7Validator(crd.schema)
    errors += [f"{'/'.join(map(str, e.absolute_path)) or '/'}: {e.message[:300]}" for e in validator.iter_errors(obj)]
    if obj.get("kind") == "AlertmanagerConfig":
        errors += _child_route_errors(crd.schema, obj)
    return errors + _structural(crd.schema, obj, "")


def _child_route_errors(schema: dict, obj: dict) -> list[str]:
    """The CRD leaves child routes free-form (`routes` is a list of JSON); the operator reads
    each as a Route and refuses what the top route's schema would: check them against it."""
    route_schema = schema["properties"]["spec"]["properties"]["route"]
    validator = jsonschema.Draft7Validator(route_schema)
    errors: list[str] = []

    def walk(route: dict, where: str) -> None:
        for i, child in enumerate(route.get("routes") or []):
            here = f"{where}/routes/{i}"
            errors.extend(f"{here}/{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator.iter_errors(child))
            if isinstance(child, dict):
                walk(child, here)

    walk((obj.get("spec") or {}).get("route") or {}, "spec/route")
    return errors
