"""Audit results as people read them: report shapes and their renderings.

:mod:`~familynet.reports.report` (the rendering-neutral :class:`~familynet.reports.report.Report`
and its table, CSV, JSON and HTML renderings), :mod:`~familynet.reports.audits` (audit
results and household contexts as reports) and :mod:`~familynet.reports.spreadsheet` (CSV
safe to open in a spreadsheet). May import :mod:`familynet.model` and
:mod:`familynet.analyses`, never the stores, the service or the CLI.
"""
