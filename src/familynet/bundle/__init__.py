"""The CSV bundle: reading and checking its files and loading them into a store.

:mod:`~familynet.bundle.files` knows the files, their headers and how each cell must look;
:mod:`~familynet.bundle.columns` reads typed values a column at a time;
:mod:`~familynet.bundle.ingest` checks rows across files and loads them, all or nothing.

May import :mod:`familynet.model`, :mod:`familynet.stores` (the protocol it writes through)
and :mod:`familynet.reports.spreadsheet` (the rejects file); never the analyses, the service
or the CLI.
"""
