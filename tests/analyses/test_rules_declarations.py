"""Each audit is declared once, and everything built from the declaration agrees with its function."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pytest

import familynet
from families import SC, batches, builder, parent
from familynet import analyses
from familynet.analyses.parameters import RANGES, ParameterError
from familynet.errors import StoreError
from familynet.model.cohort import CohortBatch
from familynet.settings import Settings
from familynet.stores.backends import configured_store

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.mark.parametrize("audit", analyses.AUDITS, ids=lambda a: a.name)
def test_a_declaration_states_its_functions_parameters_and_defaults(audit: analyses.Audit) -> None:
    declared = {p.name: p.default for p in audit.parameters}
    # Both stages take the one mapping the declaration checked, and no parameter of their own.
    for stage in (audit.collect, audit.finish):
        assert len(inspect.signature(stage).parameters) == 4, audit.name
    assert audit.chosen(START, END, {}) == declared
    with pytest.raises(ParameterError, match=f"not parameters of {audit.name}: colour"):
        audit(batches([], [], None), START, END, colour=1)
    for parameter in audit.parameters:
        assert parameter.help.endswith(".")
        if parameter.type == "int":
            assert parameter.name in RANGES
        if parameter.type == "list":
            assert parameter.check is not None
    assert audit.heading and audit.description and audit.help
    assert all(hasattr(audit.row, name) for name in ("HEADER", "cells", "person_ids"))


def test_a_parameter_shared_by_audits_means_the_same_in_each() -> None:
    seen: dict[str, analyses.Parameter] = {}
    for audit in analyses.AUDITS:
        for parameter in audit.parameters:
            assert seen.setdefault(parameter.name, parameter) == parameter, parameter.name


def _family() -> tuple[list[nx.MultiDiGraph], list[list[str]]]:
    b = builder()
    b.person("M", sex="female", date_of_birth="1990")
    for child, born in (("C1", "2015-01-01"), ("C2", "2017-06-01")):
        b.person(child, date_of_birth=born)
        parent(b, "M", child)
    b.household("H")
    for person, role in (("M", "parent"), ("C1", "child"), ("C2", "child")):
        b.membership(person, "H", role=role, recorded_by=SC)
    b.referral("R0", "C1", received_on="2023-11-01", concerns="3A", outcome="nfa", referrer_agency_id=SC)
    b.referral("R1", "C1", received_on="2024-03-01", concerns="3A", outcome="assessment", referrer_agency_id=SC)
    for n, day in enumerate(("2024-05-01", "2024-05-10", "2024-05-20")):
        b.referral(f"K{n}", "C2", kind="contact", received_on=day, concerns="4B")
    b.mention("R1", "X", role="carer")
    b.person("X", sex="male", date_of_birth="1980")
    b.assessment("A1", "C1", started_on="2024-03-05")
    return [b.graph], [["C1", "C2"]]


def test_all_audits_give_what_each_audit_gives_alone() -> None:
    graphs, subjects = _family()
    together = analyses.all_audits(batches(graphs, subjects, 1), START, END)
    assert list(together.results) == [audit.name for audit in analyses.ALL]
    for audit in analyses.ALL:
        alone = audit(batches(graphs, subjects, None), START, END)
        assert analyses.serialise(together.results[audit.name]) == analyses.serialise(alone), audit.name
    assert together.key_messages() == tuple(
        m for audit in analyses.ALL for m in audit.key_messages(together.results[audit.name])
    )


def test_all_audits_read_the_cohort_once() -> None:
    graphs, subjects = _family()
    read: list[CohortBatch] = []

    def reading(found: Iterable[CohortBatch]) -> Iterator[CohortBatch]:
        for batch in found:
            read.append(batch)
            yield batch

    analyses.all_audits(reading(batches(graphs, subjects, 1)), START, END)
    assert len(read) == 2


def test_all_audits_take_each_parameter_once_and_refuse_others() -> None:
    graphs, subjects = _family()
    chosen = analyses.all_audits(batches(graphs, subjects, None), START, END, adult_age=16, min_contacts=2)
    assert all(chosen.results[a.name].parameters.get("adult_age", 16) == 16 for a in analyses.ALL)
    assert chosen.results["repeat-referrals"].parameters["min_contacts"] == 2
    with pytest.raises(ParameterError, match="not parameters of any audit: colour"):
        analyses.all_audits(batches(graphs, subjects, None), START, END, colour=1)


def test_an_audit_is_what_it_collects_in_any_order_then_finishes() -> None:
    graphs, subjects = _family()
    for audit in analyses.AUDITS:
        chosen = audit.chosen(START, END, {})
        found = [item for batch in batches(graphs, subjects, 1) for item in audit.collect((batch,), START, END, chosen)]
        alone = analyses.serialise(audit(batches(graphs, subjects, None), START, END))
        assert analyses.serialise(audit.finish(found[::-1], START, END, chosen)) == alone, audit.name


def test_a_worker_that_fails_fails_the_whole_run_without_hanging(tmp_path: Path) -> None:
    missing = functools.partial(configured_store, Settings.resolve(tmp_path / "missing.db", {}), must_exist=True)
    for workers in (1, 2):
        with pytest.raises(StoreError, match="there is no database"):
            analyses.all_audits_in_workers(missing, START, END, workers=workers)
    # The period and parameters are checked before any process starts.
    with pytest.raises(ParameterError, match="colour"):
        analyses.all_audits_in_workers(missing, START, END, workers=2, colour=1)
    with pytest.raises(ParameterError, match="at least one worker"):
        analyses.all_audits_in_workers(missing, START, END, workers=0)


def _defaults(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[str, ast.expr]]:
    """Each (keyword, default) a function's signature declares."""
    positional = function.args.posonlyargs + function.args.args
    defaulted = positional[len(positional) - len(function.args.defaults) :]
    yield from zip((a.arg for a in defaulted), function.args.defaults, strict=True)
    kwonly = zip(function.args.kwonlyargs, function.args.kw_defaults, strict=True)
    yield from ((a.arg, d) for a, d in kwonly if d is not None)


def test_no_rule_function_declares_its_own_default_for_a_declared_parameter() -> None:
    # A declared parameter's default is written once, in its declaration: an audit's module takes its
    # parameters without defaults, and elsewhere a default is the one constant the declaration names
    # (the household context's flag_months too: allegations.FLAG_MONTHS).
    declared = {p.name for audit in analyses.AUDITS for p in audit.parameters} | {"flag_months"}
    audit_modules = {inspect.getmodule(audit.run) for audit in analyses.AUDITS}
    found = []
    for info in pkgutil.walk_packages(familynet.__path__, "familynet."):
        module = importlib.import_module(info.name)
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for name, default in _defaults(node):
                literal = not any(isinstance(n, ast.Name | ast.Attribute) for n in ast.walk(default))
                if name in declared and (module in audit_modules or literal):
                    found.append(f"{info.name}.{node.name}({name}={ast.unparse(default)})")
    assert found == []
