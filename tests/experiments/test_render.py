"""The comparison printed at the end of a job fits a 100-column terminal (a Chinese
character takes two) and speaks the report's language. Before: 139 columns, English
under lang=zh."""

import numpy as np
import pandas as pd
import pytest

from experiments.compare import TABLE, WIDTH, render
from experiments.report_text import text_width
from policies.outcomes import FAILURE_MODE_CODES, FAILURE_MODES
from policies.packages import available
from tests.conftest import make_cfg


def _table(packages):
    rng = np.random.default_rng(0)
    columns = [*TABLE, *FAILURE_MODE_CODES, "healthy"]
    table = pd.DataFrame(rng.uniform(size=(len(packages), len(columns))), index=packages, columns=columns)
    table["apprentices"] *= 10_000
    table["fiscal_cost"] *= 100
    return table


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_printed_comparison_fits_100_columns_in_its_language(lang):
    text = render(_table(available("policy")), make_cfg(f"lang={lang}"))
    assert max(text_width(line) for line in text.splitlines()) <= WIDTH
    for package in available("policy"):
        assert package in text
    joined = text.replace("\n", "")  # a wrapped line may break between two Chinese characters
    assert all(mode.name_zh in joined for mode in FAILURE_MODES)
    index_names = {line.strip() for line in text.splitlines() if len(line.split()) == 1}
    if lang == "zh":
        assert "政策包" in index_names and "package" not in index_names and "Failure modes" not in text
    else:
        assert "package" in index_names and "政策包" not in text
