#!/usr/bin/env python3
"""Run newsboat's own search query on a newsboat cache and time it.

usage: newsboat_search.py CACHE.DB QUERY...

newsboat's search (cache.cpp, Cache::search_for_items) is this SQL, with the
query pasted into LIKE patterns; SQLite's LIKE folds case for ASCII only.
Each query is run 5 times; the median time and the hit count are printed, so
they can be set beside `svodka search --json` on the same articles.
"""
import sqlite3
import statistics
import sys
import time

SQL = (
    "SELECT guid, title, author, url, pubDate, length(content), unread, feedurl, "
    "enclosure_url, enclosure_type, enqueued, flags, base FROM rss_item "
    "WHERE (title LIKE ? OR content LIKE ?) AND deleted = 0 ORDER BY pubDate DESC, id DESC"
)


def main():
    db, queries = sys.argv[1], sys.argv[2:]
    con = sqlite3.connect(db)
    for q in queries:
        pat = f"%{q}%"
        times, n = [], 0
        for _ in range(5):
            t = time.perf_counter()
            n = len(con.execute(SQL, (pat, pat)).fetchall())
            times.append(time.perf_counter() - t)
        print(f"{q}\t{n} hits\tmedian {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
