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


def _block_params():
    """One parameter per block; the UCR classifier example (3 networks of 300 epochs, ~15 s) is slow."""
    return [pytest.param(i, marks=pytest.mark.slow) if "load_ucr" in block else i
            for i, block in enumerate(_python_blocks())]


@pytest.mark.parametrize("i", _block_params())
def test_readme_block_runs(i, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    block = _python_blocks()[i]
    exec(compile(block, f"README block {i}", "exec"), {"__name__": "__readme__"})
