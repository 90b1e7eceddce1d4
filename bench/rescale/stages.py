"""Stage-by-stage times of one `rescale-int run --json` (bench/rescale/run.sh, section 1).

usage: stages.py EVENTS T0 T1 INPUT_BYTES OUTPUT_BYTES RSS_MIB

EVENTS holds one `<epoch seconds>\\t<event JSON>` line per event (schemas/events.schema.json), stamped as each line
arrived on the pipe; T0 and T1 are the epoch seconds at which the process was started and had exited. A stage's wall
time runs from its first `stageStarted` to its last `stageSucceeded` / `stageFailed` over every node and item.
"""

import json
import sys

ORDER = ["tar", "encrypt", "upload", "register", "create", "submit", "poll", "download"]
DATA = {"tar": "input", "encrypt": "input", "upload": "input", "download": "output"}
MIB = 1048576


def main(argv):
    path, t0, t1, input_bytes, output_bytes, rss = argv[1:]
    t0, t1 = float(t0), float(t1)
    size = {"input": int(input_bytes), "output": int(output_bytes)}
    events = []
    with open(path) as lines:
        for line in lines:
            stamp, _, text = line.rstrip("\n").partition("\t")
            if text.startswith("{"):
                events.append((float(stamp) - t0, json.loads(text)))
    if not events:
        sys.exit("no events: did rescale-int print --json?")

    stages = {}
    for at, event in events:
        stage = event.get("stage")
        if not stage:
            continue
        record = stages.setdefault(stage, {"start": None, "end": None, "attempts": 0, "failed": 0, "items": set(),
                                           "total": {}, "moved": {}})
        item = (event.get("node"), event.get("item"))
        kind = event["event"]
        if kind == "stageStarted":
            record["start"] = at if record["start"] is None else min(record["start"], at)
            record["attempts"] += 1
            record["items"].add(item)
        elif kind in ("stageSucceeded", "stageFailed"):
            record["end"] = at if record["end"] is None else max(record["end"], at)
            record["failed"] += kind == "stageFailed"
        elif kind == "transferProgress":
            record["moved"][item] = max(record["moved"].get(item, 0), event.get("bytes", 0))
            if "totalBytes" in event:
                record["total"][item] = max(record["total"].get(item, 0), event["totalBytes"])

    started = next((at for at, e in events if e["event"] == "runStarted"), None)
    finished = next((at for at, e in events if e["event"] == "runFinished"), None)
    result = next((e.get("result") for _, e in events if e["event"] == "runFinished"), "?")
    retries = sum(1 for _, e in events if e["event"] == "stageRetrying")

    print(f"{'stage':<10}{'from s':>9}{'to s':>9}{'wall s':>9}{'MiB/s':>9}  {'items':>5} {'attempts':>8}  note")
    if started is not None:
        print(f"{'(plan)':<10}{0:9.2f}{started:9.2f}{started:9.2f}{'':>9}  {'':>5} {'':>8}  "
              "process start to runStarted: load, plan, hash the inputs")
    for stage in sorted(stages, key=lambda s: ORDER.index(s) if s in ORDER else len(ORDER)):
        record = stages[stage]
        if record["start"] is None or record["end"] is None:
            continue
        wall = record["end"] - record["start"]
        rate, note = "", ""
        if stage in DATA:
            counted = sum(record["total"].values()) or sum(record["moved"].values())
            moved = counted or size[DATA[stage]]
            rate = f"{moved / MIB / max(wall, 1e-9):9.1f}"
            source = "bytes in transferProgress" if counted else f"the {DATA[stage]} files' size"
            note = f"{moved / MIB:.1f} MiB ({source})"
            if stage == "upload" and "tar" not in stages:
                note += "; tar and encrypt stream into it"
        if stage == "poll":
            note = statuses(events, record["start"])
        if record["failed"]:
            note += f"; {record['failed']} failed attempt(s)"
        print(f"{stage:<10}{record['start']:9.2f}{record['end']:9.2f}{wall:9.2f}{rate:>9}  "
              f"{len(record['items']):>5} {record['attempts']:>8}  {note}")
    if started is not None and finished is not None:
        print(f"run {result}: runStarted to runFinished {finished - started:.2f} s; process wall {t1 - t0:.2f} s; "
              f"{retries} retries; peak RSS rescale-int {rss} MiB")


def statuses(events, since):
    """The job's statuses, each with the seconds after the poll stage began that it was first seen."""
    seen = []
    for at, event in events:
        status = event.get("status") if event["event"] == "jobStatusChanged" else None
        if status and status not in (s for s, _ in seen):
            seen.append((status, at - since))
    return "seen: " + ", ".join(f"{status} +{offset:.1f}" for status, offset in seen) if seen else ""


if __name__ == "__main__":
    main(sys.argv)
