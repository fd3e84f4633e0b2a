#!/usr/bin/env python3
"""Score a faultline binary against the labelled logs in eval/.

Usage (from the repository root):
    python3 eval/evaluate.py [BINARY] [--cases DIR ...] [--only-cases] [--json]

BINARY defaults to .build/release/faultline (relative to the repository root).
For every row of eval/labels.tsv the script runs
    BINARY scan eval/logs/<file> --format json
and compares the category of the incidents with the label.

--cases DIR (repeatable) scores a folder of case folders as a set of its own, in the layout of
../shared/eval-real/cases: DIR/<case>/input.log with DIR/<case>/case.json holding the expected
`category` (`none` for a healthy log). --only-cases leaves eval/ out. Figures are printed per
set, then side by side.

Figures:
  top-1    the first incident's category equals the label (failing logs)
  top-3    the label is the first incident's category, one of its runner-up hypotheses
           (`alternatives`, when the report has them), or the category of the second or third
           incident
  healthy  logs labelled `none` that produced at least one incident (false incidents)

It is a measurement, not a test: it exits 0 whatever the score.
It exits 2 only when it cannot measure (binary or labels missing).
Python 3 standard library only.
"""
import json
import os
import subprocess
import sys

EVAL_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(EVAL_DIR)
LOGS_DIR = os.path.join(EVAL_DIR, "logs")
LABELS = os.path.join(EVAL_DIR, "labels.tsv")
DEFAULT_BINARY = os.path.join(".build", "release", "faultline")
TIMEOUT_SECONDS = 120


