"""The ``schema`` command: export the GraphQL SDL that clients code against."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from familynet.cli.common import writable_file

#: Where the repository keeps the exported SDL.
SDL_PATH = Path("schema/familynet.graphql")


@click.command("schema")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=writable_file,
    default=None,
    help=f"Write the SDL to this file (e.g. {SDL_PATH}) instead of standard output.",
)
@click.option("--check", is_flag=True, help="Exit 1 if --output differs from the current schema; write nothing.")
def schema(output: Path | None, check: bool) -> None:
    """Print the GraphQL schema of the familynet service as SDL."""
    from familynet.service.schema import sdl

    text = sdl()
    if output is None:
        if check:
            raise click.UsageError("--check needs --output")
        click.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            click.echo(f"{output} is out of date: run familynet schema --output {output}", err=True)
            sys.exit(1)
        return
    output.write_text(text, encoding="utf-8")
