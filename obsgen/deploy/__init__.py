"""Deploy: write a system's rules and routing where a running Prometheus and Alertmanager
read them, reload both, prove through their APIs that they run exactly what was generated,
and put the previous files back when they do not."""

from .apply import DeployFailed, Deployment, Outcome, current, deploy
from .settings import DeploySettings

__all__ = ["DeployFailed", "DeploySettings", "Deployment", "Outcome", "current", "deploy"]
