#!/bin/sh
# The real tools on obsgen's generated files: promtool checks and unit-tests the rules,
# amtool checks each Alertmanager config and routes every alert to exactly the receivers
# its tests/routing.test.yml declares. Usage: verify-generated.sh [generated]
set -eu
GENERATED="${1:-generated}"
PYTHON="${PYTHON:-python3}"
status=0
for system in "$GENERATED"/*/; do
  system="${system%/}"
  echo "== $system"
  promtool check rules "$system"/rules/*.yml >/dev/null || status=1
  (cd "$system/tests" && promtool test rules $(ls *.test.yml | grep -v '^routing\.test\.yml$')) || status=1
  amtool check-config "$system/alertmanager.yml" >/dev/null || status=1
  "$PYTHON" - "$system" <<'PY' || status=1
import json, subprocess, sys
from pathlib import Path

system = Path(sys.argv[1])
text = (system / "tests" / "routing.test.yml").read_text()
cases = json.loads("".join(l for l in text.splitlines(True) if not l.startswith("#")))["cases"]
failed = 0
for case in cases:
    command = ["amtool", "config", "routes", "test", f"--config.file={system / 'alertmanager.yml'}",
               f"--verify.receivers={','.join(case['receivers'])}", *(f"{k}={v}" for k, v in case["labels"].items())]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        failed += 1
        print(f"routing: {case['alert']} {case['labels'].get('severity', '')}: expected {case['receivers']}: {result.stdout.strip()} {result.stderr.strip()}")
print(f"routing: {len(cases) - failed}/{len(cases)} cases reach their receivers")
sys.exit(1 if failed else 0)
PY
done
exit $status
