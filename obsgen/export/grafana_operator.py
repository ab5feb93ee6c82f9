"""Target `grafana-operator`: a GrafanaFolder per system and a GrafanaDashboard per
dashboard (grafana.integreatly.org/v1beta1), and the same dashboards as ConfigMaps for
Grafana's dashboard sidecar (kube-prometheus-stack, the Grafana Helm chart).

    grafanafolder/<system>.yaml, grafanadashboard/<uid>.yaml   kubectl apply -f
    configmap/<uid>-dashboard.yaml                                 label grafana_dashboard: "1"

The dashboard JSON is the same bytes as generated/<system>/dashboards/<uid>.json.
"""

from __future__ import annotations

from .compiled import Compiled
from .kubernetes import manifest, manifests, object_labels, object_name
from .targets import ExportError, ExportOptions, target
from ..artifacts.write import dashboard_bytes

API = "grafana.integreatly.org/v1beta1"
# The grafana-operator's documented convention: Grafana instances labelled dashboards=grafana.
INSTANCE_SELECTOR = {"matchLabels": {"dashboards": "grafana"}}
SIDECAR_LABEL = ("grafana_dashboard", "1")
SIDECAR_FOLDER_ANNOTATION = "grafana_folder"  # the sidecar's folderAnnotation in kube-prometheus-stack
CONFIGMAP_LIMIT = 1024 * 1024  # etcd's limit on one object
RESYNC = "10m"


@target("grafana-operator", "a GrafanaFolder per system and a GrafanaDashboard per dashboard; sidecar ConfigMaps")
def export_grafana_operator(compiled: Compiled, options: ExportOptions) -> dict[str, bytes]:
    system = compiled.system
    namespace = options.namespace_for(compiled)
    labels = object_labels(compiled, options)
    folder = object_name(system.name)
    folder_uid = object_name("obsgen", system.name)[:40].rstrip("-")
    objects = [manifest(API, "GrafanaFolder", folder, namespace, labels,
                        {"instanceSelector": INSTANCE_SELECTOR, "title": system.title, "uid": folder_uid, "resyncPeriod": RESYNC})]
    for dashboard in compiled.dashboards:
        data = dashboard_bytes(dashboard, compiled.origin).decode()
        objects.append(manifest(API, "GrafanaDashboard", object_name(dashboard.uid), namespace, labels, {
            "instanceSelector": INSTANCE_SELECTOR, "folderRef": folder, "uid": dashboard.uid, "resyncPeriod": RESYNC, "json": data,
        }))
        if len(data.encode()) > CONFIGMAP_LIMIT:
            raise ExportError(f"dashboard {dashboard.uid!r}: {len(data.encode())} bytes, over a ConfigMap's 1 MiB")
        objects.append(manifest("v1", "ConfigMap", object_name(dashboard.uid, "dashboard"), namespace,
                                {**labels, SIDECAR_LABEL[0]: SIDECAR_LABEL[1]}, {f"{dashboard.uid}.json": data}, key="data",
                                annotations={SIDECAR_FOLDER_ANNOTATION: system.title}))
    return manifests(objects, compiled)
