"""The README's Python code blocks run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks():
    text = README.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_a_quickstart():
    blocks = _python_blocks()
    assert blocks and "fit(" in blocks[0]


#: blocks that train for long are slow tests (CI runs them): the UCR classifier example (3 networks of 300
#: epochs, ~15 s), the default LSTMForecaster on airline (12 networks, ~20-30 s) and the review-sentiment
#: text classifier (two stacked LSTMs on 450 reviews, ~10 s)
SLOW_BLOCKS = ("load_ucr", "LSTMForecaster(horizon=12, random_state=0)", "load_chinese_reviews")


def _block_params():
    """One parameter per block; those naming one of :data:`SLOW_BLOCKS` are slow."""
    return [pytest.param(i, marks=pytest.mark.slow) if any(k in block for k in SLOW_BLOCKS) else i
            for i, block in enumerate(_python_blocks())]


def test_the_slow_blocks_exist():
    # a README edit that renames the examples must not silently drop them from the slow run
    blocks = _python_blocks()
    assert all(any(k in block for block in blocks) for k in SLOW_BLOCKS)


@pytest.mark.parametrize("i", _block_params())
def test_readme_block_runs(i, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    block = _python_blocks()[i]
    exec(compile(block, f"README block {i}", "exec"), {"__name__": "__readme__"})
