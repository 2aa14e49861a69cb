"""The registry of missions and accounts: two CSV files an analyst maintains.

`data/registry/missions.csv` and `accounts.csv` (columns below, exactly) are validated and
upserted into the store at every import; `--registry DIR` points at another folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pyarrow as pa

from data.domain import PLATFORMS
from data.localtime import account_zones, relocalise

DEFAULT_REGISTRY = Path(__file__).with_name("registry")
# The registry folder the dashboard and every command use unless told otherwise.
REGISTRY_ENV = "DIPLOPULSE_REGISTRY"


def registry_folder() -> Path:
    """The registry folder (missions, accounts, events, themes, objectives, index weights):
    `DIPLOPULSE_REGISTRY`, else `data/registry/`."""
    return Path(os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY)


MISSION_COLUMNS = [
    "mission_id",
    "name_en",
    "name_vi",
    "kind",
    "country",
    "city",
    "region",
    "timezone",
    "languages",
]
ACCOUNT_COLUMNS = [
    "account_id",
    "mission_id",
    "platform",
    "owner",
    "handle",
    "external_id",
    "display_name",
]
MISSION_KINDS = ("embassy", "consulate", "permanent_mission", "other")
OWNERS = ("mission", "ambassador")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGES = re.compile(r"^[a-z]{2}(;[a-z]{2})*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


class RegistryError(ValueError):
    """The registry files are not valid; the message names the file, row and problem."""

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(f"{file}: {detail}")
        self.file = file
        self.detail = detail


@dataclass(frozen=True)
class Registry:
    """Validated registry rows, as lists of dicts keyed by column."""

    missions: list[dict[str, str]]
    accounts: list[dict[str, str]]


def _read(path: Path, columns: list[str]) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise RegistryError(str(path), "file not found") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows or [c.strip() for c in rows[0]] != columns:
        raise RegistryError(str(path), f"the header must be exactly: {','.join(columns)}")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(columns):
            raise RegistryError(
                str(path), f"row {number} has {len(row)} cells, expected {len(columns)}"
            )
        out.append({col: cell.strip() for col, cell in zip(columns, row, strict=True)})
    return out


def load_registry(folder: Path | str | None = None) -> Registry:
    """Read and validate `missions.csv` and `accounts.csv` of a registry folder."""
    folder = Path(folder) if folder else DEFAULT_REGISTRY
    missions_file = folder / "missions.csv"
    accounts_file = folder / "accounts.csv"
    missions = _read(missions_file, MISSION_COLUMNS)
    seen: set[str] = set()
    for n, m in enumerate(missions, start=2):
        where = f"row {n} ({m['mission_id'] or 'no id'})"
        problems = []
        if not _ID.match(m["mission_id"]):
            problems.append("mission_id must be lower-case letters, digits, '-', '_' or '.'")
        if m["mission_id"] in seen:
            problems.append("mission_id appears twice")
        if not m["name_en"] or not m["name_vi"]:
            problems.append("name_en and name_vi are required")
        if m["kind"] not in MISSION_KINDS:
            problems.append(f"kind must be one of {', '.join(MISSION_KINDS)}")
        if not _COUNTRY.match(m["country"]):
            problems.append("country must be an ISO 3166-1 alpha-2 code such as VN")
        if not m["region"]:
            problems.append("region is required")
        if m["languages"] and not _LANGUAGES.match(m["languages"]):
            problems.append("languages must be ISO 639-1 codes separated by ';' (e.g. fr;nl)")
        try:
            ZoneInfo(m["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"timezone {m['timezone']!r} is not an IANA zone such as Asia/Tokyo")
        if problems:
            raise RegistryError(str(missions_file), f"{where}: {'; '.join(problems)}")
        seen.add(m["mission_id"])

    accounts = _read(accounts_file, ACCOUNT_COLUMNS)
    account_ids: set[str] = set()
    external: dict[tuple[str, str], str] = {}
    for n, a in enumerate(accounts, start=2):
        where = f"row {n} ({a['account_id'] or 'no id'})"
        problems = []
        if not _ID.match(a["account_id"]):
            problems.append("account_id must be lower-case letters, digits, '-', '_' or '.'")
        if a["account_id"] in account_ids:
            problems.append("account_id appears twice")
        if a["mission_id"] not in seen:
            problems.append(f"mission_id {a['mission_id']!r} is not in missions.csv")
        if a["platform"] not in PLATFORMS:
            problems.append(f"platform must be one of {', '.join(PLATFORMS)}")
        if a["owner"] not in OWNERS:
            problems.append("owner must be mission or ambassador")
        if "E+" in a["external_id"].upper():
            problems.append("external_id looks rounded by a spreadsheet (E+); type the full id")
        key = (a["platform"], a["external_id"])
        if a["external_id"] and key in external:
            problems.append(f"external_id is also used by {external[key]}")
        if problems:
            raise RegistryError(str(accounts_file), f"{where}: {'; '.join(problems)}")
        account_ids.add(a["account_id"])
        if a["external_id"]:
            external[key] = a["account_id"]
        a["handle"] = a["handle"].lstrip("@")
    return Registry(missions=missions, accounts=accounts)


def _upsert(
    cur: duckdb.DuckDBPyConnection,
    table: str,
    key: str,
    rows: list[dict[str, str]],
    columns: list[str],
) -> None:
    stage = pa.table(
        {c: [r[c] or None for r in rows] for c in columns},
        schema=pa.schema([(c, pa.string()) for c in columns]),
    )
    cur.register("registry_stage", stage)
    try:
        cur.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM registry_stage)")
        cur.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM registry_stage"
        )
    finally:
        cur.unregister("registry_stage")


def upsert_registry(cur: duckdb.DuckDBPyConnection, registry: Registry) -> None:
    """Insert or update every mission and account (rows not in the files are kept).

    When an account's time zone changes (its mission's zone, or its mission), the local times
    of its posts that carry a UTC instant are recomputed (`data.localtime.relocalise`, the one
    local-time rule), so that dates stay right.
    """
    before = account_zones(cur)
    _upsert(cur, "missions", "mission_id", registry.missions, MISSION_COLUMNS)
    _upsert(cur, "accounts", "account_id", registry.accounts, ACCOUNT_COLUMNS)
    after = account_zones(cur)
    relocalise(cur, [a for a, zone in after.items() if a in before and before[a] != zone])


def append_account(folder: Path | str | None, row: dict[str, str]) -> dict[str, str]:
    """Add one account to the registry's `accounts.csv` (the Data page's "Add and import").

    The row is checked as `load_registry` checks the file (the same rules, on the file with the
    row added), and an account id or a platform id already in the file is refused with a
    message that says which account has it. Returns the row as written. RegistryError when it
    cannot be added; the file is then unchanged.
    """
    import tempfile

    folder = Path(folder) if folder else DEFAULT_REGISTRY
    accounts_file = folder / "accounts.csv"
    registry = load_registry(folder)
    new = {column: str(row.get(column) or "").strip() for column in ACCOUNT_COLUMNS}
    new["handle"] = new["handle"].lstrip("@")
    for account in registry.accounts:
        if account["account_id"] == new["account_id"]:
            raise RegistryError(
                str(accounts_file), f"account_id {new['account_id']!r} is already in the file"
            )
        if new["external_id"] and (account["platform"], account["external_id"]) == (
            new["platform"],
            new["external_id"],
        ):
            raise RegistryError(
                str(accounts_file),
                f"{new['platform']} id {new['external_id']} is already account "
                f"{account['account_id']!r}",
            )
    text = accounts_file.read_text(encoding="utf-8-sig")
    buffer = io.StringIO()
    if text and not text.endswith("\n"):
        buffer.write("\n")
    csv.writer(buffer, lineterminator="\n").writerow([new[c] for c in ACCOUNT_COLUMNS])
    # Validate the file as it will be, with load_registry's own rules, before touching it.
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch)
        (trial / "missions.csv").write_bytes((folder / "missions.csv").read_bytes())
        (trial / "accounts.csv").write_text(text + buffer.getvalue(), encoding="utf-8")
        try:
            load_registry(trial)
        except RegistryError as error:
            if error.file.endswith("missions.csv"):
                raise RegistryError(str(folder / "missions.csv"), error.detail) from None
            raise RegistryError(str(accounts_file), f"the new row: {error.detail}") from None
    with accounts_file.open("a", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())
    return new


def propose_account_id(mission_id: str, platform: str, owner: str, taken: set[str]) -> str:
    """`<mission_id>-<platform>` (`-ambassador` for the ambassador's account), made unique
    with `-2`, `-3`, … against the account ids `taken`."""
    base = f"{mission_id}-{platform}" + ("-ambassador" if owner == "ambassador" else "")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
