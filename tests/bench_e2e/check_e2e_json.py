#!/usr/bin/env python3
"""Checks a `blockfp8 bench` result file against DESIGN §4 (`kind: e2e`): the metadata, one
row per model x input x backend with every field, numbers consistent with each other
(tokens/s vs TTFT and ITL, p50 <= p99), and null where a figure is unknown."""
import argparse
import json
import sys

TOP = ["kind", "command", "commit", "gpu", "driver", "date", "rows"]
ROW = ["model", "backend", "input", "output", "tokens_per_s", "ttft_ms", "itl_ms", "itl_p50_ms", "itl_p99_ms",
       "itl_bound_ms"]


def fail(message):
    sys.exit(f"check_e2e_json: {message}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--expect", nargs="+", required=True, help="MODEL:INPUT,INPUT,... the rows the file must hold")
    p.add_argument("--output", type=int, required=True)
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--earlier-runs", type=int, default=0, help="runs the file was appended to (bench --append)")
    p.add_argument("--warmup-outputs", default=None,
                   help="warm-up decode lengths of the earlier runs then this one, comma-separated")
    a = p.parse_args()
    with open(a.file) as f:
        doc = json.load(f)
    for key in TOP:
        if key not in doc:
            fail(f"top-level field {key!r} missing")
    if doc["kind"] != "e2e":
        fail(f"kind is {doc['kind']!r}")
    want = {(model, int(i)) for spec in a.expect for model, inputs in [spec.split(":")] for i in inputs.split(",")}
    got = {(r["model"], r["input"]) for r in doc["rows"]}
    if got != want or len(doc["rows"]) != len(want):
        fail(f"rows cover {sorted(got)} ({len(doc['rows'])} rows), expected {sorted(want)}")
    if len(doc.get("earlier_runs", [])) != a.earlier_runs:
        fail(f"earlier_runs has {len(doc.get('earlier_runs', []))} entries, expected {a.earlier_runs}")
    if a.warmup_outputs is not None:
        runs = doc.get("earlier_runs", []) + [doc]
        got_w = [str(run.get("method", {}).get("warmup_output")) for run in runs]
        if got_w != a.warmup_outputs.split(","):
            fail(f"warm-up lengths of the runs are {got_w}, expected {a.warmup_outputs}")
    for r in doc["rows"]:
        if a.earlier_runs and "commit" not in r:
            fail(f"row {r['model']}/{r['input']}: an appended file names each row's commit")
        for key in ROW:
            if key not in r:
                fail(f"row {r.get('model')}/{r.get('input')}: field {key!r} missing")
        if r["output"] != a.output or r["runs"] != a.runs:
            fail(f"row {r['model']}/{r['input']}: output {r['output']}, runs {r['runs']}")
        if doc["gpu"] == "none" and r["itl_bound_ms"] is not None:
            fail("a run without a GPU has no bandwidth bound, yet itl_bound_ms is set")
        if not r["decode_bytes_per_step"] > 0:
            fail(f"row {r['model']}/{r['input']}: decode_bytes_per_step {r['decode_bytes_per_step']}")
        ttft, itl, p50, p99, tps = (r[k] for k in ("ttft_ms", "itl_ms", "itl_p50_ms", "itl_p99_ms", "tokens_per_s"))
        if not (ttft > 0 and itl > 0 and 0 < p50 <= p99 and tps > 0):
            fail(f"row {r['model']}/{r['input']}: non-positive or unordered figures {r}")
        # A run lasts TTFT + (output - 1) mean ITLs, so the rate follows from the two.
        expected = (r["input"] + r["output"]) / ((ttft + (r["output"] - 1) * itl) / 1e3)
        if abs(tps - expected) > 1e-6 * expected:
            fail(f"row {r['model']}/{r['input']}: tokens_per_s {tps} but TTFT and ITL imply {expected}")
    print(f"{a.file}: {len(doc['rows'])} rows match DESIGN §4")


if __name__ == "__main__":
    main()
