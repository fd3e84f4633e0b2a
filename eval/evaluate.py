#!/usr/bin/env python3
"""Score a faultline binary against the labelled logs in eval/.

Usage (from the repository root):
    python3 eval/evaluate.py [BINARY] [--json]

BINARY defaults to .build/release/faultline (relative to the repository root).
For every row of eval/labels.tsv the script runs
    BINARY scan eval/logs/<file> --format json
and compares the category of the incidents with the label.

Figures:
  top-1    the first incident's category equals the label (failing logs)
  top-3    the label is among the categories of the first three incidents
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


def scan(binary, relpath):
    """Return (categories of incidents in order, error text or None)."""
    try:
        p = subprocess.run([binary, "scan", os.path.join(LOGS_DIR, relpath), "--format", "json"],
                           capture_output=True, timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return [], f"timeout after {TIMEOUT_SECONDS}s"
    out = p.stdout.decode("utf-8", "replace")
    try:
        doc = json.loads(out)
    except ValueError:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        return [], f"exit {p.returncode}, no JSON: {err[-1] if err else out[:120]!r}"
    cats = [str(i.get("category")) for i in doc.get("incidents", [])]
    return cats, None


def pct(n, d):
    return round(100.0 * n / d, 1) if d else 0.0


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = {a for a in argv if a.startswith("--")}
    unknown = flags - {"--json", "--help"}
    if "--help" in flags or unknown or len(args) > 1:
        print(__doc__.strip())
        return 0 if "--help" in flags else 2
    binary = args[0] if args else DEFAULT_BINARY
    if not os.path.isabs(binary):
        # relative paths are taken from where the script is run; the default from the repo root
        binary = os.path.abspath(binary if args else os.path.join(REPO_ROOT, binary))
    if not os.path.isfile(binary):
        print(f"evaluate.py: binary not found: {binary} (build it with `swift build -c release` or pass its path)",
              file=sys.stderr)
        return 2

    rows = read_labels(LABELS)
    results = []
    for relpath, expected, source in rows:
        cats, error = scan(binary, relpath)
        results.append({"file": relpath, "expected": expected, "got": cats[0] if cats else None,
                        "top3": cats[:3], "incidents": len(cats), "error": error})

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

    figures = {
        "binary": binary,
        "logs": len(results), "failing": len(failing), "healthy": len(healthy),
        "top1": top1, "top1_pct": pct(top1, len(failing)),
        "top3": top3, "top3_pct": pct(top3, len(failing)),
        "healthy_with_false_incidents": len(false_healthy),
        "per_category": dict(sorted(per_category.items())),
        "misses": misses, "false_incidents": false_incidents, "errors": errors,
    }

    if "--json" in flags:
        print(json.dumps(figures, indent=1))
        return 0

    print(f"faultline evaluation: {binary}")
    print(f"logs: {len(results)} ({len(failing)} failing, {len(healthy)} healthy)")
    print(f"top-1 accuracy: {top1}/{len(failing)} ({figures['top1_pct']}%)")
    print(f"top-3 accuracy: {top3}/{len(failing)} ({figures['top3_pct']}%)")
    print(f"healthy logs with false incidents: {len(false_healthy)}/{len(healthy)}")
    print()
    print("per category (top-1 hits/total, top-3):")
    width = max(len(c) for c in per_category) if per_category else 10
    for cat, c in sorted(per_category.items()):
        print(f"  {cat:<{width}}  {c['hits']}/{c['total']}  (top-3 {c['top3']}/{c['total']})")
    print()
    print(f"misses ({len(misses)}):")
    for m in misses:
        extra = f"  [{m['error']}]" if m.get("error") else ""
        print(f"  {m['file']}\texpected={m['expected']}\tgot={m['got']}{extra}")
    print()
    print(f"false incidents on healthy logs ({len(false_incidents)}):")
    for fi in false_incidents:
        print(f"  {fi['file']}\tgot={', '.join(fi['got'])}")
    if errors:
        print()
        print(f"scan errors ({len(errors)}):")
        for e in errors:
            print(f"  {e['file']}\t{e['error']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
