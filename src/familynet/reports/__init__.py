"""Audit results as people read them: report shapes and their renderings.

:mod:`~familynet.reports.report` (the rendering-neutral :class:`~familynet.reports.report.Report`
and its table, CSV, JSON and HTML renderings), :mod:`~familynet.reports.audits` (audit
results as reports), :mod:`~familynet.reports.household` (a household context as a report),
:mod:`~familynet.reports.definitions` (the definitions they carry from ``docs/rules.md``),
:mod:`~familynet.reports.names` (names beside person ids, when asked for) and :mod:`~familynet.reports.spreadsheet` (CSV
safe to open in a spreadsheet). May import :mod:`familynet.model` and
:mod:`familynet.analyses`, never the stores, the service or the CLI.
"""
