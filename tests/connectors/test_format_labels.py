"""Formats are named in the reader's language: in the import log, in messages, on the Data page
and in the CLI. They are stored by id, so that a line is written in whichever language it is
read in; labels an older version stored are shown as they were written."""

from __future__ import annotations

import json
from datetime import date

from connectors import logmessages
from connectors.base import ImportRefused, format_label, format_labels, formats
from connectors.importer import ImportResult


def test_every_format_declares_its_label_in_both_languages():
    for fmt in formats():
        # declared by the format itself, not inherited from another format's class
        assert vars(type(fmt)).get("label_vi"), fmt.id
        assert vars(type(fmt)).get("label"), fmt.id
        assert fmt.label_in("en") == fmt.label
        assert fmt.label_in("vi") == fmt.label_vi


def test_a_format_id_is_named_in_the_language_asked_for():
    assert format_label("x_content", "en") == "X account analytics: content"
    assert format_label("x_content", "vi") == "Phân tích tài khoản X: nội dung"
    # the platform's own names stay as the platform writes them
    assert format_label("youtube_chart", "vi") == "YouTube Studio: Chart data (theo video và ngày)"
    # not an id this version knows (a retired format, or a label stored by an older version)
    assert format_label("Some old label", "vi") == "Some old label"


def test_a_list_of_ids_is_named_and_an_old_list_of_labels_kept():
    assert format_labels("x_content, x_overview", "vi") == (
        "Phân tích tài khoản X: nội dung; Phân tích tài khoản X: tổng quan theo ngày"
    )
    old = "Meta Business Suite insights, top content formats, X account analytics: content"
    assert format_labels(old, "vi") == old


def test_an_imported_files_line_names_its_format_in_the_readers_language():
    result = ImportResult(
        "posts.csv",
        "imported",
        "x_content",
        "X account analytics: content",
        "emb-jp-x",
        3,
        date(2026, 10, 31),
    )
    assert "posts.csv: X account analytics: content, account emb-jp-x" in result.message("en")
    assert "Phân tích tài khoản X: nội dung" in result.message("vi")


def test_refusals_name_formats_in_the_readers_language():
    refusal = ImportRefused("ambiguous_format", formats="x_content, x_overview")
    assert "(X account analytics: content; X account analytics: daily overview)" in (
        refusal.message("en")
    )
    assert "Phân tích tài khoản X: nội dung; Phân tích tài khoản X: tổng quan theo ngày" in (
        refusal.message("vi")
    )


def test_a_line_stored_with_the_old_parameter_of_unknown_format_is_still_written_whole():
    # Before formats were stored by id, unknown_format kept the English labels as `known`.
    params = json.dumps({"headers": "a, b", "known": "Old label A; Old label B"})
    line = logmessages.render("refused.unknown_format", params, None, "vi")
    assert "(tiêu đề: a, b). Hỗ trợ: Old label A; Old label B." in line
    assert "{" not in line
