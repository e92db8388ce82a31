"""The quick-look figures: drawn once a job (copied from an English report), the same
whether drawn in worker processes or here, and written whole or not at all."""

import shutil

import pytest

from experiments.compare import run_experiment
from experiments.figures import QUICK_LOOK, write_figures
from experiments.report import load
from experiments.report.data import yearly
from experiments.report.drawing import drawing
from tests.conftest import make_cfg

SMALL = ["city=small", "years=6", "experiment.replicates=3"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("run")
    run_experiment(make_cfg(*SMALL, "experiment.figures=false", "experiment.report=false"), path)
    return path


def _finished_copy(folder, tmp_path):
    """The finished results folder, as a job leaves it before its figures and report."""
    copy = tmp_path / "run"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("figures", "report", ".*partial"))
    return copy


def _draw(folder, out, workers):
    data = load(folder)
    series = yearly(folder, data["packages"], data["runs"])
    return write_figures(data["runs"], series, out, data["packages"], workers)


def test_figures_drawn_by_workers_are_those_drawn_here(folder, tmp_path):
    """Two forked workers (where there are two cores) write the same PNG bytes as this
    process alone; the figures land whole, no temporary folder is left."""
    here = _draw(folder, tmp_path / "here", workers=1)
    forked = _draw(folder, tmp_path / "forked", workers=2)
    assert [p.name for p in here] == [p.name for p in forked] == [f"{n}.png" for n in QUICK_LOOK]
    for mine, theirs in zip(here, forked, strict=True):
        assert mine.read_bytes() == theirs.read_bytes() and mine.with_suffix(".pdf").stat().st_size > 5_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forked", "here"]


def test_pdf_figures_keep_their_text_as_type_42_fonts(folder, tmp_path):
    """Text stays text in the PDFs (TrueType fonts embedded as Type 42, with a Unicode map),
    never Type 3 glyph drawings."""
    pdf = _draw(folder, tmp_path / "figures", workers=1)[1].with_suffix(".pdf").read_bytes()
    assert b"/CIDFontType2" in pdf and b"/FontFile2" in pdf and b"/ToUnicode" in pdf
    assert b"/Type3" not in pdf


def test_a_job_with_an_english_report_copies_its_quick_look_figures(folder, tmp_path):
    """figures/ holds the English report's own files (drawn once), PNG and PDF."""
    copy = _finished_copy(folder, tmp_path)
    run_experiment(make_cfg(*SMALL, "experiment.figures=true", "experiment.report=true"), copy)
    for name in QUICK_LOOK:
        for suffix in (".png", ".pdf"):
            drawn = (copy / "report" / "figures" / f"{name}{suffix}").read_bytes()
            assert (copy / "figures" / f"{name}{suffix}").read_bytes() == drawn
    assert not list(copy.glob(".*partial"))


def test_an_error_in_a_drawing_worker_is_raised_here():
    for workers in (1, 2):
        with drawing(workers) as pool, pytest.raises(ValueError):
            pool.submit(int, "not a number").result()


def test_a_job_with_a_chinese_report_draws_its_english_quick_look(folder, tmp_path):
    """lang=zh: no English report to copy from, so figures/ is drawn (in English), and the
    Chinese report draws its own figures."""
    from tests.experiments.test_report import _chinese_font_or_skip

    _chinese_font_or_skip()
    copy = _finished_copy(folder, tmp_path)
    run_experiment(make_cfg(*SMALL, "experiment.figures=true", "experiment.report=true", "lang=zh"), copy)
    for name in QUICK_LOOK:
        assert (copy / "figures" / f"{name}.png").stat().st_size > 10_000
        assert (copy / "report" / "zh" / "figures" / f"{name}.pdf").exists()
    assert not (copy / "report" / "report.html").exists()
