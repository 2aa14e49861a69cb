"""Pieces the dashboard's pages share: state and URL, filters, KPI cards, charts, imports.

Presentation only: numbers come from `metrics`, lists from `data.queries`; nothing here writes
SQL or computes a KPI.
"""
