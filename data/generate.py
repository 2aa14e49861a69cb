"""Generate realistic, synthetic platform exports for missions of the registry.

    python -m data.generate --missions 12 --days 183 --out data/samples [--seed S]
                            [--end YYYY-MM-DD] [--registry DIR]

writes, under OUT:

- `exports/`: the export files, in every layout DiploPulse imports (Facebook legacy CSV and
  XLSX, Meta Business Suite content and insights series, X legacy and account analytics,
  YouTube Studio zips, the follower baseline), one folder a mission and account. Import them
  with `python -m connectors import OUT/exports --registry OUT`;
- `accounts.csv` and `missions.csv`: the registry of the generated accounts (missions are the
  registry's own rows; past its size, numbered clones, for benchmarks).

The data are synthetic: a simulation (data/generator/model.py) of each account's posts,
followers and daily activity, written out as each platform writes its exports (real layouts in
/work/shared/FORMATS.md). Same arguments, same bytes: everything random comes from
`random.Random` seeded with the seed, and the default end date is fixed (2026-10-31). Which
format covers which months is decided in data/generator/plan.py.

`generate()` is the same as a function, for the benchmarks.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from data.generator import baseline, facebook, meta, x, youtube
from data.generator.csvout import render, write
from data.generator.model import (
    DEFAULT_END,
    DEFAULT_SEED,
    Account,
    Simulation,
    make_accounts,
    read_missions,
    select_missions,
    simulate,
)
from data.generator.plan import Plan, make_plan
from data.registry import ACCOUNT_COLUMNS, DEFAULT_REGISTRY, MISSION_COLUMNS

EXPORTS = "exports"


def _month_end(day: date) -> date:
    next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return next_month - timedelta(days=1)


def _folder(root: Path, account: Account) -> Path:
    suffix = "-ambassador" if account.owner == "ambassador" else ""
    return root / account.mission.mission_id / f"{account.platform}{suffix}"


def _series(account: Account, n: int) -> tuple[str, ...]:
    """The insights series an analyst downloaded: follows and views always, content
    interactions for every other page or account."""
    titles = meta.series_titles(account.platform)
    return titles if n % 2 == 0 else titles[:2]


def _facebook(
    sim: Simulation, plan: Plan, folder: Path, xlsx: str | None, series: tuple[str, ...]
) -> list[Path]:
    """Legacy exports month by month (one month as XLSX when `xlsx` is "first" or "last"),
    then Meta Business Suite content exports and insights series."""
    account = sim.account
    written = []
    legacy = plan.facebook_legacy
    for n, w in enumerate(legacy):
        page = facebook.page_rows(sim, w.start, w.end)
        posts = facebook.post_rows(sim, w.start, w.end, w.end)
        # A window without posts gives no post-level file (a header only is refused as empty).
        has_posts = bool(sim.posts_between(w.start, w.end))
        if (xlsx == "first" and n == 0) or (xlsx == "last" and n == len(legacy) - 1):
            page_path = folder / facebook.file_name(account.display_name, w.end, False, "xlsx")
            posts_path = folder / facebook.file_name(account.display_name, w.end, True, "xlsx")
            written.append(facebook.write_xlsx(page_path, page, False, account.mission.country))
            if has_posts:
                written.append(facebook.write_xlsx(posts_path, posts, True))
        else:
            page_path = folder / facebook.file_name(account.display_name, w.end, False)
            posts_path = folder / facebook.file_name(account.display_name, w.end, True)
            written.append(facebook.write_csv(page_path, page))
            if has_posts:
                written.append(facebook.write_csv(posts_path, posts))
    for w in plan.facebook_suite:
        rows = meta.facebook_content(sim, w.start, w.end, w.variant)
        if len(rows) <= 1:
            continue  # no post in the window: an export of a header only is refused as empty
        written.append(
            meta.write_content(
                folder / meta.content_name(w.start, w.end, account.external_id), rows
            )
        )
    for title in series:
        path = folder / f"{account.handle} - {title}.csv"
        written.append(meta.write_series(path, sim, title, plan.facebook_switch, plan.end))
    return [p for p in written if p is not None]


def _instagram(sim: Simulation, plan: Plan, folder: Path, series: tuple[str, ...]) -> list[Path]:
    account = sim.account
    written = []
    for w in plan.instagram_suite:
        rows = meta.instagram_content(sim, w.start, w.end, w.variant)
        if len(rows) <= 1:
            continue  # no post in the window: an export of a header only is refused as empty
        written.append(
            meta.write_content(
                folder / meta.content_name(w.start, w.end, account.external_id), rows
            )
        )
    for title in series:
        path = folder / f"{account.handle} - {title}.csv"
        written.append(meta.write_series(path, sim, title, plan.start, plan.end))
    return [p for p in written if p is not None]


def _x(sim: Simulation, plan: Plan, folder: Path) -> list[Path]:
    handle = sim.account.handle
    written = []
    for w in plan.x_legacy:
        posts_name, daily_name = x.legacy_names(handle, w.start, w.end)
        if sim.posts_between(w.start, w.end):  # a header only is refused as empty
            written.append(write(folder / posts_name, x.legacy_posts(sim, w.start, w.end)))
        written.append(write(folder / daily_name, x.legacy_daily(sim, w.start, w.end)))
    for w in plan.x_content:
        if sim.posts_between(w.start, w.end):  # an empty one would not even name its account
            written.append(
                write(
                    folder / x.content_name(w.start, w.end),
                    x.content(sim, w.start, w.end, w.variant),
                )
            )
    overview = folder / f"{handle}_account_overview_analytics.csv"
    written.append(write(overview, x.overview(sim, plan.x_switch, plan.end)))
    return written


def generate(
    missions: int = 12,
    days: int = 183,
    out: Path | str = "data/samples",
    seed: int = DEFAULT_SEED,
    end: date = DEFAULT_END,
    registry: Path | str | None = None,
) -> list[Path]:
    """Write the exports of `missions` missions over the `days` days ending on `end` under
    `out/exports` (replaced if present), and the registry files `out/accounts.csv` and
    `out/missions.csv`. Returns the export files written, sorted (the registry files are not
    exports and are not in the list)."""
    if missions < 1 or days < 4:
        raise ValueError("generate at least 1 mission and 4 days")
    out = Path(out)
    rows = read_missions(Path(registry) if registry else DEFAULT_REGISTRY)
    chosen = select_missions(rows, missions, seed)
    accounts = make_accounts(chosen, seed)
    start = end - timedelta(days=days - 1)
    plan = make_plan(start, end)

    root = out / EXPORTS
    if root.exists():
        shutil.rmtree(root)  # the folder is the generator's own: stale files must not linger
    written: list[Path] = []
    baseline_rows: list[list[object]] = []
    x_count = youtube_count = meta_count = 0
    position = {m.mission_id: i for i, m in enumerate(chosen)}
    for account in accounts:
        mission_index = position[account.mission.mission_id]
        sim = simulate(account, start, end, seed, modern_from=plan.facebook_switch)
        folder = _folder(root, account)
        platform = account.platform
        if platform == "facebook":
            xlsx = None
            if account.owner == "mission" and mission_index < 2:
                xlsx = "last" if mission_index == 0 else "first"
            written += _facebook(sim, plan, folder, xlsx, _series(account, meta_count))
            meta_count += 1
            baseline_rows += baseline.rows(
                sim, plan.facebook_switch, end, _month_end(plan.facebook_switch), False
            )
        elif platform == "instagram":
            written += _instagram(sim, plan, folder, _series(account, meta_count))
            meta_count += 1
            baseline_rows += baseline.rows(sim, start, end, _month_end(start), False)
        elif platform == "x":
            written += _x(sim, plan, folder)
            baseline_rows += baseline.rows(sim, plan.x_switch, end, end, x_count % 2 == 0)
            x_count += 1
        else:
            written += youtube.write(folder, sim, start, end, extended=youtube_count % 2 == 1)
            baseline_rows += baseline.rows(sim, start, end, end, youtube_count % 2 == 0)
            youtube_count += 1
    written.append(baseline.write_baselines(root / "baselines.csv", baseline_rows))

    order = {row["mission_id"]: i for i, row in enumerate(rows)}  # the registry's own order
    mission_rows = sorted(
        (m.row for m in chosen), key=lambda r: order.get(r["mission_id"], len(order))
    )
    write(
        out / "missions.csv",
        render([MISSION_COLUMNS, *[[r[c] for c in MISSION_COLUMNS] for r in mission_rows]]),
    )
    write(out / "accounts.csv", render([ACCOUNT_COLUMNS, *[a.row() for a in accounts]]))
    return sorted(written)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m data.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--missions", type=int, default=12, help="missions to generate (default 12)"
    )
    parser.add_argument("--days", type=int, default=183, help="days, ending on --end (default 183)")
    parser.add_argument("--out", type=Path, default=Path("data/samples"), help="output folder")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=DEFAULT_END,
        help="last day, YYYY-MM-DD (default 2026-10-31)",
    )
    parser.add_argument(
        "--registry",
        type=Path,
        default=None,
        help="registry folder with missions.csv (default data/registry)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        paths = generate(args.missions, args.days, args.out, args.seed, args.end, args.registry)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} export files ({size / 1e6:.1f} MB) under {Path(args.out) / EXPORTS}")
    print(
        f"registry of the generated accounts: {Path(args.out) / 'accounts.csv'}, {Path(args.out) / 'missions.csv'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
