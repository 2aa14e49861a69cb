"""What tagging posts with themes costs, on a store of generated data (issue #7, part 11).

    python -m bench.themes --db bench/out/ministry/diplopulse.duckdb [--days 90] [--runs 5]
                           [--scale 10]

Themes are found when posts are read (metrics/themes.py), so an import pays nothing for them;
this measures what the reads pay instead, on the store's published version, with the read
cache emptied before each timed call (every call runs its statement and tags its posts):

- every post of the store tagged once (what tagging at import would have added to a full
  import of the same posts, and what a network-wide read of all time costs), in seconds of
  CPU (the machine is shared: wall time says more about the neighbours than about us), and
  `--scale N` times as many posts, each copy's texts made distinct (a number appended), as a
  store N times larger would hold (10x: 950 missions);
- `theme_summary` of the whole network for the last `--days` days (the Content page's view);
- `theme_summary` and `ambassador_summary` of each mission with an ambassador account, for
  the same days (the Mission page's section).

Prints one JSON object (seconds; medians of `--runs`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import timedelta
from typing import Any

from data.store import Store
from metrics import Scope, ambassador_summary, theme_rules, theme_summary


def _median(fn: Any, runs: int, clear: Any) -> float:
    times = []
    for _ in range(runs):
        clear()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(db: str, days: int = 90, runs: int = 5, scale: int = 10) -> dict[str, Any]:
    """The figures above, for the store file `db`."""
    store = Store(db)
    rules = theme_rules()
    rules.match("warm the matcher's index")
    with store.read() as con:
        cache = getattr(con, "read_cache", None)

        def clear() -> None:
            if cache is not None:
                cache.clear()

        texts = [row[0] for row in con.execute("SELECT text FROM posts").fetchall()]
        latest = con.execute("SELECT max(published_date) FROM posts").fetchone()[0]
        missions = [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT mission_id FROM accounts WHERE owner = 'ambassador' "
                "ORDER BY mission_id"
            ).fetchall()
        ]
        start = latest - timedelta(days=days - 1)
        started = time.process_time()
        tagged = rules.tag(texts)
        tag_all = time.process_time() - started
        # N stores' worth: copy k of a text ends with " k", so that no copy repeats another.
        started = time.process_time()
        for copy in range(scale):
            rules.tag(None if text is None else f"{text} {copy}" for text in texts)
        tag_scaled = time.process_time() - started
        network = _median(lambda: theme_summary(con, Scope(start, latest)), runs, clear)
        per_mission = [
            _median(
                lambda m=m: theme_summary(con, Scope(start, latest, missions=(m,))), runs, clear
            )
            for m in missions
        ]
        ambassador = [
            _median(lambda m=m: ambassador_summary(con, m, start, latest), runs, clear)
            for m in missions
        ]
    return {
        "posts": len(texts),
        "posts_with_a_theme": sum(1 for found in tagged if found),
        "distinct_texts": len(set(texts)),
        "tag_every_post_cpu_s": round(tag_all, 3),
        "tag_us_per_post": round(tag_all / max(len(texts), 1) * 1e6, 1),
        "scale": scale,
        "tag_every_post_at_scale_cpu_s": round(tag_scaled, 3),
        "window": [start.isoformat(), latest.isoformat()],
        "network_theme_summary_s": round(network, 3),
        "missions_with_ambassador": len(missions),
        "mission_theme_summary_median_s": round(statistics.median(per_mission), 3),
        "ambassador_summary_median_s": round(statistics.median(ambassador), 3),
        "ambassador_summary_max_s": round(max(ambassador), 3),
    }


def main() -> None:
    """Entry point: print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.themes", description=__doc__)
    parser.add_argument("--db", required=True, help="a store file of generated data")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10, help="tag N stores' worth of posts")
    args = parser.parse_args()
    print(json.dumps(measure(args.db, args.days, args.runs, args.scale), indent=1))


if __name__ == "__main__":
    main()
