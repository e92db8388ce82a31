"""The workers run the chunks in order and the runner hands each result on as soon as the
chunks before it are stored: a sweep holds only the results of chunks finished out of
turn, whatever its length. (A version that submitted them last first held every result
until the first chunk, run last, came back: a 100,002-run sweep grew without bound.)"""

import experiments.runner as runner
from experiments.designs import build_design
from tests.conftest import make_cfg


def test_chunks_start_in_order_and_come_back_in_order(tmp_path, monkeypatch):
    log = tmp_path / "started"
    real = runner.run_chunk

    def logged(cfg, rows, items, chunk=-1):
        with open(log, "a") as handle:  # one short append per chunk: whole lines, in start order
            handle.write(f"{chunk}\n")
        return real(cfg, rows, items, chunk)

    monkeypatch.setattr(runner, "run_chunk", logged)  # inherited by the forked workers
    cfg = make_cfg("city=small", "years=3", "experiment.packages=[none]", "experiment.replicates=12")
    design = build_design(cfg.experiment, cfg.seed)
    chunks = runner.chunked(runner.work_items(design, 12), 1)
    todo = list(range(len(chunks)))
    came_back = [chunk for chunk, *_ in runner.execute(cfg, design, chunks, todo, workers=2)]
    assert came_back == todo
    started = [int(line) for line in log.read_text().split()]
    assert sorted(started) == todo and started[:2] in ([0, 1], [1, 0]), started
