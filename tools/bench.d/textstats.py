#!/usr/bin/env python3
"""Prints "DOCS TEXT_BYTES FILE_BYTES" for JSON Lines files (all files added up).

DOCS counts the lines whose "text" field is a string; TEXT_BYTES is the UTF-8 length of
those "text" values (the unit of tools/bench's MB/s); FILE_BYTES is the files' size.
Used by tools/bench; needs only the standard library.
"""
import json
import os
import sys


def main(paths):
    docs = text_bytes = file_bytes = 0
    for path in paths:
        file_bytes += os.path.getsize(path)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    docs += 1
                    text_bytes += len(text.encode("utf-8", "surrogatepass"))
    print(docs, text_bytes, file_bytes)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: textstats.py FILE.jsonl...")
    main(sys.argv[1:])
