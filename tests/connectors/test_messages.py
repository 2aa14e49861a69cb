"""Messages never echo file content unescaped: one line on the CLI, plain text on the dashboard."""

from __future__ import annotations

from connectors.base import ImportRefused, display_text
from connectors.importer import ImportResult
from ui import importing


def test_control_characters_are_shown_escaped_so_a_cell_cannot_forge_a_cli_line():
    refusal = ImportRefused("bad_number", column="Views", row=3, value="12\nimported  x.csv\t\x07")
    message = refusal.message("en")
    assert "\n" not in message and "\t" not in message and "\x07" not in message
    assert message == (
        'column "Views", row 3: "12\\nimported  x.csv\\t\\x07" is not a number. '
        "Export the report again; do not edit it by hand."
    )


def test_a_long_value_is_cut_at_80_characters_with_an_ellipsis():
    value = "x" * 500
    assert display_text(value) == "x" * 79 + "…"
    message = ImportRefused("bad_date", column="Date", row=2, value=value).message("en")
    assert '"' + "x" * 79 + '…"' in message
    assert "x" * 80 not in message


def test_numbers_and_short_text_pass_unchanged():
    params = {"column": "Reach", "row": 12, "value": "1,5"}
    assert ImportRefused("bad_number", **params).message("en") == (
        'column "Reach", row 12: "1,5" is not a number. '
        "Export the report again; do not edit it by hand."
    )


def test_markdown_is_escaped_for_the_dashboard_only():
    refusal = ImportRefused("bad_number", column="Views", row=2, value="[x](http://evil) **b**")
    assert '"[x](http://evil) **b**"' in refusal.message("en")
    assert r'"\[x\]\(http://evil\) \*\*b\*\*"' in refusal.message("en", markdown=True)


def test_an_import_line_escapes_the_file_name_and_the_reason():
    result = ImportResult(
        "a_b\n[c](http://evil).csv",
        "refused",
        refusal=ImportRefused("bad_number", column="`x`", row=2, value="<b>#1</b>"),
    )
    assert result.message("en") == (
        'REFUSED   a_b\\n[c](http://evil).csv: column "`x`", row 2: "<b>#1</b>" is not a number. '
        "Export the report again; do not edit it by hand."
    )
    assert result.message("en", markdown=True) == (
        r'REFUSED   a\_b\\n\[c\]\(http://evil\).csv: column "\`x\`", row 2: "\<b\>\#1\</b\>" '
        "is not a number. Export the report again; do not edit it by hand."
    )


def test_the_data_page_gets_markdown_escaped_lines(tmp_path, registry_dir):
    from data.store import Store

    lines = importing.import_uploads(
        Store(tmp_path / "t.duckdb"),
        [("[click](http://evil).csv", b"*bold*,b\n1,2\n")],
        registry_dir=registry_dir,
        lang="en",
    )
    assert [line.level for line in lines] == ["error"]
    assert lines[0].text.startswith(
        r"REFUSED   \[click\]\(http://evil\).csv: this is not an export"
    )
    assert r"\*bold\*" in lines[0].text


def test_lists_diplopulse_builds_itself_are_not_cut():
    columns = ", ".join(f"Lifetime Post Stories by action type - {a}" for a in ("like", "share"))
    message = ImportRefused("missing_columns", columns=columns).message("en")
    assert columns in message and "…" not in message


def test_a_zip_member_name_cannot_forge_a_cli_line(store, registry_dir):
    import io
    import zipfile

    from connectors.importer import Importer
    from connectors.sources import expand

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.csv\nimported  fake.csv: all good", b"hello,world\n1,2\n")
    sources = list(expand("a.zip", buffer.getvalue()))
    [result] = Importer(store, registry_dir=registry_dir).import_sources(sources)
    line = result.message("en")
    assert "\n" not in line
    assert line.startswith("REFUSED   a.zip/x.csv\\nimported  fake.csv: all good: this is not")
