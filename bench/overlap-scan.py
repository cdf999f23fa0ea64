#!/usr/bin/env python3
"""The bench's baseline: a simple 13-gram scan as one would write it in Python, to compare with
contam overlap on the same file. lm-eval's normalisation (janitor.py): ASCII letters lowercased,
string.punctuation deleted, split on whitespace; a set of the benchmark items' n-grams; every window
of every record probed. Prints one JSON line: the item ids found, and the wall and CPU time spent scanning.

Usage: overlap-scan.py CORPUS.jsonl GSM8K_TEST.jsonl ARC_CHALLENGE_TEST.jsonl [N]
"""
import json
import string
import sys
import time

TABLE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase, string.punctuation)


def normalise(text):
    return text.translate(TABLE).split()


def items(gsm8k, arc):
    with open(gsm8k, encoding="utf-8") as f:
        for i, line in enumerate(l for l in f if l.strip()):
            yield f"gsm8k/test/{i}", json.loads(line)["question"]
    with open(arc, encoding="utf-8") as f:
        for i, line in enumerate(l for l in f if l.strip()):
            yield f"arc/test/{i}", json.loads(line)["question"]["stem"]


def main():
    corpus, gsm8k, arc = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 13
    owners = {}
    for item_id, text in items(gsm8k, arc):
        ws = normalise(text)
        for i in range(len(ws) - n + 1):
            owners.setdefault(" ".join(ws[i : i + n]), set()).add(item_id)
    started = time.perf_counter()
    cpu_started = time.process_time()
    found = set()
    size = 0
    with open(corpus, "rb") as f:
        for raw in f:
            size += len(raw)
            if not raw.strip():
                continue
            ws = normalise(json.loads(raw)["text"])
            for i in range(len(ws) - n + 1):
                hit = owners.get(" ".join(ws[i : i + n]))
                if hit:
                    found |= hit
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    print(json.dumps({"found": sorted(found), "bytes": size, "seconds": seconds, "cpu_seconds": cpu_seconds}))


if __name__ == "__main__":
    main()
