"""Plain LSTMClassifier() (every parameter at its default) on the bundled UCR sets, seeds 0-2.

Reports test accuracy next to published 1-NN DTW: the status of the defaults, for reporting only
(issue 13 asks that plain LSTMClassifier() reach 1-NN DTW on every set and seed).
Usage: .venv/bin/python benchmarks/bench_ucr_defaults.py
"""

import time
import numpy as np
from tsforecast import LSTMClassifier
from tsforecast.datasets import load_ucr
for name in ["GunPoint", "ItalyPowerDemand", "BasicMotions"]:
    Xtr, ytr = load_ucr(name, split="train")
    Xte, yte = load_ucr(name, split="test")
    accs, secs = [], []
    for seed in (0, 1, 2):
        t = time.process_time()
        clf = LSTMClassifier(random_state=seed).fit(Xtr, ytr)
        secs.append(time.process_time() - t)
        accs.append(float(np.mean(clf.predict(Xte) == yte)))
    print(name, Xtr.shape, "acc", [round(a, 3) for a in accs], "cpu s", [round(s) for s in secs], flush=True)
