"""Choose one data-driven default rule for LSTMClassifier by CV on the UCR train splits only.

Each candidate rule turns the training set's sequence length T into a patch size (``patch``
consecutive time steps become one step with ``patch * channels`` features) and fixes the network
and training settings and the number of network seeds combined by a soft vote. Rules:

    R1  patch = max(1, round(T / 30)), units (64,), epochs 300, batch_size 16, learning_rate 3e-3,
        validation_fraction 0, early_stopping on the training loss, patience 50, soft vote of 5 seeds
    R2  as R1 with patch = max(1, round(T / 20))
    R3  as R1 with 3 seeds
    R4  as R1 with 1 seed (network seeds 0, 1 and 2 reported separately; the rule's score is their mean)
    R5  as R1 with bidirectional=True (an extra idea, run only when asked for with --rules)

``round`` is Python's (half to even: 150 / 20 = 7.5 -> 8). When ``patch`` does not divide T, the
series is left-padded by repeating its first time step up to the next multiple of ``patch`` (no
observation is dropped).

Every rule is scored by stratified 4-fold CV (fixed fold seed 0, shuffled) on the TRAIN split of each
bundled UCR set (``tsforecast.datasets.load_ucr``): accuracy and wall seconds per fit, as means over the
folds. The rule with the best mean CV accuracy over the three sets wins; rules within 0.005 of the
best count as tied and the cheapest (total mean fit seconds over the sets) of them is chosen. Only then,
with ``--test``, the chosen rule is fitted on the whole train split for network seeds 0, 1 and 2
and scored once per seed on the test split, next to published 1-NN DTW. The test split never
influences the choice.

Members and ensembles: member ``k`` of network seed ``s`` is
``Pipeline([("patch", Patch(divisor)), ("lstm", LSTMClassifier(..., random_state=1000 * s + k))])``.
In CV (network seed 0) every distinct member is fitted once per fold and the rules that share it
reuse it: R3 is the soft vote of R1's members 0-2, R4 seed k is R1's member k. A soft vote is the
mean of the members' ``predict_proba`` followed by argmax, which is what scikit-learn's
``VotingClassifier(voting="soft")`` computes; the ``--test`` refit uses ``VotingClassifier`` itself.
A rule's fit seconds are the sum of its members' fit seconds.

Usage (from the project root; 2 shared cores, so run it with nice):

    nice -n 10 .venv/bin/python benchmarks/tune_classifier_defaults.py            # CV table + choice
    nice -n 10 .venv/bin/python benchmarks/tune_classifier_defaults.py --test     # ... + test of the choice
    nice -n 10 .venv/bin/python benchmarks/tune_classifier_defaults.py --quick --test   # smoke test, about 1 min
    ... --rules R1 R3 R4          # a subset (R2 costs about as much as R1 again)
    ... --cache /tmp/tcd.json     # keep fold results of members between runs (keyed by member settings)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # a benchmark script: quiet TensorFlow's C++ log

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import VotingClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from tsforecast import LSTMClassifier
from tsforecast.datasets import load_ucr

SETS = ["GunPoint", "ItalyPowerDemand", "BasicMotions"]
DTW = {"GunPoint": 0.907, "ItalyPowerDemand": 0.950, "BasicMotions": 0.975}  # published 1-NN DTW test accuracy
# plain LSTMClassifier() test accuracy, seeds 0/1/2 (benchmarks/RESULTS.md, bench_ucr_defaults.py)
PLAIN = {"GunPoint": "0.493/0.487/0.493", "ItalyPowerDemand": "0.956/0.941/0.938",
         "BasicMotions": "0.750/0.625/0.725"}

BASE = dict(units=(64,), epochs=300, batch_size=16, learning_rate=3e-3, validation_fraction=0.0,
            early_stopping=True, patience=50)
# rule -> (patch divisor, LSTMClassifier params, number of seeds in the soft vote)
RULES = {
    "R1": (30, BASE, 5),
    "R2": (20, BASE, 5),
    "R3": (30, BASE, 3),
    "R4": (30, BASE, 1),
    "R5": (30, {**BASE, "bidirectional": True}, 5),
}
DEFAULT_RULES = ["R1", "R2", "R3", "R4"]
N_SINGLE = 3  # R4: seeds 0, 1, 2 scored separately
TIE = 0.005


def patch_size(n_timesteps, divisor):
    """The rule's patch size for sequences of ``n_timesteps`` steps."""
    return max(1, round(n_timesteps / divisor))


