"""Every public class and function has a numpydoc docstring with a runnable example.

The examples themselves run as doctests (``--doctest-modules`` in pyproject.toml);
this test makes sure none is missing.
"""

import importlib
import inspect

import pytest

PUBLIC_MODULES = [
    "tsforecast",
    "tsforecast.forecasting",
    "tsforecast.neural",
    "tsforecast.windowing",
    "tsforecast.model_selection",
    "tsforecast.metrics",
    "tsforecast.datasets",
    "tsforecast.benchmark",
    "tsforecast.plotting",
]


def _public_objects():
    seen = {}
    for modname in PUBLIC_MODULES:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                seen.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return seen


PUBLIC = _public_objects()


def test_there_are_public_objects():
    assert len(PUBLIC) > 40


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_docstring_has_example(qualname):
    doc = inspect.getdoc(PUBLIC[qualname]) or ""
    assert "Examples\n--------" in doc and ">>> " in doc, f"{qualname} has no Examples section"


@pytest.mark.parametrize("qualname", sorted(n for n, o in PUBLIC.items() if inspect.isclass(o)))
def test_public_methods_are_documented(qualname):
    cls = PUBLIC[qualname]
    undocumented = [
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member) and not (inspect.getdoc(member) or "").strip()
    ]
    assert not undocumented, f"{qualname}: no docstring for {undocumented}"
