"""The ``familynet`` command line. Each command's docstring is its ``--help``.

Commands live in one module per concern and are registered on ``main`` here.
"""

from __future__ import annotations

import click

from familynet.cli import (
    access,
    audit,
    data,
    export,
    genogram,
    identity,
    imports,
    migrate,
    person,
    schema,
    serve,
    transfer,
    users,
)
from familynet.cli.common import FamilynetGroup


@click.group(cls=FamilynetGroup)
@click.version_option(package_name="familynet")
def main() -> None:
    """familynet: family and household networks for children's safeguarding.

    Holds children, parents, siblings, significant adults, households, agencies,
    referrals and assessments as a graph with provenance, and answers the
    questions a MASH practitioner or auditor asks of it.
    """


main.add_command(data.ingest)
main.add_command(data.demo_data)
main.add_command(data.stats)
main.add_command(data.demo)
main.add_command(person.person)
main.add_command(users.users)
main.add_command(access.access_log)
main.add_command(audit.household)
main.add_command(audit.audit)
main.add_command(genogram.genogram_command)
main.add_command(schema.schema)
main.add_command(serve.serve)
main.add_command(migrate.migrate)
main.add_command(transfer.copy_command)
main.add_command(identity.identity)
main.add_command(imports.import_group)
main.add_command(export.export_command)
main.add_command(export.demo_formats)
