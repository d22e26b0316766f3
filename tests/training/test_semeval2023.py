"""Numpy trainers, folds and threshold tuning behind ``narrascope train techniques|genre|frames``."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.analyzers.heads_semeval2023 import LinearHead, load_model
from narrascope.training.linear import (
    best_threshold,
    crossfit_thresholds,
    fit_sigmoid,
    fit_softmax,
    group_folds,
    standardize,
)


def _toy(n: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5)).astype(np.float32)
    Y = np.stack([X[:, 0] > 0.5, X[:, 1] + X[:, 2] > 0], axis=1)
    return X, Y


def test_fit_sigmoid_learns_and_is_deterministic() -> None:
    X, Y = _toy()
    mu, sd = standardize(X)
    W, b = fit_sigmoid((X - mu) / sd, Y.astype(np.float32), l2=1e-3, epochs=300, lr=0.05)
    W2, b2 = fit_sigmoid((X - mu) / sd, Y.astype(np.float32), l2=1e-3, epochs=300, lr=0.05)
    assert np.array_equal(W, W2) and np.array_equal(b, b2)
    P = 1 / (1 + np.exp(-(((X - mu) / sd) @ W.T + b)))
    acc = ((P >= 0.5) == Y).mean(0)
    assert (acc > 0.9).all()
    assert abs(W[0, 0]) > abs(W[0, 3])  # label 0 depends on feature 0, not 3


def test_fit_softmax_learns() -> None:
    X, _ = _toy()
    y = np.where(X[:, 0] > 0.5, 2, np.where(X[:, 1] > 0, 1, 0))
    W, b = fit_softmax(X, y, 3, l2=1e-3, epochs=300, lr=0.05, class_weight=np.array([1.0, 1.0, 2.0]))
    assert ((X @ W.T + b).argmax(1) == y).mean() > 0.85


def test_group_folds_keep_groups_together_and_are_seeded() -> None:
    groups = [f"a{i // 3}" for i in range(30)]
    folds = group_folds(groups, 5, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(30))
    for idx in folds:
        gs = {groups[i] for i in idx}
        assert all(groups[j] not in gs for other in folds if other is not idx for j in other)
    assert [f.tolist() for f in folds] == [f.tolist() for f in group_folds(groups, 5, seed=1)]


def test_best_threshold_by_hand() -> None:
    p = np.array([0.9, 0.8, 0.3, 0.2, 0.7])
    y = np.array([1, 1, 0, 0, 0])
    thr, f1 = best_threshold(p, y)
    assert f1 == pytest.approx(1.0) and 0.7 < thr <= 0.8


def test_crossfit_thresholds_shape() -> None:
    X, Y = _toy(100)
    P = np.clip(np.stack([X[:, 0], X[:, 1] + X[:, 2]], 1) * 0.3 + 0.5, 0, 1)
    folds = group_folds([str(i) for i in range(100)], 4)
    out = crossfit_thresholds(P, Y, folds)
    assert out.shape == Y.shape and out.dtype == bool
    assert (out == Y).mean() > 0.8


def test_linear_head_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    head = LinearHead(
        ("a", "b"),
        rng.normal(size=(2, 4)).astype(np.float32),
        np.zeros(2, np.float32),
        np.zeros(4, np.float32),
        np.ones(4, np.float32),
        {"name": "t", "thresholds": [0.5, 0.5]},
    )
    head.save(tmp_path, "m")
    back = load_model(tmp_path, "m")
    X = rng.normal(size=(3, 4)).astype(np.float32)
    assert back.labels == ("a", "b") and np.allclose(back.sigmoid(X), head.sigmoid(X))
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:
        assert set(z.files) == {"W", "b", "mu", "sd"}
