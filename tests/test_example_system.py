"""The newcomer's example (examples/definitions/shop) generates, lints clean and passes
`obsgen test`, with the commands the README gives; `obsgen list` shows what it compiles
to; the README's "where does this line come from" names files and functions that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_obsgen
from obsgen.artifacts.read import read_rules

EXAMPLE = ROOT / "examples" / "definitions"
README = (ROOT / "README.md").read_text()


def test_the_readme_shows_the_example_and_its_commands():
    assert "obsgen generate --definitions examples/definitions --output" in README
    assert "obsgen test --definitions examples/definitions" in README
    assert (EXAMPLE / "shop" / "__init__.py").is_file()


@pytest.fixture(scope="module")
def shop_generated(tmp_path_factory) -> Path:
    """`obsgen generate` of the example, once for the tests that read what it wrote."""
    out = tmp_path_factory.mktemp("shop") / "shop-generated"
    generated = run_obsgen("generate", "--definitions", str(EXAMPLE), "--output", str(out))
    assert generated.returncode == 0, generated.stderr
    return out


def test_the_example_generates_lints_clean_and_passes_its_tests(shop_generated):
    out = shop_generated
    assert {p.name for p in (out / "shop").iterdir()} >= {"rules", "dashboards", "alertmanager.yml", "handbook.md", "tests"}
    alerts = (out / "shop" / "rules" / "checkout.alerts.yml").read_text()
    assert 'expr: service:checkout_latency_seconds:p95_5m{system="shop"} > 0.3' in alerts
    linted = run_obsgen("lint", str(out))
    assert linted.returncode == 0, linted.stdout + linted.stderr
    tested = run_obsgen("test", "--definitions", str(EXAMPLE), "--generated", str(out))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert re.search(r"^shop\s+\d+ checks\s+ok$", tested.stdout, re.M), tested.stdout


def test_where_a_line_comes_from_names_real_places():
    section = README.split("## Where does this line come from", 1)[1].split("\n## ", 1)[0]
    paths = set(re.findall(r"`(obsgen/[a-z_/]+\.py)`", section))
    assert len(paths) >= 5, paths
    for path in sorted(paths):
        assert (ROOT / path).is_file(), path
    for path, function in re.findall(r"`(obsgen/[a-z_/]+\.py)` `([a-z_]+)\(\)`", section):
        assert re.search(rf"^def {function}\(", (ROOT / path).read_text(), re.M), f"{path} has no {function}()"


def test_list_shows_the_slo_and_every_alert_it_compiles_to(shop_generated):
    """`obsgen list` names each SLO's burn-rate and no-data alerts as the rule files do, with severity and priority."""
    out = shop_generated
    listed = run_obsgen("list", "--definitions", str(EXAMPLE), "--system", "shop")
    assert listed.returncode == 0, listed.stderr
    assert "1 SLOs" in listed.stdout and "SLO checkout-availability (checkout): 99.5% over 30d" in listed.stdout
    read = read_rules((out / "shop" / "rules" / "slo-checkout-availability.alerts.yml").read_bytes())
    rules = read.require("slo-checkout-availability.alerts.yml").alerting
    assert len(rules) == 3  # the page (1h/5m or 6h/30m), the ticket (1d/2h or 3d/6h) and the no-data alert
    lines = [line.split() for line in listed.stdout.splitlines()]
    shown = [(words[0], words[1], words[2]) for words in lines if words and words[0] in {r.alert for r in rules}]
    assert shown == [(r.alert, r.labels["severity"], r.labels["priority"]) for r in rules]
