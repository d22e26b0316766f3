"""Small, deterministic numpy trainers for the framing heads (no pickle, no sklearn needed).

- :func:`fit_sigmoid`: multi-label logistic regression (one output per label, trained jointly
  with full-batch Adam, L2 penalty, optional positive-class weights).
- :func:`fit_softmax`: multinomial logistic regression with class weights.
- :func:`group_folds`: K folds over groups (articles), seeded.
- threshold tuning for F1 and cross-fitted decisions for honest out-of-fold figures.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "best_threshold",
    "crossfit_thresholds",
    "f1_counts",
    "fit_sigmoid",
    "fit_softmax",
    "group_folds",
    "standardize",
]


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = X.mean(0)
    sd = X.std(0)
    return mu.astype(np.float32), np.where(sd < 1e-4, 1.0, sd).astype(np.float32)


def _adam(grad_fn, shapes: list[tuple[int, ...]], epochs: int, lr: float) -> list[np.ndarray]:  # type: ignore[no-untyped-def]
    params = [np.zeros(s, dtype=np.float64) for s in shapes]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, epochs + 1):
        grads = grad_fn(params)
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            params[i] -= lr * (m[i] / (1 - b1**t)) / (np.sqrt(v[i] / (1 - b2**t)) + eps)
    return params


def fit_sigmoid(
    X: np.ndarray,
    Y: np.ndarray,
    l2: float = 1e-2,
    epochs: int = 250,
    lr: float = 0.02,
    pos_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``W (k, d)`` and bias ``b (k,)`` of k independent logistic outputs on standardised X."""
    n, d = X.shape
    k = Y.shape[1]
    Xd = X.astype(np.float64)
    Yd = Y.astype(np.float64)
    pw = np.ones(k) if pos_weight is None else np.asarray(pos_weight, dtype=np.float64)
    prior = np.clip(Yd.mean(0), 1e-4, 1 - 1e-4)

    def grad(params: list[np.ndarray]) -> list[np.ndarray]:
        W, b = params
        z = Xd @ W.T + b + np.log(prior / (1 - prior))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        wgt = np.where(Yd > 0, pw, 1.0)
        r = (p - Yd) * wgt / n
        return [r.T @ Xd + l2 * W, r.sum(0)]

    W, b = _adam(grad, [(k, d), (k,)], epochs, lr)
    b = b + np.log(prior / (1 - prior))
    return W.astype(np.float32), b.astype(np.float32)


def fit_softmax(
    X: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    l2: float = 1e-2,
    epochs: int = 300,
    lr: float = 0.02,
    class_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    d = X.shape[1]
    Xd = X.astype(np.float64)
    onehot = np.eye(n_classes)[y]
    cw = np.ones(n_classes) if class_weight is None else np.asarray(class_weight, dtype=np.float64)
    sw = cw[y] / cw[y].sum()

    def grad(params: list[np.ndarray]) -> list[np.ndarray]:
        W, b = params
        z = Xd @ W.T + b
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        r = (p - onehot) * sw[:, None]
        return [r.T @ Xd + l2 * W, r.sum(0)]

    W, b = _adam(grad, [(n_classes, d), (n_classes,)], epochs, lr)
    return W.astype(np.float32), b.astype(np.float32)


def group_folds(groups: list[str], k: int, seed: int = 13) -> list[np.ndarray]:
    """Row indices of each of ``k`` folds; all rows of a group land in the same fold."""
    uniq = sorted(set(groups))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(uniq))
    fold_of = {uniq[g]: i % k for i, g in enumerate(order)}
    arr = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(arr == f) for f in range(k)]


def f1_counts(tp: float, fp: float, fn: float) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def best_threshold(p: np.ndarray, y: np.ndarray, lo: float = 0.05, hi: float = 0.95) -> tuple[float, float]:
    """The threshold in [lo, hi] (grid 0.01) maximising F1 of ``p >= thr`` against ``y``."""
    best = (hi, 0.0)
    pos = y > 0
    for thr in np.round(np.arange(lo, hi + 1e-9, 0.01), 2):
        pred = p >= thr
        tp = float((pred & pos).sum())
        f = f1_counts(tp, float((pred & ~pos).sum()), float((~pred & pos).sum()))
        if f > best[1] + 1e-12:
            best = (float(thr), f)
    return best


def crossfit_thresholds(P: np.ndarray, Y: np.ndarray, folds: list[np.ndarray]) -> np.ndarray:
    """Binary decisions for out-of-fold scores where each fold's thresholds are tuned on the others."""
    out = np.zeros_like(Y, dtype=bool)
    for idx in folds:
        rest = np.setdiff1d(np.arange(len(Y)), idx)
        for t in range(Y.shape[1]):
            thr, f = best_threshold(P[rest, t], Y[rest, t])
            if f > 0:
                out[idx, t] = P[idx, t] >= thr
    return out
