"""Links out of what obsgen generates: absolute URLs a system declares as external."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import Defined


@dataclass(frozen=True, kw_only=True)
class External(Defined):
    """Something operators open that obsgen does not generate (tracing, a status page).

    Handbooks and panels link only to generated dashboards and sections or to these.
    """

    title: str
    url: str

    def validate(self) -> None:
        self.need_text("title")
        # wss: a runbook's streaming endpoint (wss://ws.example.com) is a place operators test too.
        if not re.match(r"^(https?|wss?)://[^\s/]+", self.need_text("url")):
            raise self.fail("url", f"{self.url!r} must be an absolute http(s) or ws(s) URL")