def read_labels(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline()
        if not header.startswith("file\t"):
            raise SystemExit(f"{path}: first line must be the header 'file<TAB>category<TAB>source'")
        for number, line in enumerate(f, start=2):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise SystemExit(f"{path}:{number}: expected 3 tab-separated fields, got {len(parts)}")
            rows.append((parts[0], parts[1], parts[2]))
    return rows


def read_cases(directory):
    """Rows (relative path of input.log, expected category, source) of a case folder set."""
    rows = []
    for name in sorted(os.listdir(directory)):
        case = os.path.join(directory, name)
        label, log = os.path.join(case, "case.json"), os.path.abspath(os.path.join(case, "input.log"))
        if os.path.isfile(label) and os.path.isfile(log):
            with open(label, encoding="utf-8") as f:
                doc = json.load(f)
            rows.append((log, str(doc.get("category", "none")), str(doc.get("source", ""))))
    if not rows:
        raise SystemExit(f"{directory}: no case folders (<case>/input.log with <case>/case.json)")
    return rows


def scan(binary, relpath):
    """Return (categories of incidents in order, top-3 candidates, error text or None)."""
    try:
        p = subprocess.run([binary, "scan", os.path.join(LOGS_DIR, relpath), "--format", "json"],
                           capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return [], [], f"timeout after {TIMEOUT_SECONDS}s"
    out = p.stdout.decode("utf-8", "replace")
    try:
        doc = json.loads(out)
    except ValueError:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return [], [], f"exit {p.returncode}, no JSON: {err[-1] if err else out[:120]!r}"
    incidents = doc.get("incidents", [])
    cats = [str(i.get("category")) for i in incidents]
    # Top-3 candidates: the first incident, its runner-up hypotheses, then the other incidents.
    candidates = cats[:1]
    if incidents:
        for alt in incidents[0].get("alternatives", []) or []:
            c = alt.get("category") if isinstance(alt, dict) else alt
            if c and str(c) not in candidates:
                candidates.append(str(c))
    for c in cats[1:]:
        if c not in candidates:
            candidates.append(c)
    return cats, candidates[:3], None


def pct(n, d):
    return round(100.0 * n / d, 1) if d else 0.0


def score(binary, rows):
    """The figures of one set of (path, expected, source) rows."""
    results = []
    for relpath, expected, source in rows:
        cats, top3, error = scan(binary, relpath)
        results.append({"file": relpath, "expected": expected, "got": cats[0] if cats else None,
                        "top3": top3, "incidents": len(cats), "error": error})

    failing = [r for r in results if r["expected"] != "none"]
    healthy = [r for r in results if r["expected"] == "none"]
    top1 = sum(1 for r in failing if r["got"] == r["expected"])
    top3 = sum(1 for r in failing if r["expected"] in r["top3"])
    false_healthy = [r for r in healthy if r["incidents"]]

    per_category = {}
    for r in failing:
        c = per_category.setdefault(r["expected"], {"hits": 0, "top3": 0, "total": 0})
        c["total"] += 1
        c["hits"] += r["got"] == r["expected"]
        c["top3"] += r["expected"] in r["top3"]
    misses = [{"file": r["file"], "expected": r["expected"], "got": r["got"] or "(no incident)",
               "top3": r["top3"], **({"error": r["error"]} if r["error"] else {})}
              for r in failing if r["got"] != r["expected"]]
    false_incidents = [{"file": r["file"], "got": r["top3"]} for r in false_healthy]
    errors = [{"file": r["file"], "error": r["error"]} for r in results if r["error"]]
    return {
        "logs": len(results), "failing": len(failing), "healthy": len(healthy),
        "top1": top1, "top1_pct": pct(top1, len(failing)),
        "top3": top3, "top3_pct": pct(top3, len(failing)),
        "healthy_with_false_incidents": len(false_healthy),
        "per_category": dict(sorted(per_category.items())),
        "misses": misses, "false_incidents": false_incidents, "errors": errors,
    }


def print_set(name, f):
    print(f"== {name}")
    print(f"logs: {f['logs']} ({f['failing']} failing, {f['healthy']} healthy)")
    print(f"top-1 accuracy: {f['top1']}/{f['failing']} ({f['top1_pct']}%)")
    print(f"top-3 accuracy: {f['top3']}/{f['failing']} ({f['top3_pct']}%)")
    print(f"healthy logs with false incidents: {f['healthy_with_false_incidents']}/{f['healthy']}")
    print()
    print("per category (top-1 hits/total, top-3):")
    per_category = f["per_category"]
    width = max(len(c) for c in per_category) if per_category else 10
    for cat, c in per_category.items():
        print(f"  {cat:<{width}}  {c['hits']}/{c['total']}  (top-3 {c['top3']}/{c['total']})")
    print()
    print(f"misses ({len(f['misses'])}):")
    for m in f["misses"]:
        extra = f"  [{m['error']}]" if m.get("error") else ""
        print(f"  {m['file']}\texpected={m['expected']}\tgot={m['got']}{extra}")
    print()
    print(f"false incidents on healthy logs ({len(f['false_incidents'])}):")
    for fi in f["false_incidents"]:
        print(f"  {fi['file']}\tgot={', '.join(fi['got'])}")
    if f["errors"]:
        print()
        print(f"scan errors ({len(f['errors'])}):")
        for e in f["errors"]:
            print(f"  {e['file']}\t{e['error']}")
    print()


def main(argv):
    args, cases, flags = [], [], set()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--cases":
            if i + 1 >= len(argv):
                print("evaluate.py: --cases needs a folder", file=sys.stderr)
                return 2
            cases.append(argv[i + 1])
            i += 2
            continue
        (flags.add(a) if a.startswith("--") else args.append(a))
        i += 1
    unknown = flags - {"--json", "--help", "--only-cases"}
    if "--help" in flags or unknown or len(args) > 1:
        print(__doc__.strip())
        return 0 if "--help" in flags else 2
    if "--only-cases" in flags and not cases:
        print("evaluate.py: --only-cases needs at least one --cases DIR", file=sys.stderr)
        return 2
    binary = args[0] if args else DEFAULT_BINARY
    if not os.path.isabs(binary):
        # relative paths are taken from where the script is run; the default from the repo root
        binary = os.path.abspath(binary if args else os.path.join(REPO_ROOT, binary))
    if not os.path.isfile(binary):
        print(f"evaluate.py: binary not found: {binary} (build it with `swift build -c release` or pass its path)",
              file=sys.stderr)
        return 2
    for d in cases:
        if not os.path.isdir(d):
            print(f"evaluate.py: --cases {d}: not a folder", file=sys.stderr)
            return 2

    sets = [] if "--only-cases" in flags else [("eval", read_labels(LABELS))]
    sets += [(os.path.normpath(d), read_cases(d)) for d in cases]
    figures = {name: score(binary, rows) for name, rows in sets}

    if "--json" in flags:
        print(json.dumps({"binary": binary, "sets": figures}, indent=1))
        return 0

    print(f"faultline evaluation: {binary}")
    print()
    for name, f in figures.items():
        print_set(name, f)
    if len(figures) > 1:
        width = max(len(n) for n in figures)
        print("summary:")
        for name, f in figures.items():
            print(f"  {name:<{width}}  top-1 {f['top1']}/{f['failing']} ({f['top1_pct']}%)  "
                  f"top-3 {f['top3']}/{f['failing']} ({f['top3_pct']}%)  "
                  f"false incidents {f['healthy_with_false_incidents']}/{f['healthy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
