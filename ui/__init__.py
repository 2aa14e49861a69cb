"""Pieces the dashboard's pages share: state and URL, filters, KPI cards, charts, tables and
the files they download as (`tables`, `export`), imports.

Presentation only: numbers come from `metrics`, lists from `data.queries`; nothing here writes
SQL or computes a KPI.
"""
