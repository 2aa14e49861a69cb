"""The import log keeps a message code and its parameters, and is written in the reader's
language; lines of stores made before the code existed keep their English text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd

from connectors import logmessages
from connectors.base import ImportRefused, SourceFile, display_params
from connectors.importer import Importer, LeftOut, left_out_message
from data import queries
from data.store import Store
from i18n import t

ROOT = Path(__file__).resolve().parents[2]
# Not an export any format knows: refused as unknown_format, its headers (cells of the file,
# with markdown in them) a parameter of the message.
UNKNOWN = b'"Evil [a](http://e.test)",Other\n1,2\n'


def refuse(store: Store, name: str = "mystery.csv") -> None:
    results = list(Importer(store, origin="cli").import_sources([SourceFile(name, UNKNOWN)]))
    assert [r.status for r in results] == ["refused"]


def test_a_refusal_is_logged_with_its_code_and_parameters(tmp_path):
    store = Store(tmp_path / "t.duckdb")
    refuse(store)
    with store.read() as con:
        row = queries.import_log(con).iloc[0]
    assert row["message_code"] == "refused.unknown_format"
    params = json.loads(row["message_params"])
    assert params["headers"].startswith("evil [a](http://e.test), other")
    assert row["message"].startswith("this is not an export DiploPulse knows (headers: evil [a]")
    # The same line, in the reader's language, from the code: the English text is not translated
    vi = logmessages.render(row["message_code"], row["message_params"], row["message"], "vi")
    assert vi == t("refused.unknown_format", lang="vi", **display_params(params, lang="vi"))
    assert vi.startswith("đây không phải tệp xuất mà DiploPulse nhận biết (tiêu đề: evil [a]")
    # the supported formats are stored by id and named in the reader's language
    assert params["known_formats"].startswith("diplopulse_baseline, facebook_legacy_page, ")
    assert "Hỗ trợ: Mốc người theo dõi của DiploPulse; Facebook Page Insights (bản xuất cũ" in vi
    en = logmessages.render(row["message_code"], row["message_params"], row["message"], "en")
    assert en == row["message"]


def test_parameters_from_files_are_shown_escaped():
    refusal = ImportRefused("zip_unsafe_name", member="../evil\n[x](y).csv")
    code, params = logmessages.from_refusal(refusal)
    assert (code, json.loads(params)) == (
        "refused.zip_unsafe_name",
        {"member": "../evil\n[x](y).csv"},
    )
    # One line (the newline shown as \n), and on a markdown page the link stays text
    plain = logmessages.render(code, params, None, "vi")
    assert '"../evil\\n[x](y).csv"' in plain and "\n" not in plain
    page = logmessages.render(code, params, None, "vi", markdown=True)
    assert '"../evil\\\\n\\[x\\]\\(y\\).csv"' in page
    assert page == refusal.message("vi", markdown=True)


def test_left_out_pages_are_logged_with_their_code_and_written_in_either_language():
    left_out = [LeftOut("facebook", "1234", "Page [x](y)", 10), LeftOut("facebook", "99", None, 2)]
    code, params = logmessages.from_left_out(left_out)
    assert code == "import.left_out.line"
    for lang in ("en", "vi"):
        assert logmessages.render(code, params, "old", lang) == left_out_message(left_out, lang)
    assert logmessages.render(code, params, "old", "vi").startswith(
        t("import.left_out.line", lang="vi", rows=12, pages=2, list="")[:10]
    )


def test_a_line_without_a_code_keeps_its_english_text():
    assert logmessages.render(None, None, "the file is empty.", "vi") == "the file is empty."
    assert logmessages.render(float("nan"), float("nan"), float("nan"), "vi") == ""
    # a code this version does not know, or parameters it cannot read: the stored text
    assert logmessages.render("refused.from_the_future", "{}", "later text", "vi") == "later text"
    assert logmessages.render("refused.empty", "not json", "old text", "vi") == "old text"
    assert logmessages.render("import.left_out.line", '{"pages": [{"a": 1}]}', "x", "vi") == "x"


def _old_store(path: Path) -> None:
    """A store file as made before message codes: `imports` without their columns, one line."""
    con = duckdb.connect(str(path))
    schema = (ROOT / "data" / "schema.sql").read_text(encoding="utf-8")
    con.execute(schema)
    con.execute("ALTER TABLE imports DROP COLUMN message_code")
    con.execute("ALTER TABLE imports DROP COLUMN message_params")
    con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, imported_at, outcome, message, origin)"
        " VALUES ('old', 'old.csv', 'abc', TIMESTAMP '2026-01-02 03:04', 'refused',"
        " 'the file is empty.', 'cli')"
    )
    con.execute("INSERT INTO store_info VALUES ('schema_version', '1')")
    con.close()


def test_an_old_store_is_read_as_it_is_and_migrated_when_next_written(tmp_path):
    path = tmp_path / "old.duckdb"
    _old_store(path)
    store = Store(path)
    with store.read() as con:  # read before any write: the columns are not there yet
        log = queries.import_log(con)
    assert list(log.columns) == list(queries.IMPORT_LOG_COLUMNS)
    assert log["message_code"].isna().all()
    assert importing_messages(log, "vi") == ["the file is empty."]
    refuse(store)  # the first write adds the columns; the old line keeps its English text
    with store.read() as con:
        log = queries.import_log(con)
    assert log["message_code"][0] == "refused.unknown_format" and pd.isna(log["message_code"][1])
    messages = importing_messages(log, "vi")
    assert messages[0].startswith("đây không phải tệp xuất") and messages[1] == "the file is empty."


def importing_messages(log, lang):
    from ui.importing import log_messages

    return log_messages(log, lang)


def test_cli_status_writes_the_log_in_the_language_asked_for(tmp_path):
    db = tmp_path / "t.duckdb"
    refuse(Store(db), name="bad\nname.csv")

    def status(*extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "connectors", "status", "--db", str(db), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={"PATH": "/usr/bin:/bin", "DIPLOPULSE_LANG": "en"},
            check=True,
        )
        return done.stdout

    english, vietnamese = status(), status("--lang", "vi")
    line = next(x for x in english.splitlines() if "refused" in x)
    assert "bad\\nname.csv  this is not an export DiploPulse knows (headers: evil [a]" in line
    line = next(x for x in vietnamese.splitlines() if "bị từ chối" in x)  # the outcome too
    assert "bad\\nname.csv  đây không phải tệp xuất mà DiploPulse nhận biết (tiêu đề: evil" in line
