"""What a lint run assumes about the stack that will load the files: Prometheus and
Alertmanager versions (default: the installed promtool and amtool), enabled features,
the scrape interval, and metric types the user knows."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from ..promql.functions import Version, parse_version

# Used when promtool or amtool is not installed: the versions obsgen itself targets (Debian 12).
FALLBACK_PROMETHEUS: Version = (2, 42)
FALLBACK_ALERTMANAGER: Version = (0, 25)


@lru_cache(maxsize=None)
def installed_version(tool: str, fallback: Version) -> Version:
    """`tool --version`'s version, or the fallback when the tool is missing or says nothing usable."""
    if shutil.which(tool) is None:
        return fallback
    try:
        result = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return fallback
    words = (result.stdout + result.stderr).split()
    for i, word in enumerate(words[:-1]):
        if word == "version":
            try:
                return parse_version(words[i + 1])
            except ValueError:
                break
    return fallback


@dataclass(frozen=True)
class Settings:
    scrape_interval: timedelta = timedelta(minutes=1)
    scrape_interval_given: bool = False  # set by --scrape-interval: otherwise a guess, so its findings are info
    prometheus: Version = FALLBACK_PROMETHEUS
    alertmanager: Version = FALLBACK_ALERTMANAGER
    features: frozenset[str] = frozenset()
    metric_types: dict[str, str] = field(default_factory=dict)  # metric family -> counter, gauge, histogram, summary...

    @classmethod
    def installed(cls, **given) -> "Settings":
        """Settings whose versions default to the installed promtool and amtool."""
        given.setdefault("prometheus", installed_version("promtool", FALLBACK_PROMETHEUS))
        given.setdefault("alertmanager", installed_version("amtool", FALLBACK_ALERTMANAGER))
        return cls(**given)
