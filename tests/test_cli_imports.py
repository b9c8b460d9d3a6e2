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


def test_demo_data_with_formats_writes_the_bundle_and_the_three_formats_in_one_step(tmp_path: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(
        main,
        ["demo-data", str(tmp_path / "one" / "bundle"), "--households", "20", "--seed", "3",
         "--formats", str(tmp_path / "one" / "formats"), "--la-code", "881", "--year", "2024"],
    )  # fmt: skip
    assert one.exit_code == 0, one.output
    assert "ssd_person" in one.output and "cin_census_2024.xml" in one.output
    # The same files as the two steps write.
    assert (
        runner.invoke(
            main, ["demo-data", str(tmp_path / "two" / "bundle"), "--households", "20", "--seed", "3"]
        ).exit_code
        == 0
    )
    two = runner.invoke(
        main,
        ["demo-formats", str(tmp_path / "two" / "bundle"), str(tmp_path / "two" / "formats"), "--la-code", "881",
         "--year", "2024"],
    )  # fmt: skip
    assert two.exit_code == 0, two.output
    written = sorted(p.relative_to(tmp_path / "one").as_posix() for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert written == sorted(
        p.relative_to(tmp_path / "two").as_posix() for p in (tmp_path / "two").rglob("*") if p.is_file()
    )
    assert {"formats/annex_a.xlsx", "formats/cin_census_2024.xml", "formats/ssd/ssd_person.csv"} <= set(written)
    for name in written:
        if not name.endswith(".xlsx"):  # a workbook records when it was written
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    census = tmp_path / "one" / "formats" / "cin_census_2024.xml"
    imported = runner.invoke(
        main, ["import", "cin-census", str(census), "--la-code", "881", "--recorded-by", "881-CSC",
               "--db", str(tmp_path / "f.db")],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
