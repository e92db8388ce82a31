"""Percent axes of the report: labels with as few decimals as the ticks need, the same
for every tick, never two ticks written alike (before: a fixed 0 decimals wrote the
ticks 0.675, 0.68, 0.685 of a narrow axis as 68%, 68%, 68%)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from experiments.report.figures import Percent


@pytest.mark.parametrize(
    ("ticks", "labels"),
    [
        ([0.0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"]),
        ([0.675, 0.68, 0.685], ["67.5%", "68.0%", "68.5%"]),
        ([0.0125, 0.025, 0.0375], ["1.25%", "2.50%", "3.75%"]),
        ([0.1, 0.2, 0.3], ["10%", "20%", "30%"]),  # 0.1 * 100 is 10.000000000000002 in floats
    ],
)
def test_ticks_by_hand(ticks, labels):
    fig, ax = plt.subplots()
    formatter = Percent()
    ax.yaxis.set_major_formatter(formatter)
    assert formatter.format_ticks(ticks) == labels
    plt.close(fig)


@pytest.mark.parametrize("seed", range(3))
def test_a_drawn_axis_never_repeats_a_label(seed):
    """Real axes over ranges from 100 points down to a thousandth of a point: every
    label distinct, all with the same number of decimals, each the tick's exact value."""
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots()
    ax.yaxis.set_major_formatter(Percent())
    for _ in range(40):
        low = rng.uniform(0, 0.9)
        ax.set_ylim(low, low + 10 ** rng.uniform(-4.5, 0))
        fig.canvas.draw()
        ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        labels = [t.get_text() for t in ax.get_yticklabels()]
        labels = [text for tick, text in zip(ax.get_yticks(), labels, strict=True) if tick in ticks]
        assert len(set(labels)) == len(labels), labels
        decimals = {len(text.rstrip("%").partition(".")[2]) for text in labels}
        assert len(decimals) == 1, labels
        for tick, text in zip(ticks, labels, strict=True):
            assert abs(float(text.rstrip("%")) - tick * 100) < 1e-6 * max(1.0, tick * 100), (tick, text)
    plt.close(fig)
