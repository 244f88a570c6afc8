"""One line per schemathesis run of .ci/schemathesis: test cases (one request each) per phase, failures.

Usage: schemathesis_summary.py ROLE REPORT_DIR (the run's --report json,ndjson). Exits 1 when the
run reports a failure or an error, or wrote no report.
"""

import json
import sys
from collections import Counter
from pathlib import Path

PHASES = ("examples", "coverage", "fuzzing", "stateful")


def main(role: str, report_dir: Path) -> int:
    reports = sorted(report_dir.glob("json-*.json"))
    events = sorted(report_dir.glob("ndjson-*.ndjson"))
    if not reports or not events:
        print(f"schemathesis {role}: no report in {report_dir}", file=sys.stderr)
        return 1
    cases: Counter[str] = Counter()
    scenarios: Counter[str] = Counter()
    with events[-1].open() as lines:
        for line in lines:
            if not line.startswith('{"ScenarioFinished"'):
                continue
            scenario = json.loads(line)["ScenarioFinished"]
            cases[scenario["phase"]] += len(scenario["recorder"].get("cases") or {})
            scenarios[scenario["phase"]] += 1
    run = json.loads(reports[-1].read_text())
    failures, errors = run["test_cases"]["unique_failures"], len(run["errors"])
    phases = ", ".join(f"{phase} {cases[phase]}" for phase in PHASES)
    print(
        f"schemathesis {role}: {sum(cases.values())} test cases ({phases}; "
        f"{scenarios['stateful']} stateful scenarios) in {run['running_time']:.0f} s; "
        f"{failures} failures, {errors} errors"
    )
    return 1 if failures or errors or not run["complete"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
