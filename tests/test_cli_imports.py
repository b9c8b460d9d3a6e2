"""The import commands as a user runs them: counts per list, problems by place, rejects files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annex_a_files import write_workbook
from familynet.cli import main
from ssd_files import write_ssd


def test_import_ssd_prints_counts_per_table_and_facts(tmp_path: Path) -> None:
    directory = write_ssd(tmp_path / "ssd")
    args = [
        "import",
        "ssd",
        str(directory),
        "--la-code",
        "881",
        "--recorded-by",
        "881-CSC",
        "--db",
        str(tmp_path / "f.db"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "ssd_involvements.csv" in result.output and "not mapped" in result.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0
    assert "persons            0         0        4" in again.output


def test_import_annex_a_refuses_with_places_and_skip_invalid_writes_rejects(tmp_path: Path) -> None:
    rows = {
        "List 1": [
            {"Child Unique ID": "C1", "Date of Contact": "31/02/2024"},
            {"Child Unique ID": "C2", "Date of Contact": "01/02/2024"},
        ]
    }
    workbook = write_workbook(tmp_path / "a.xlsx", rows)
    base = [
        "import",
        "annex-a",
        str(workbook),
        "--la-code",
        "881",
        "--recorded-by",
        "881-CSC",
        "--db",
        str(tmp_path / "f.db"),
    ]
    refused = CliRunner().invoke(main, base)
    assert refused.exit_code != 0
    assert "error: List 1:2: Date of Contact: not a date" in refused.output
    rejects = tmp_path / "rejects.csv"
    loaded = CliRunner().invoke(main, [*base, "--skip-invalid", "--rejects", str(rejects)])
    assert loaded.exit_code == 0, loaded.output
    assert rejects.read_text().splitlines()[1].startswith("List 1,2,Date of Contact,")
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"
    wrong = CliRunner().invoke(main, [*base, "--la-code", "88"])
    assert wrong.exit_code != 0 and "3-digit" in wrong.output


def test_demo_formats_write_what_the_importers_read(tmp_path: Path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(main, ["demo-data", str(tmp_path / "bundle"), "--households", "20", "--seed", "3"]).exit_code == 0
    )
    result = runner.invoke(
        main, ["demo-formats", str(tmp_path / "bundle"), str(tmp_path / "formats"), "--la-code", "881"]
    )
    assert result.exit_code == 0, result.output
    common = ["--la-code", "881", "--recorded-by", "881-CSC", "--db", str(tmp_path / "f.db")]
    formats = tmp_path / "formats"
    census = next(formats.glob("cin_census_*.xml"))
    for args in (
        ["ssd", str(formats / "ssd")],
        ["cin-census", str(census)],
        ["annex-a", str(formats / "annex_a.xlsx"), "--cin", str(census)],
    ):
        imported = runner.invoke(main, ["import", *args, *common])
        assert imported.exit_code == 0, imported.output
