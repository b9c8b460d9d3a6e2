"""Importers of the formats local authorities already hold: Ofsted's Annex A workbook, the DfE
Children in Need census XML and D2I's Standard Safeguarding Dataset.

Each importer maps its source into bundle rows (:mod:`familynet.imports.staging`), which load
through the bundle's own checks, all or nothing (:mod:`familynet.imports.loading`); every problem
is named in the source's terms (sheet or element, row or line, column), never with a value.
The mappings are data in ``graph/imports/`` (:mod:`familynet.imports.values`); docs/imports.md
documents them field by field.
"""
