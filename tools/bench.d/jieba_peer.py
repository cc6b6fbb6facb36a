#!/usr/bin/env python3
"""jieba peer for tools/bench: segments the "text" of every line of a JSON Lines file.

Usage: jieba_peer.py FILE.jsonl [TIMINGS_FILE] > tokens.txt

Whole process work, like `vocmine tokenize`: read the JSONL, run jieba.lcut(text) on each
text (jieba's default: accurate mode with HMM), write the tokens of each document as one
space-separated line. The dictionary load (jieba.initialize()) is timed inside the script
and, with the segmentation time, written as JSON to TIMINGS_FILE if given, so that
tools/bench can report the time without it. jieba caches its parsed dictionary in
JIEBA_CACHE_DIR if set (else in the system temporary directory).
"""
import json
import logging
import os
import sys
import time


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: jieba_peer.py FILE.jsonl [TIMINGS_FILE]")
    path = sys.argv[1]
    timings = sys.argv[2] if len(sys.argv) > 2 else None

    t0 = time.perf_counter()
    import jieba  # noqa: E402  (timed on purpose)

    jieba.setLogLevel(logging.WARNING)
    cache_dir = os.environ.get("JIEBA_CACHE_DIR")
    if cache_dir:
        try:
            os.makedirs(cache_dir, exist_ok=True)
            jieba.dt.tmp_dir = cache_dir
        except OSError:
            pass  # jieba's default: the system temporary directory
    t1 = time.perf_counter()
    jieba.initialize()
    t2 = time.perf_counter()

    out = sys.stdout
    docs = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line).get("text")
            if not isinstance(text, str):
                continue
            out.write(" ".join(jieba.lcut(text)))
            out.write("\n")
            docs += 1
    out.flush()
    t3 = time.perf_counter()

    if timings:
        with open(timings, "w", encoding="utf-8") as f:
            json.dump({"import_s": t1 - t0, "dict_load_s": t2 - t1, "segment_s": t3 - t2,
                       "docs": docs, "jieba": getattr(jieba, "__version__", "?")}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
