#!/usr/bin/env python3
"""The scikit-learn peer of `prefmodel-eval` (issue 5), run on the very same folds.

Reads the JSONL that `prefmodel-eval --export-folds FILE` writes (one pair per line:
{"fold", "chosen": {"input", "output"}, "rejected": {...}}) and, for each fold, trains
scikit-learn's L2 logistic regression (C=1, lbfgs) over hashed word 1-2-grams plus char_wb
3-5-grams (HashingVectorizer, 2^18 features each, l2-normalised) on chosen - rejected
differences (each difference also added negated, so both classes exist), then tests pairwise
accuracy on the held-out fold. Prints one JSON object: accuracy (mean over folds), per-fold
figures, vectorizeMs and trainMs (fit only), so the two can be compared side by side.

Usage: python3 scripts/sklearn-peer.py FOLDS.jsonl
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression


def main(path):
    rows = [json.loads(line) for line in open(path, encoding='utf-8') if line.strip()]
    folds = sorted({row['fold'] for row in rows})
    words = HashingVectorizer(analyzer='word', ngram_range=(1, 2), n_features=2**18, norm='l2')
    chars = HashingVectorizer(analyzer='char_wb', ngram_range=(3, 5), n_features=2**18, norm='l2')

    start = time.perf_counter()
    chosen = [row['chosen']['output'] for row in rows]
    rejected = [row['rejected']['output'] for row in rows]
    x_chosen = sp.hstack([words.transform(chosen), chars.transform(chosen)]).tocsr()
    x_rejected = sp.hstack([words.transform(rejected), chars.transform(rejected)]).tocsr()
    diff = (x_chosen - x_rejected).tocsr()
    vectorize_ms = (time.perf_counter() - start) * 1000

    fold_of = np.array([row['fold'] for row in rows])
    results = []
    train_ms = 0.0
    for fold in folds:
        train = np.where(fold_of != fold)[0]
        test = np.where(fold_of == fold)[0]
        x = sp.vstack([diff[train], -diff[train]]).tocsr()
        y = np.concatenate([np.ones(len(train)), np.zeros(len(train))])
        model = LogisticRegression(C=1.0, solver='lbfgs', max_iter=1000, fit_intercept=False)
        start = time.perf_counter()
        model.fit(x, y)
        ms = (time.perf_counter() - start) * 1000
        train_ms += ms
        margins = diff[test] @ model.coef_.ravel()
        accuracy = float(np.mean(np.where(margins > 0, 1.0, np.where(margins == 0, 0.5, 0.0))))
        results.append({'fold': int(fold), 'test': int(len(test)), 'accuracy': accuracy, 'trainMs': ms})
    print(json.dumps({
        'peer': 'scikit-learn LogisticRegression(C=1, lbfgs) on HashingVectorizer word 1-2 + char_wb 3-5, 2^18 each, l2',
        'pairs': len(rows),
        'accuracy': float(np.mean([r['accuracy'] for r in results])),
        'folds': results,
        'vectorizeMs': vectorize_ms,
        'trainMs': train_ms,
    }))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
