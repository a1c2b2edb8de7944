"""Building ``reports/``: tables (CSV + provenance), figures (PNG + SVG), executed notebooks, report.html.

The entry point is :func:`textcompare.reproduce.build_report`; this package holds its parts.
"""