class Patch(TransformerMixin, BaseEstimator):
    """(n, T, C) -> (n, ceil(T / p), p * C) with p = max(1, round(T / divisor)) learnt in ``fit``.

    Series whose length is not a multiple of p are left-padded by repeating their first step.
    """

    def __init__(self, divisor=30):
        self.divisor = divisor

    def fit(self, X, y=None):
        X = self._as_3d(X)
        self.n_timesteps_ = X.shape[1]
        self.patch_ = patch_size(self.n_timesteps_, self.divisor)
        return self

    def transform(self, X):
        X = self._as_3d(X)
        if X.shape[1] != self.n_timesteps_:
            raise ValueError(f"X has {X.shape[1]} time steps; Patch was fitted on {self.n_timesteps_}.")
        p = self.patch_
        if p == 1:
            return X
        pad = (-X.shape[1]) % p
        if pad:
            X = np.concatenate([np.repeat(X[:, :1], pad, axis=1), X], axis=1)
        n, t, c = X.shape
        return X.reshape(n, t // p, p * c)

    @staticmethod
    def _as_3d(X):
        X = np.asarray(X, dtype=float)
        if X.ndim == 2:
            X = X[:, :, None]
        if X.ndim != 3:
            raise ValueError(f"X must be (n_samples, n_timesteps[, n_channels]); got shape {X.shape}.")
        return X


def make_member(divisor, params, random_state):
    return Pipeline([("patch", Patch(divisor)),
                     ("lstm", LSTMClassifier(**params, random_state=random_state, verbose=0))])


def make_rule_model(rule, network_seed, rules=RULES):
    """The rule's model for one network seed: one member, or a soft vote of members."""
    divisor, params, n_seeds = rules[rule]
    if n_seeds == 1:
        return make_member(divisor, params, 1000 * network_seed)
    return Pipeline([
        ("patch", Patch(divisor)),
        ("vote", VotingClassifier(
            [(f"seed{k}", LSTMClassifier(**params, random_state=1000 * network_seed + k, verbose=0))
             for k in range(n_seeds)], voting="soft")),
    ])


def member_key(name, fold, patch, params, seed, n_folds):
    """Cache key of one member's fold result: rules giving the same patch size share it."""
    return json.dumps([name, n_folds, fold, patch, sorted((k, list(v) if isinstance(v, tuple) else v)
                                                            for k, v in params.items()), seed])


def run_member(X_tr, y_tr, X_va, divisor, params, seed):
    """Fit one member; return (predict_proba on X_va, wall fit seconds, epochs run, patch size)."""
    model = make_member(divisor, params, seed)
    t0 = time.perf_counter()
    model.fit(X_tr, y_tr)
    secs = time.perf_counter() - t0
    lstm = model.named_steps["lstm"]
    return model.predict_proba(X_va), secs, len(lstm.history_["loss"]), model.named_steps["patch"].patch_


def cross_validate(rules, args, params_override, cache):
    """Return {rule: {set: dict(acc=mean over folds, secs=mean fit s, per_seed=[...] for R4-like)}}."""
    out = {r: {} for r in rules}
    for name in SETS:
        X, y = load_ucr(name, "train")
        folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(X, y))
        if args.quick:
            folds = folds[:1]
        for rule in rules:
            divisor, params, n_seeds = rules[rule]
            params = {**params, **params_override}
            seeds = list(range(n_seeds if n_seeds > 1 else N_SINGLE))
            fold_acc = {s: [] for s in seeds}  # for single-network rules
            vote_acc, vote_secs, single_secs = [], [], []
            for f, (tr, va) in enumerate(folds):
                probas, secs = [], []
                for s in seeds:
                    key = member_key(name, f, patch_size(X.shape[1], divisor), params, s, args.folds)
                    if key not in cache:
                        p, sec, ep, patch = run_member(X[tr], y[tr], X[va], divisor, params, s)
                        cache[key] = dict(proba=p.tolist(), secs=sec, epochs=ep, patch=patch)
                        print(f"    {name} fold {f} patch {patch} {params_tag(params)} seed {s}: "
                              f"{ep} epochs, {sec:.1f}s, acc "
                              f"{np.mean(np.unique(y[tr])[p.argmax(1)] == y[va]):.3f}", flush=True)
                        if args.cache:
                            save_cache(args.cache, cache)
                    probas.append(np.asarray(cache[key]["proba"]))
                    secs.append(cache[key]["secs"])
                classes = np.unique(y[tr])
                if n_seeds == 1:
                    for s, p in zip(seeds, probas):
                        fold_acc[s].append(np.mean(classes[p.argmax(1)] == y[va]))
                    single_secs.extend(secs)
                else:
                    mean_p = np.mean(probas, axis=0)  # VotingClassifier(voting="soft")
                    vote_acc.append(np.mean(classes[mean_p.argmax(1)] == y[va]))
                    vote_secs.append(sum(secs))
            if n_seeds == 1:
                per_seed = [float(np.mean(fold_acc[s])) for s in seeds]
                out[rule][name] = dict(acc=float(np.mean(per_seed)), secs=float(np.mean(single_secs)),
                                       per_seed=per_seed)
            else:
                out[rule][name] = dict(acc=float(np.mean(vote_acc)), secs=float(np.mean(vote_secs)),
                                       folds=[float(a) for a in vote_acc])
            print(f"  {rule} {name}: CV acc {out[rule][name]['acc']:.3f}, fit {out[rule][name]['secs']:.1f}s",
                  flush=True)
    return out


