#!/usr/bin/env python3
"""Charges each sample of a `perf` profile to its owner: librdkafka, the codec, event-kafka,
validation, rdkafka's Rust binding or the bench (docs/kafka.md, "where the 5 µs go").

Each sample goes to the first frame, from the leaf up, that belongs to an owner, so a `malloc`
that librdkafka calls is librdkafka's, a clock read in our consumer is event-kafka's, and a
clone or drop of an event (std's or the derive's code) is its caller's: the bench's when it
copies an example, the consumer's when a handled event is dropped. The leaf itself says what
kind of work it was: allocator, clock read, kernel or code.

    perf record -F 249 --call-graph dwarf,8192 -o perf.data <kafka_load> --bench
    perf script -i perf.data --pid <pid> -F comm,tid,time,ip,sym,dso > samples.txt
    python3 benches/profile/perf_by_owner.py samples.txt --tids 101,102 --from 13 --to 52

`--tids` keeps the threads of one client (the bench prints none; read them from
`perf script -F comm,tid,time`, each client's threads start when it does), `--from`/`--to`
the seconds from the first sample that make its window.
"""

import argparse
import collections
import re
import sys

HEADER = re.compile(r"^\s*(\S.*?)\s+(\d+)\s+([\d.]+):\s*$")
FRAME = re.compile(r"^\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$")

# The owners, in the order a frame is tried against them.
OWNERS = [
    ("librdkafka", re.compile(r"^(rd_|LZ4|rdk|tinycthread|cnd_|mtx_|thrd_|crc32)")),
    ("rdkafka (Rust binding)", re.compile(r"rdkafka::|rdkafka_sys")),
    ("validation", re.compile(r"event_core::validate")),
    (
        "codec",
        re.compile(
            r"event_core::json|zmij|decode_as|to_record_with|decode_envelope|from_json"
            r"|event_core::codec"
        ),
    ),
    ("event-kafka", re.compile(r"event_kafka::")),
    ("bench", re.compile(r"kafka_load::")),
]

ALLOCATOR = re.compile(r"malloc|free|calloc|realloc|unlink_chunk|consolidate|tcache")


def samples(lines):
    """Yields (tid, time, frames) per sample; frames are (symbol, dso), leaf first."""
    head, frames = None, []
    for line in lines:
        header = HEADER.match(line)
        if header:
            if head:
                yield head[0], head[1], frames
            head, frames = (int(header.group(2)), float(header.group(3))), []
            continue
        frame = FRAME.match(line)
        if frame and head:
            frames.append((frame.group(1).split("+0x")[0], frame.group(2)))
    if head:
        yield head[0], head[1], frames


def owner(frames):
    for symbol, _ in frames:
        for name, pattern in OWNERS:
            if pattern.search(symbol):
                return name
    return "other"


def kind(frames):
    if not frames:
        return "code"
    symbol, dso = frames[0]
    if "kernel" in dso:
        return "kernel"
    if "vdso" in dso or "clock_gettime" in symbol:
        return "clock"
    if ALLOCATOR.search(symbol):
        return "malloc/free"
    return "code"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples", help="`perf script -F comm,tid,time,ip,sym,dso` output")
    parser.add_argument("--tids", help="comma-separated thread ids to keep (default: all)")
    parser.add_argument("--from", dest="start", type=float, default=0.0)
    parser.add_argument("--to", dest="end", type=float, default=float("inf"))
    args = parser.parse_args()
    tids = {int(tid) for tid in args.tids.split(",")} if args.tids else None

    by_owner = collections.Counter()
    by_kind = collections.Counter()
    first = None
    with open(args.samples, encoding="utf-8", errors="replace") as lines:
        for tid, time, frames in samples(lines):
            first = time if first is None else first
            if tids is not None and tid not in tids:
                continue
            if not args.start <= time - first <= args.end:
                continue
            name = owner(frames)
            by_owner[name] += 1
            by_kind[(name, kind(frames))] += 1
    total = sum(by_owner.values())
    if total == 0:
        sys.exit("no samples in the window")
    print(f"{total} samples")
    print("| owner | share | of which malloc/free, clock reads, kernel |")
    print("|---|---:|---|")
    for name, count in by_owner.most_common():
        parts = ", ".join(
            f"{100 * by_kind[(name, k)] / total:.1f} %" for k in ("malloc/free", "clock", "kernel")
        )
        print(f"| {name} | {100 * count / total:.1f} % | {parts} |")


if __name__ == "__main__":
    main()
