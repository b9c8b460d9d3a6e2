"""The CSV bundle: reading and checking its files and loading them into a store.

:mod:`~familynet.bundle.files` knows the files, their columns and how each cell must look;
:mod:`~familynet.bundle.reader` reads a file's rows in batches, :mod:`~familynet.bundle.parser`
turns a batch into records, :mod:`~familynet.bundle.columns` reads typed values a column at a
time; :mod:`~familynet.bundle.loader` checks rows across rows and against the store and writes
them; :mod:`~familynet.bundle.ingest` runs a load, all or nothing, and
:mod:`~familynet.bundle.report` says what it did.

May import :mod:`familynet.model`, :mod:`familynet.stores` (the protocol it writes through)
and :mod:`familynet.reports.spreadsheet` (the rejects file); never the analyses, the service
or the CLI.
"""