def params_tag(params):
    return "bidirectional" if params.get("bidirectional") else "uni"


def choose(results):
    summary = {r: (np.mean([v["acc"] for v in res.values()]), sum(v["secs"] for v in res.values()))
               for r, res in results.items()}
    best = max(acc for acc, _ in summary.values())
    tied = [r for r, (acc, _) in summary.items() if acc >= best - TIE]
    return min(tied, key=lambda r: summary[r][1]), summary


def save_cache(path, cache):
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(cache, fh)
    os.replace(tmp, path)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rules", nargs="+", default=None, choices=list(RULES),
                   help=f"rules to compare (default {' '.join(DEFAULT_RULES)}; with --quick R1 R3 R4)")
    p.add_argument("--folds", type=int, default=4)
    p.add_argument("--test", action="store_true",
                   help="after choosing, fit the chosen rule on each full train split (network seeds 0, 1, 2) "
                        "and score it once on test")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 1 fold, 2 epochs, patience 1, rules R1 R3 R4 unless --rules says otherwise; "
                        "--test uses network seed 0 only")
    p.add_argument("--cache", default=None, help="JSON file keeping members' fold results between runs")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    override = dict(epochs=2, patience=1) if args.quick else {}
    names = args.rules or (["R1", "R3", "R4"] if args.quick else DEFAULT_RULES)
    rules = {r: RULES[r] for r in names}
    cache = {}
    if args.cache and os.path.exists(args.cache):
        with open(args.cache) as fh:
            cache = json.load(fh)
    t_start = time.perf_counter()
    results = cross_validate(rules, args, override, cache)
    chosen, summary = choose(results)

    print(f"\nCV on the train splits ({'1 fold of ' if args.quick else ''}{args.folds}-fold stratified, "
          f"fold seed 0): accuracy (mean over folds) / mean wall seconds per fit")
    print("| rule | patch (GP/IPD/BM) | seeds | " + " | ".join(SETS) + " | mean acc | total fit s |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in SETS) + " | --- | --- |")
    T = {"GunPoint": 150, "ItalyPowerDemand": 24, "BasicMotions": 100}
    for r, res in results.items():
        divisor, params, n_seeds = rules[r]
        cells = []
        for name in SETS:
            v = res[name]
            extra = f" ({'/'.join(f'{a:.3f}' for a in v['per_seed'])})" if "per_seed" in v else ""
            cells.append(f"{v['acc']:.3f}{extra} / {v['secs']:.0f}s")
        seeds = "1 (seeds 0/1/2)" if n_seeds == 1 else str(n_seeds)
        if params.get("bidirectional"):
            seeds += ", bidirectional"
        patches = "/".join(str(patch_size(T[n], divisor)) for n in SETS)
        acc, secs = summary[r]
        print(f"| {r} | {patches} | {seeds} | " + " | ".join(cells) + f" | {acc:.4f} | {secs:.0f} |")
    print(f"\nchosen: {chosen} (best mean CV accuracy; ties within {TIE} broken by total fit seconds)"
          f"  [CV wall {time.perf_counter() - t_start:.0f}s]", flush=True)

    if args.test:
        seeds = [0] if args.quick else [0, 1, 2]
        print(f"\nTest split, rule {chosen} fitted on the whole train split (network seeds {seeds}); "
              "scored once per seed:")
        print("| set | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | min | fit s per seed | "
              "1-NN DTW | plain LSTMClassifier() |")
        print("| --- | " + " | ".join("---" for _ in seeds) + " | --- | --- | --- | --- | --- |")
        for name in SETS:
            X_tr, y_tr = load_ucr(name, "train")
            X_te, y_te = load_ucr(name, "test")
            accs, secs = [], []
            for s in seeds:
                model = make_rule_model(chosen, s, rules=rules)
                if override:
                    key = "lstm__" if "lstm" in model.named_steps else None
                    if key:
                        model.set_params(**{key + k: v for k, v in override.items()})
                    else:
                        for _, est in model.named_steps["vote"].estimators:
                            est.set_params(**override)
                t0 = time.perf_counter()
                model.fit(X_tr, y_tr)
                secs.append(time.perf_counter() - t0)
                accs.append(float(np.mean(model.predict(X_te) == y_te)))
                print(f"    {name} seed {s}: test acc {accs[-1]:.3f}, fit {secs[-1]:.0f}s", flush=True)
            print(f"| {name} | " + " | ".join(f"{a:.3f}" for a in accs) + f" | {np.mean(accs):.3f} | "
                  f"{min(accs):.3f} | " + "/".join(f"{s:.0f}" for s in secs) + f" | {DTW[name]:.3f} | "
                  f"{PLAIN[name]} |", flush=True)
    print(f"\ncommand: {' '.join([os.path.basename(sys.executable), *sys.argv])}  "
          f"[total wall {time.perf_counter() - t_start:.0f}s]")
    return results, chosen


if __name__ == "__main__":
    main()
