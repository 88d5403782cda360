#!/usr/bin/env python3
"""Makes metrics.json: scikit-learn reference values for ROC AUC, McClish-standardised pAUC (max_fpr 0.1)
and classification reports. Run from this directory: python3 make_metric_fixtures.py"""
import json

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score

rng = np.random.default_rng(7)
roc = []
for n, ties in [(20, False), (50, True), (200, True), (200, False)]:
    y = rng.integers(0, 2, n)
    s = rng.normal(size=n) + 0.8 * y
    if ties:
        s = np.round(s, 1)
    s = s.astype("f4")
    roc.append({"scores": s.tolist(), "labels": y.tolist(),
                "auc": roc_auc_score(y, s), "pauc": roc_auc_score(y, s, max_fpr=0.1)})
cls = []
for classes in [2, 4]:
    t = rng.integers(0, classes, 60)
    p = np.where(rng.random(60) < 0.7, t, rng.integers(0, classes, 60))
    cls.append({"truth": t.tolist(), "predicted": p.tolist(), "classes": classes,
                "confusion": confusion_matrix(t, p, labels=range(classes)).tolist(),
                "precision": precision_score(t, p, average=None, labels=range(classes), zero_division=0).tolist(),
                "recall": recall_score(t, p, average=None, labels=range(classes), zero_division=0).tolist(),
                "macro_f1": f1_score(t, p, average="macro", labels=range(classes), zero_division=0)})
json.dump({"roc": roc, "classification": cls}, open("metrics.json", "w"))
