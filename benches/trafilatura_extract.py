#!/usr/bin/env python3
"""trafilatura on the extraction benchmark's pages, for comparison.

Reads tab-separated lines `id<TAB>path<TAB>url` on stdin (a path ending in
.gz is gunzipped) and prints one JSON object a line: {"id", "text"} or
{"id", "error"}. Exits 3 when trafilatura cannot be imported, so the Rust
bench can say it is missing. Settings: trafilatura's defaults except
comments, which no corpus's expected text contains.
"""
import gzip
import json
import sys

try:
    import trafilatura
except ImportError as e:  # the bench prints this as "trafilatura: MISSING"
    print(f"cannot import trafilatura: {e}", file=sys.stderr)
    sys.exit(3)


def main():
    version = getattr(trafilatura, "__version__", "?")
    print(json.dumps({"version": version}), flush=True)
    for line in sys.stdin:
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3:
            continue
        pid, path, url = parts
        try:
            with open(path, "rb") as f:
                data = f.read()
            if path.endswith(".gz"):
                data = gzip.decompress(data)
            text = trafilatura.extract(data, url=url or None, include_comments=False) or ""
            print(json.dumps({"id": pid, "text": text}), flush=True)
        except Exception as e:  # one page failing is that page's score
            print(json.dumps({"id": pid, "error": str(e)}), flush=True)


if __name__ == "__main__":
    main()
