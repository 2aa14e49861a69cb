"""The Data page's import log follows the language: a file refused while the page was in
English reads in Vietnamese after switching, its parameters shown as text."""

from __future__ import annotations

import json

import pandas as pd

from connectors.base import display_params
from data import queries
from data.store import Store
from i18n import t

# Not an export any format knows: refused as unknown_format, with the file's own header cells
# (markdown in one of them) as the message's `headers` parameter.
NAME = "bad\nname [x](y).csv"
UNKNOWN = b'"Evil [a](http://e.test)",Other\n1,2\n'


def log_table(at, lang):
    column = t("ui.col.message", lang=lang)
    frames = [f.value for f in at.dataframe if column in f.value.columns]
    assert len(frames) == 1
    return frames[0]


def test_a_refusal_logged_in_english_reads_in_vietnamese_after_switching(run_app, sample_db):
    at = run_app("data")
    at.file_uploader[0].set_value((NAME, UNKNOWN, "text/csv"))
    next(b for b in at.button if b.label == t("ui.data.import", lang="en")).click().run()
    assert not at.exception
    with Store(sample_db).read() as con:
        row = queries.import_log(con).iloc[0]
    assert row["message_code"] == "refused.unknown_format"
    stored = json.loads(row["message_params"])
    params = display_params(stored, lang="en")

    log = log_table(at, "en")
    first = log.iloc[0]
    assert first[t("ui.col.file", lang="en")] == "bad\\nname [x](y).csv"  # one line, as text
    english = first[t("ui.col.message", lang="en")]
    assert english == t("refused.unknown_format", lang="en", **params)
    assert english.startswith("this is not an export DiploPulse knows (headers: evil [a](http")

    at.segmented_control[0].set_value("vi").run()
    assert not at.exception
    log = log_table(at, "vi")
    first = log.iloc[0]
    vietnamese = first[t("ui.col.message", lang="vi")]
    assert vietnamese == t("refused.unknown_format", lang="vi", **display_params(stored, lang="vi"))
    assert "Hỗ trợ: Mốc người theo dõi của DiploPulse; " in vietnamese  # formats named in vi
    assert vietnamese.startswith("đây không phải tệp xuất mà DiploPulse nhận biết (tiêu đề: evil")
    assert first[t("ui.col.outcome", lang="vi")] == t("ui.data.outcome.refused", lang="vi")
    # The samples' lines have no message: still empty, not "nan" or "None"
    assert set(log[t("ui.col.message", lang="vi")].iloc[1:]) <= {""}
    # The samples' formats by their labels in the language shown, not by their ids
    formats = set(log[t("ui.col.format", lang="vi")].iloc[1:])
    assert "YouTube Studio: Totals (theo ngày)" in formats and "youtube_totals" not in formats
    assert "YouTube Studio: Totals (per day)" not in formats
    assert pd.isna(log[t("ui.col.format", lang="vi")].iloc[0])  # refused: no format known
