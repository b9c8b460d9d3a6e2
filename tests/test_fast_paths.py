"""The ingest's fast paths give exactly what the general code gives, and refuse what it refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from familynet.bundle.files import BATCH_SIZE, FILES, parse_batch, read_batches
from familynet.model.dates import DateFormatError
from familynet.model.instants import LONDON, LocalTimeError, london_date, parse_instant


def _slow_instant(text: str) -> dt.datetime:
    """The instant by time zone arithmetic alone, as before the fast path."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        first, second = value.replace(tzinfo=LONDON, fold=0), value.replace(tzinfo=LONDON, fold=1)
        if first.utcoffset() != second.utcoffset():
            raise LocalTimeError("skipped or repeated")
        value = first
    local = value.astimezone(LONDON)
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=dt.timezone(offset))


def _clock_change_days() -> list[dt.date]:
    """The days (and their neighbours) on which London's offset at noon differs from the day before."""
    days = []
    day = dt.date(1850, 1, 2)
    while day.year <= 2100:
        noon = dt.datetime.combine(day, dt.time(12), LONDON).utcoffset()
        before = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), LONDON).utcoffset()
        if noon != before:
            days += [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]
        day += dt.timedelta(days=1)
    return days


def test_local_times_around_every_clock_change_match_time_zone_arithmetic() -> None:
    days = _clock_change_days()
    assert len(days) > 3 * 2 * 100  # spring and autumn in every year of summer time
    compared = 0
    for day in days:
        for minutes in range(0, 24 * 60, 30):
            text = f"{day.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}"
            try:
                expected = _slow_instant(text)
            except LocalTimeError:
                with pytest.raises(LocalTimeError):
                    parse_instant(text)
                continue
            got = parse_instant(text)
            assert (got, got.utcoffset(), london_date(got)) == (expected, expected.utcoffset(), expected.date()), text
            for offset in ("Z", "+01:00", "-05:00"):
                aware, slow = parse_instant(text + offset), _slow_instant(text + offset)
                assert (aware, aware.utcoffset(), london_date(aware)) == (slow, slow.utcoffset(), slow.date()), text
            compared += 1
    assert compared > 25_000


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC), dt.date(2025, 7, 1)),
        (dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC), dt.date(2025, 1, 31)),
        (dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), dt.date(2025, 1, 31)),
        (dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), dt.date(2025, 7, 1)),
        (dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), dt.date(2025, 6, 30)),
        (dt.datetime(2025, 3, 30, 0, 30, tzinfo=dt.UTC), dt.date(2025, 3, 30)),
        (dt.datetime(2025, 10, 25, 23, 30, tzinfo=dt.UTC), dt.date(2025, 10, 26)),
        (dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC), dt.date(2025, 10, 26)),
        (dt.datetime(2025, 10, 26, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1))), dt.date(2025, 10, 27)),
    ],
)
def test_the_london_date_of_an_instant_at_any_offset(moment: dt.datetime, day: dt.date) -> None:
    assert london_date(moment) == day


@pytest.mark.parametrize("text", ["2025-03-30T01:30", "2025-10-26T01:30", "1849-07-01T09:00", "2025-07-01", "x"])
def test_the_fast_path_still_refuses(text: str) -> None:
    with pytest.raises(DateFormatError):
        parse_instant(text)


def _persons_file(path: Path, given: dict[int, str], rows: int) -> Path:
    header = (
        "person_id,given_name,family_name,date_of_birth,expected_date_of_birth,sex,date_of_death,nhs_number,recorded_by"
    )
    lines = [header] + [f'P{i},"{given.get(i, "Ann")}",Lee,2016-01-01,,female,,,A1' for i in range(rows)]
    # A byte that is not UTF-8 is written as such (read back as a lone surrogate).
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape"))
    return path


def test_one_scan_of_a_batch_still_finds_each_forbidden_cell_at_its_physical_line(tmp_path: Path) -> None:
    persons = next(spec for spec in FILES if spec.name == "persons")
    # Row 0 spans two lines (its cell holds a line break), so every later row sits one line lower;
    # the others are deep in the first batch and in the second, one a lone surrogate.
    given = {0: "An\nn", 7_000: "A\x1bnn", BATCH_SIZE + 5: "Ann\udc80"}
    path = _persons_file(tmp_path / "persons.csv", given, BATCH_SIZE + 10)
    found = []
    for batch in read_batches(path, persons):
        _records, problems = parse_batch(persons, batch, dt.date(2025, 6, 30))
        found += [(p.line, p.column, p.reason) for row in problems.values() for p in row]
    assert found == [
        (2, "given_name", "a control character (U+000A)"),
        (7_000 + 3, "given_name", "a control character (U+001B)"),
        (BATCH_SIZE + 5 + 3, "given_name", "not valid UTF-8 (a lone surrogate or a byte that is not UTF-8)"),
    ]


def test_a_clean_batch_has_no_problems(tmp_path: Path) -> None:
    persons = next(spec for spec in FILES if spec.name == "persons")
    path = _persons_file(tmp_path / "persons.csv", {3: "A\tnn", 4: "Zoë 王"}, 50)
    (batch,) = read_batches(path, persons)
    records, problems = parse_batch(persons, batch, dt.date(2025, 6, 30))
    assert problems == {} and len(records) == 50
