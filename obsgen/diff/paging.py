"""Who an alert reaches: the receivers Alertmanager's route tree gives its labels.

amlint's Router walks the tree as Alertmanager does (matchers, continue, defaults).
"""

from __future__ import annotations

from amlint.routing import Router, RoutingError

from ..artifacts import AlertmanagerConfig
from ..artifacts.write import alertmanager_data


class Paging:
    """Receivers per label set under one Alertmanager config (None: no config)."""

    def __init__(self, config: AlertmanagerConfig | None):
        self.router: Router | None = None
        self.error: str | None = None
        if config is not None:
            try:
                self.router = Router(alertmanager_data(config)["route"])
            except RoutingError as exc:
                self.error = str(exc)

    def receivers(self, labels: dict[str, str]) -> tuple[str, ...]:
        if self.router is None:
            return ()
        return tuple(dict.fromkeys(m.receiver for m in self.router.match(labels) if m.receiver))
