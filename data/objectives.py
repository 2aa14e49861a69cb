"""The ministry's objectives: `objectives.csv` in the registry folder, which analysts edit.

One row per objective: `mission_id,kpi,start,end,target` (exactly that header), e.g.

    mission_id,kpi,start,end,target
    emb-jp-tokyo,net_follows,2026-01-01,2026-12-31,5000
    emb-jp-tokyo,posts_per_week,2026-01-01,2026-12-31,3
    emb-fr-paris,host_language_share,2026-07-01,2026-12-31,40%

`target` is a plain number greater than 0 (`5000`, `+5000`, `2.5`), no thousands separator;
a count KPI's target is a whole number; a ratio KPI's target is a fraction (`0.4`) or a
percentage with `%` (`40%`). How a target is read (a total
to reach by the end, a level to hold, a level to reach) is the metrics' business
(`metrics/objectives.py`); this module only reads, checks and writes the file.

A bad row is refused as a whole file, with one line naming the file, the row, what is wrong
and what to do, in English and Vietnamese (`ObjectivesError.message(lang)`). The KPI names and
mission ids a row may use are given by the caller (the metrics registry and the store's
missions): the data layer knows neither. A missing file means no objectives.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data.registry import registry_folder
from i18n import t

FILE_NAME = "objectives.csv"
COLUMNS = ["mission_id", "kpi", "start", "end", "target"]
# A number as analysts type it: optional +, digits, optional decimals, optional %. No thousands
# separator: "5.000" is five thousand in Vietnamese and five in English.
_TARGET = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*(%?)$")


@dataclass(frozen=True)
class Objective:
    """One validated row. `target` is a number in the KPI's own unit (a fraction for ratios)."""

    mission_id: str
    kpi: str
    start: date
    end: date
    target: float
    row: int = 0  # the row in the file (header = 1), for messages; 0 when not from a file


class ObjectivesError(ValueError):
    """A refused objectives file: `code` says what is wrong, `message(lang)` says it in one
    line with what to do. `str()` is the English line."""

    def __init__(self, file: str, row: int, code: str, **params: object) -> None:
        self.file = file
        self.row = row
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        """The one line, in `lang` (default: the language in use)."""
        what = t(f"objectives.error.{self.code}", lang=lang, **self.params)
        todo = t(f"objectives.todo.{self.code}", lang=lang, **self.params)
        if self.row:
            return t(
                "objectives.error.line",
                lang=lang,
                file=self.file,
                row=self.row,
                what=what,
                todo=todo,
            )
        return t("objectives.error.file_line", lang=lang, file=self.file, what=what, todo=todo)


def objectives_file(folder: Path | str | None = None) -> Path:
    """`objectives.csv` of a registry folder (default: `data.registry.registry_folder()`)."""
    return Path(folder or registry_folder()) / FILE_NAME


def parse_target(text: str, unit: str) -> float | None:
    """The target typed in a cell as a number in the KPI's unit: `40%` → 0.4; None when it is
    not a number as the file wants it."""
    match = _TARGET.match(text.strip())
    if not match:
        return None
    value = float(match.group(1))
    if match.group(2):
        # A percentage is only meaningful for a ratio: "5000%" followers is a typo.
        return value / 100 if unit == "ratio" else None
    return value


def check_rows(
    rows: Iterable[Mapping[str, str]],
    kpis: Mapping[str, str],
    missions: Iterable[str],
    file: str = FILE_NAME,
    first_row: int = 2,
) -> list[Objective]:
    """Validate rows (dicts keyed by COLUMNS, as text): the objectives, or ObjectivesError on
    the first bad row. `kpis`: KPI name -> unit ("count", "ratio", "rate"); `missions`: the
    mission ids a row may name. Row numbers count from `first_row` (2: under the header)."""
    known_missions = set(missions)
    out: list[Objective] = []
    seen: dict[tuple[str, str, date, date], int] = {}
    for number, raw in enumerate(rows, start=first_row):
        cells = {c: str(raw.get(c) if raw.get(c) is not None else "").strip() for c in COLUMNS}
        if not any(cells.values()):
            continue  # an empty line, or a row the editor added and left blank
        mission, kpi = cells["mission_id"], cells["kpi"]
        if mission not in known_missions:
            raise ObjectivesError(file, number, "unknown_mission", mission=mission)
        if kpi not in kpis:
            raise ObjectivesError(
                file, number, "unknown_kpi", kpi=kpi, kpis=", ".join(sorted(kpis))
            )
        days = {}
        for column in ("start", "end"):
            try:
                days[column] = date.fromisoformat(cells[column])
            except ValueError:
                raise ObjectivesError(
                    file, number, "bad_date", column=column, value=cells[column]
                ) from None
        if days["end"] < days["start"]:
            raise ObjectivesError(
                file, number, "end_before_start", start=days["start"], end=days["end"]
            )
        target = parse_target(cells["target"], kpis[kpi])
        if target is None or target <= 0:
            raise ObjectivesError(file, number, "bad_target", value=cells["target"], kpi=kpi)
        if kpis[kpi] == "count" and "." in cells["target"]:
            # Counts are whole, written without a point: "5.000" is a Vietnamese five thousand.
            raise ObjectivesError(file, number, "count_target", value=cells["target"], kpi=kpi)
        if kpis[kpi] == "ratio" and target > 1 and "%" not in cells["target"]:
            # "40" for a share would be read as 4,000 %: make the analyst say what they mean.
            raise ObjectivesError(file, number, "ratio_target", value=cells["target"], kpi=kpi)
        key = (mission, kpi, days["start"], days["end"])
        if key in seen:
            raise ObjectivesError(file, number, "duplicate", other=seen[key], kpi=kpi)
        seen[key] = number
        out.append(Objective(mission, kpi, days["start"], days["end"], target, number))
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an objectives file as text (no check of their values); [] when there is no
    file. ObjectivesError for a wrong header or a row with the wrong number of cells."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return []
    if [c.strip() for c in rows[0]] != COLUMNS:
        raise ObjectivesError(str(path), 1, "header", columns=",".join(COLUMNS))
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            out.append(dict.fromkeys(COLUMNS, ""))  # kept, so that row numbers stay the file's
            continue
        if len(row) != len(COLUMNS):
            raise ObjectivesError(str(path), number, "cells", found=len(row), expected=len(COLUMNS))
        out.append(dict(zip(COLUMNS, (c.strip() for c in row), strict=True)))
    return out


def load_objectives(
    path: Path, kpis: Mapping[str, str], missions: Iterable[str]
) -> list[Objective]:
    """Read and validate an objectives file (see `check_rows`)."""
    return check_rows(read_rows(path), kpis, missions, file=str(path))


def write_objectives(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    kpis: Mapping[str, str],
    missions: Iterable[str],
) -> list[Objective]:
    """Check `rows` (the whole file's, as text) and write them, atomically: the file is
    replaced in one step by a complete new one, or left as it was (ObjectivesError, or an
    OSError). Blank rows are dropped; the cells are written as typed. Returns the objectives."""
    kept = [
        {c: str(r.get(c) if r.get(c) is not None else "").strip() for c in COLUMNS} for r in rows
    ]
    kept = [r for r in kept if any(r.values())]
    objectives = check_rows(kept, kpis, missions, file=str(path))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([r[c] for c in COLUMNS] for r in kept)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A temporary file beside the target, then os.replace: a reader (another session, an
    # import) sees the old file or the new one, never half of it.
    handle, temporary = tempfile.mkstemp(prefix=".objectives-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(buffer.getvalue())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return objectives
