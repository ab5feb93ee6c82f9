"""No secret in definitions or generated files: receivers name files, never keys."""

from __future__ import annotations

import re

import pytest

from conftest import DEFINITIONS, GENERATED

# Literal secret fields of Alertmanager, webhook URLs that carry their token, and the one
# credential a seed runbook prints (the surveillance database password).
SECRET = re.compile(
    r"(^\s*(api_url|routing_key|service_key|auth_password|bot_token|api_key|password)\s*:)"
    r"|hooks\.slack\.com/services/|[?&](token|key|secret|password)="
    r"|surveillance_dev",
    re.M,
)
FILES = sorted(p for root in (DEFINITIONS, GENERATED) for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".yml", ".json", ".md"})


def test_there_are_files_to_check():
    assert len(FILES) > 100


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(p.parents[2])) for p in FILES])
def test_no_secret(path):
    found = [m.group(0) for m in SECRET.finditer(path.read_text())]
    assert not found, f"{path}: {found}"


def test_receivers_point_at_files():
    for config in GENERATED.glob("*/alertmanager.yml"):
        text = config.read_text()
        assert re.search(r"(api_url_file|routing_key_file):", text), config
