"""No credential in definitions or in any file obsgen lint reads, and a webhook form that
keeps the secret in a file Alertmanager 0.25 reads."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from conftest import tool
from obsgen.compile.alertmanager import receiver_config
from obsgen.lint.command import lint
from obsgen.model import DefinitionError, Webhook
from obsgen.model.secrets import secret_in
from obsgen.verify.tools import check_alertmanager

SECRETS = {
    "a Slack webhook URL": "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx",
    "a Discord webhook URL": "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz",
    "a Microsoft Teams webhook URL": "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456",
    "a PagerDuty key in a URL": "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
    "a credential in a URL's query string": "https://relay.example.com/send?to=ops&access_token=abc123",
    "a password in a URL": "postgres://app:s3cret@db.example.com:5432/orders",
    "a token in a URL's path": "https://relay.example.com/hook/9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc",
    "a bearer token": "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789",
    "a Slack token": "xoxb-123456789012-abcdefghijklmnop",
    "a GitHub token": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "an AWS access key": "AKIAABCDEFGHIJKLMNOP",
    "a secret after its name": "api_key: 9f8e7d6c5b4a",
}
CLEAN = (
    "https://grafana.example.com/d/bondx-overview?viewPanel=3",
    "https://runbooks.example.com/bondx/handbook.md#highorderlatency",
    'sum by (le) (rate(http_requests_total{job="api", code=~"5.."}[5m]))',
    "routing_key_file: /etc/alertmanager/secrets/pagerduty",
    "Involve the DBA (dba@trading-engine.com, 24/7).",
    "The token bucket refills every second.",
)


@pytest.mark.parametrize("what", list(SECRETS))
def test_each_kind_of_credential_is_found(what):
    assert secret_in(f"see {SECRETS[what]} for details") == what


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_text_is_not_a_credential(text):
    assert secret_in(text) is None


@pytest.mark.parametrize("where", ["handbook.md", "rules/app.yml", "dashboards/app.json"])
def test_lint_reports_a_credential_in_any_file_it_reads(tmp_path, where):
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    hook = SECRETS["a Slack webhook URL"]
    path.write_text({
        ".md": f"# Runbook\n\nPost to {hook} when it breaks.\n",
        ".yml": "groups:\n- name: app\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n"
                f"    labels:\n      hook: {hook}\n",
        ".json": '{"title": "App", "uid": "app", "panels": [], "description": "' + hook + '"}\n',
    }[path.suffix])
    result = CliRunner().invoke(lint, [str(tmp_path), "--fail-on", "error"], catch_exceptions=False)
    assert result.exit_code != 0, result.output
    finding = next(line for line in result.output.splitlines() if "secrets/credential" in line)
    assert where.split("/")[-1] in finding and "a Slack webhook URL" in finding
    assert "abcdefghijklmnopqrstuvwx" not in result.output  # the message masks the secret


def test_lint_reports_a_literal_secret_field_of_alertmanager(tmp_path):
    (tmp_path / "alertmanager.yml").write_text(
        "route:\n  receiver: pd\nreceivers:\n- name: pd\n  pagerduty_configs:\n  - routing_key: 0123456789abcdef0123456789abcdef\n"
    )
    result = CliRunner().invoke(lint, [str(tmp_path), "--fail-on", "error", "--format", "json"], catch_exceptions=False)
    on_the_key = [f for f in json.loads(result.output)["findings"] if f["line"] == 6]
    # found by the routing check (which names the field) and by the text scan: reported once
    assert [(f["rule"], f["severity"]) for f in on_the_key] == [("routing/literal-secret", "error")], on_the_key
    assert "routing_key" in on_the_key[0]["message"] and result.exit_code == 1


def test_lint_reports_a_secret_field_in_any_yaml(tmp_path):
    (tmp_path / "values.yml").write_text("grafana:\n  adminPassword: admin\ndatabase:\n  password: Tr4d1ngDesk\n")
    result = CliRunner().invoke(lint, [str(tmp_path / "values.yml"), "--fail-on", "error", "--format", "json"], catch_exceptions=False)
    found = [(f["rule"], f["line"]) for f in json.loads(result.output)["findings"] if f["severity"] == "error"]
    assert ("secrets/credential", 4) in found, result.output


def test_a_webhook_url_cannot_carry_a_secret():
    with pytest.raises(DefinitionError, match="query string"):
        Webhook(name="sms", url="https://relay.example.com/send?apikey=abc123", purpose="SMS relay")


@pytest.mark.parametrize(
    "auth, expected",
    [
        ({"credentials_file": "/etc/alertmanager/secrets/relay"}, {"authorization": {"type": "Bearer", "credentials_file": "/etc/alertmanager/secrets/relay"}}),
        ({"username": "alertmanager", "password_file": "/etc/alertmanager/secrets/relay"},
         {"basic_auth": {"username": "alertmanager", "password_file": "/etc/alertmanager/secrets/relay"}}),
    ],
    ids=["bearer", "basic"],
)
def test_a_webhook_reads_its_secret_from_a_file_amtool_accepts(tmp_path, auth, expected):
    tool("amtool")
    webhook = Webhook(name="sms", url="https://relay.example.com/send", purpose="SMS relay", **auth)
    integration = receiver_config(webhook).integrations[0]
    assert integration.settings["http_config"] == expected
    config = {
        "route": {"receiver": "sms"},
        "receivers": [{"name": "sms", "webhook_configs": [dict(integration.settings)]}],
    }
    (tmp_path / "alertmanager.yml").write_text(yaml.safe_dump(config))
    result = check_alertmanager(tmp_path / "alertmanager.yml")
    assert result.ok, result.output


def test_the_word_gate_never_skips_a_text_a_pattern_matches():
    """The scan skips a pattern on a text holding none of its words (and every pattern on a
    text holding no word at all): each pattern, run ungated on the examples above and on
    every file of the corpus, matches only where one of its words is."""
    from conftest import shared_path
    from obsgen.model.secrets import _PATTERNS, secrets

    corpus = shared_path("corpus", "the third-party corpus (../shared/corpus)")
    texts = [*SECRETS.values(), *CLEAN] + [p.read_text(errors="replace") for p in sorted(corpus.rglob("*")) if p.is_file()]
    matched = 0
    for text in texts:
        lower = text.lower()
        ungated = [(what, words, match.group(0)) for what, pattern, words in _PATTERNS for match in pattern.finditer(text)]
        for what, words, found in ungated:
            assert any(word in lower for word in words), f"{what} matches {found!r}, but its text holds none of {words}"
        assert [(what, found) for what, _, found in secrets(text)] == [(what, found) for what, _, found in ungated]
        matched += len(ungated)
    assert matched >= len(SECRETS)


def test_a_secret_in_a_long_repetitive_text_is_found_where_it_is():
    """A text over 8 KB is gated on its distinct lines only (generated files repeat most):
    a secret on one line among thousands alike is still found, at its offset in the text."""
    from obsgen.model.secrets import secrets

    for what, secret in SECRETS.items():
        filler = "  - alert: Same\n    expr: up == 0\n" * 400
        text = filler + f"    url: {secret}\n" + filler
        assert len(text) > 8192
        found = [(offset, match) for _, offset, match in secrets(text)]
        assert found and all(text[offset:offset + len(match)] == match for offset, match in found), what
        assert found[0][0] >= len(filler), what
