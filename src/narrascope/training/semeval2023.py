"""``narrascope train techniques|ptc-spans|genre|frames``: heads on frozen MiniLM vectors.

Every task reads the official layout from ``--data``, encodes the articles through the same
:func:`encode_docs` path as production (vectors cached on disk under ``.cache/emb``), fits a
small linear model with :mod:`narrascope.training.linear`, optionally reports K-fold
out-of-fold figures (``--cv K``; folds by article, thresholds cross-fitted so no fold is scored
with thresholds tuned on itself), then fits on all rows and writes ``.npz`` + JSON into
``--out`` (default: the package's ``models/<head>/``). Seeded and deterministic.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc
from narrascope.analyzers.heads_semeval2023 import (
    MODELS_DIR,
    LinearHead,
    doc_features,
    load_cues,
    para_features,
    sent_features,
)
from narrascope.eval import semeval2023_data as D
from narrascope.registry import register_task
from narrascope.training.embcache import encode_cached
from narrascope.training.linear import (
    best_threshold,
    crossfit_thresholds,
    fit_sigmoid,
    fit_softmax,
    group_folds,
    standardize,
)

SEED = 13
EMBEDDER = "minilm-int8"
#: Regularisation and epochs, chosen by 5-fold CV on EN train (see docs/decisions).
HP = {
    "paragraph": {"l2": 0.3, "epochs": 250, "lr": 0.02},
    "sentence": {"l2": 0.3, "epochs": 250, "lr": 0.02},
    "genre": {"l2": 0.3, "epochs": 300, "lr": 0.02},
    "frames": {"l2": 3.0, "epochs": 300, "lr": 0.02},
}


# --------------------------------------------------------------------------- datasets


def _encode(arts: dict[str, D.LineDoc]) -> list[EncodedDoc]:
    return encode_cached([a.doc for a in arts.values()], EMBEDDER, progress=True)


#: Actor directions removed from every vector the technique models see (see neutral_directions).
NEUTRAL_K = 8


def neutral_directions(
    data: Path, lang: str, k: int = NEUTRAL_K, limit: int | None = None
) -> tuple[np.ndarray, dict[str, Any]]:
    """Top-k directions along which MiniLM vectors move when the war's actors are swapped.

    Every train article naming an actor is re-encoded with Russia<->Ukraine, Putin<->Zelensky,
    Moscow<->Kyiv, ... swapped; the differences of its sentence, paragraph and document vectors
    are stacked and their top-k right singular vectors returned. Uses no labels.
    """
    from narrascope.eval.neutrality_techniques import mentions_actor, swap_actors

    arts = [a for a in D.st_articles(data, lang, "train", 3, limit).values() if mentions_actor(a.doc.text)]
    swapped = [D.line_doc(a.id, swap_actors(a.doc.text)) for a in arts]
    encs = encode_cached([a.doc for a in arts] + [s.doc for s in swapped], EMBEDDER, progress=True)
    n = len(arts)
    diffs = []
    for e0, e1 in zip(encs[:n], encs[n:], strict=True):
        if e0.sent_emb.shape == e1.sent_emb.shape:
            diffs.append(e1.sent_emb - e0.sent_emb)
        if e0.para_emb.shape == e1.para_emb.shape:
            diffs.append(e1.para_emb - e0.para_emb)
        diffs.append((e1.doc_emb - e0.doc_emb)[None, :])
    Dm = np.vstack(diffs).astype(np.float64)
    Dm = Dm[np.linalg.norm(Dm, axis=1) > 1e-6]
    _, S, Vt = np.linalg.svd(Dm, full_matrices=False)
    share = float((S[:k] ** 2).sum() / (S**2).sum())
    info = {"k": k, "articles": n, "difference_vectors": len(Dm), "variance_share": round(share, 4)}
    return Vt[:k].astype(np.float32), info


def save_neutral(out: Path, U: np.ndarray, info: dict[str, Any]) -> None:
    import json

    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "neutral.npz", U=U)
    cfg = dict(
        info,
        name="techniques-neutral",
        version="1",
        what="orthonormal actor directions projected out of sentence/paragraph/document vectors",
    )
    (out / "neutral.json").write_text(json.dumps(cfg, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def paragraph_rows(
    data: Path, lang: str, split: str, limit: int | None = None, U: np.ndarray | None = None
) -> dict[str, Any]:
    """Paragraph features and 23-label targets of a ST3 split (rows in template order per article)."""
    labels = D.read_label_list(data, "techniques_subtask3.txt")
    arts = D.st_articles(data, lang, split, 3, limit)
    gold = D.read_st3_paragraphs(data, lang, split)
    cues = load_cues()
    X, Y, groups, keys = [], [], [], []
    for art, enc in zip(arts.values(), _encode(arts), strict=True):
        F = para_features(enc, cues, U)
        for i, no in enumerate(art.line_nos):
            key = (art.id, no)
            if key not in gold:
                continue
            X.append(F[i])
            Y.append([lab in gold[key] for lab in labels])
            groups.append(art.id)
            keys.append(key)
    return {"X": np.array(X), "Y": np.array(Y, dtype=bool), "groups": groups, "keys": keys, "labels": labels}


def sentence_rows(
    data: Path, lang: str, split: str, limit: int | None = None, U: np.ndarray | None = None
) -> dict[str, Any]:
    """Sentence features; a sentence carries a technique when one of its gold spans overlaps it."""
    labels = D.read_label_list(data, "techniques_subtask3.txt")
    arts = D.st_articles(data, lang, split, 3, limit)
    spans = D.read_st3_spans(data, lang, split)
    cues = load_cues()
    X, Y, groups = [], [], []
    for art, enc in zip(arts.values(), _encode(arts), strict=True):
        F = sent_features(enc, cues, U)
        pos = art.orig_positions()
        for j, (s, e) in enumerate(enc.sentences):
            o = pos[s:e]
            o = o[o >= 0]
            row = [False] * len(labels)
            if len(o):
                for tech, gs, ge in spans.get(art.id, []):
                    if tech in labels and ((o >= gs) & (o < ge)).any():
                        row[labels.index(tech)] = True
            X.append(F[j])
            Y.append(row)
            groups.append(art.id)
    return {"X": np.array(X), "Y": np.array(Y, dtype=bool), "groups": groups, "labels": labels}


def doc_rows(data: Path, lang: str, split: str, subtask: int, limit: int | None = None) -> dict[str, Any]:
    arts = D.st_articles(data, lang, split, subtask, limit)
    cues = load_cues()
    encs = _encode(arts)
    X = np.vstack([doc_features(e, cues) for e in encs]) if encs else np.zeros((0, 1))
    return {"X": X, "ids": list(arts), "encs": encs}


# --------------------------------------------------------------------------- fitting helpers


def _fit_multilabel(X: np.ndarray, Y: np.ndarray, hp: dict[str, float]) -> tuple[np.ndarray, ...]:
    mu, sd = standardize(X)
    Z = (X - mu) / sd
    npos = Y.sum(0)
    # Rare labels get their positives up-weighted (capped) so they are not drowned by negatives.
    pw = np.clip(np.sqrt((len(Y) - npos) / np.maximum(npos, 1)), 1.0, 6.0)
    W, b = fit_sigmoid(
        Z, Y.astype(np.float32), l2=hp["l2"], epochs=int(hp["epochs"]), lr=hp["lr"], pos_weight=pw
    )
    W[npos == 0] = 0.0
    b[npos == 0] = -12.0
    return W, b, mu, sd


def _predict(W: np.ndarray, b: np.ndarray, mu: np.ndarray, sd: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = ((X - mu) / sd) @ W.T + b
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def oof_multilabel(
    X: np.ndarray, Y: np.ndarray, groups: list[str], k: int, hp: dict[str, float]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Out-of-fold probabilities (each row scored by a model that never saw its article)."""
    folds = group_folds(groups, k, SEED)
    P = np.zeros(Y.shape, dtype=np.float32)
    for idx in folds:
        rest = np.setdiff1d(np.arange(len(Y)), idx)
        P[idx] = _predict(*_fit_multilabel(X[rest], Y[rest], hp), X[idx])
    return P, folds


def _micro_macro(pred: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    from narrascope.eval.semeval2023 import f1_multilabel

    micro, macro = f1_multilabel(Y, pred)
    return {"f1_micro": round(micro, 4), "f1_macro": round(macro, 4)}


def _thresholds(P: np.ndarray, Y: np.ndarray) -> tuple[list[float], list[float]]:
    thr, f1s = [], []
    for t in range(Y.shape[1]):
        if Y[:, t].sum() == 0:
            thr.append(1.01)
            f1s.append(0.0)
            continue
        th, f = best_threshold(P[:, t], Y[:, t])
        thr.append(th if f > 0 else 1.01)
        f1s.append(round(f, 4))
    return thr, f1s


def _out_dir(args: argparse.Namespace, head: str) -> Path:
    out = getattr(args, "out", None)
    return Path(out) if out else MODELS_DIR / head


def _base_config(name: str, features: str, hp: dict[str, float], n: int) -> dict[str, Any]:
    return {
        "name": name,
        "version": "1",
        "features": features,
        "embedder": "all-MiniLM-L6-v2-int8-onnx",
        "cue_lexicon_version": load_cues().version,
        "seed": SEED,
        "hyperparameters": hp,
        "n_train": n,
    }


# --------------------------------------------------------------------------- tasks


def train_techniques(args: argparse.Namespace) -> dict[str, Any]:
    data, t0 = Path(args.data), time.time()
    U, info = neutral_directions(data, args.lang, NEUTRAL_K, args.limit)
    print(f"actor directions: {info}")
    save_neutral(_out_dir(args, "techniques"), U, info)
    ds = paragraph_rows(data, args.lang, "train", args.limit, U)
    X, Y, labels = ds["X"], ds["Y"], ds["labels"]
    hp = HP["paragraph"]
    k = int(args.cv or 5)
    P, folds = oof_multilabel(X, Y, ds["groups"], k, hp)
    thr, f1s = _thresholds(P, Y)
    result: dict[str, Any] = {"task": "techniques", "n": len(Y), "labels": labels, "neutral": info}
    if args.cv:
        cv = _micro_macro(crossfit_thresholds(P, Y, folds), Y)
        result["cv"] = {"k": k, **cv, "per_label_f1_oof": dict(zip(labels, f1s, strict=True))}
        print(
            f"techniques paragraphs: {k}-fold out-of-fold micro-F1 {cv['f1_micro']:.4f} macro-F1 {cv['f1_macro']:.4f}"
        )
    W, b, mu, sd = _fit_multilabel(X, Y, hp)
    cfg = _base_config("techniques-paragraph", "para-v1", hp, len(Y))
    cfg.update(thresholds=thr, threshold_source=f"{k}-fold out-of-fold F1 per label", oof_f1=f1s)
    if args.cv:
        cfg["cv"] = result["cv"]
    LinearHead(tuple(labels), W, b, mu, sd, cfg).save(_out_dir(args, "techniques"), "paragraph")
    result["seconds"] = round(time.time() - t0, 1)
    return result


def train_ptc_spans(args: argparse.Namespace) -> dict[str, Any]:
    """Sentence model (where inside a paragraph a technique sits), then SI decoding tuned on PTC."""
    from narrascope.training.semeval2023_spans import fit_sentence_model

    return fit_sentence_model(args)


def _genre_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    cnt = np.bincount(y, minlength=n_classes).astype(np.float64)
    return (cnt.sum() / np.maximum(cnt, 1) / n_classes) ** 0.75


def _fit_genre(X: np.ndarray, y: np.ndarray, n_classes: int) -> tuple[np.ndarray, ...]:
    mu, sd = standardize(X)
    hp = HP["genre"]
    W, b = fit_softmax(
        (X - mu) / sd,
        y,
        n_classes,
        l2=hp["l2"],
        epochs=int(hp["epochs"]),
        lr=hp["lr"],
        class_weight=_genre_weights(y, n_classes),
    )
    return W, b, mu, sd


def _softmax_probs(W: np.ndarray, b: np.ndarray, mu: np.ndarray, sd: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = ((X - mu) / sd) @ W.T + b
    z -= z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def _tune_offsets(P: np.ndarray, y: np.ndarray, n_classes: int) -> np.ndarray:
    """Per-class log-offsets (first class fixed at 0) maximising macro-F1 on ``P``."""
    from narrascope.eval.semeval2023 import f1_single

    grid = np.round(np.arange(-2.0, 3.01, 0.25), 2)
    logp = np.log(np.clip(P, 1e-9, 1))
    best, best_off = -1.0, np.zeros(n_classes)
    for o1 in grid:
        for o2 in grid if n_classes > 2 else [0.0]:
            off = np.array([0.0, o1, o2][:n_classes])
            f = f1_single(list(y), list(np.argmax(logp + off, 1)), list(range(n_classes)))[0]
            if f > best + 1e-9:
                best, best_off = f, off
    return best_off


def train_genre(args: argparse.Namespace) -> dict[str, Any]:
    from narrascope.eval.semeval2023 import GENRES, f1_single

    data, t0 = Path(args.data), time.time()
    ds = doc_rows(data, args.lang, "train", 1, args.limit)
    gold = D.read_st1(data, args.lang, "train")
    keep = [i for i, a in enumerate(ds["ids"]) if a in gold]
    X = ds["X"][keep]
    y = np.array([GENRES.index(gold[ds["ids"][i]]) for i in keep])
    groups = [ds["ids"][i] for i in keep]
    k = int(args.cv or 5)
    folds = group_folds(groups, k, SEED)
    P = np.zeros((len(y), len(GENRES)))
    for idx in folds:
        rest = np.setdiff1d(np.arange(len(y)), idx)
        P[idx] = _softmax_probs(*_fit_genre(X[rest], y[rest], len(GENRES)), X[idx])
    result: dict[str, Any] = {"task": "genre", "n": len(y), "labels": GENRES}
    if args.cv:
        pred = np.zeros(len(y), dtype=int)
        for idx in folds:
            rest = np.setdiff1d(np.arange(len(y)), idx)
            off = _tune_offsets(P[rest], y[rest], len(GENRES))
            pred[idx] = np.argmax(np.log(np.clip(P[idx], 1e-9, 1)) + off, 1)
        macro, micro = f1_single(list(y), list(pred), list(range(len(GENRES))))
        plain = f1_single(list(y), list(np.argmax(P, 1)), list(range(len(GENRES))))[0]
        result["cv"] = {
            "k": k,
            "f1_macro": round(macro, 4),
            "f1_micro": round(micro, 4),
            "f1_macro_no_offsets": round(plain, 4),
        }
        print(
            f"genre: {k}-fold out-of-fold macro-F1 {macro:.4f} (accuracy {micro:.4f}; without offsets {plain:.4f})"
        )
    offsets = _tune_offsets(P, y, len(GENRES))
    W, b, mu, sd = _fit_genre(X, y, len(GENRES))
    cfg = _base_config("genre", "doc-v1", HP["genre"], len(y))
    cfg.update(offsets=[float(o) for o in offsets], offset_source=f"{k}-fold out-of-fold macro-F1")
    if args.cv:
        cfg["cv"] = result["cv"]
    LinearHead(tuple(GENRES), W, b, mu, sd, cfg).save(_out_dir(args, "genre"), "genre")
    result["seconds"] = round(time.time() - t0, 1)
    return result


def train_frames(args: argparse.Namespace) -> dict[str, Any]:
    data, t0 = Path(args.data), time.time()
    labels = D.read_label_list(data, "frames_subtask2.txt")
    ds = doc_rows(data, args.lang, "train", 2, args.limit)
    gold = D.read_st2(data, args.lang, "train")
    keep = [i for i, a in enumerate(ds["ids"]) if a in gold]
    X = ds["X"][keep]
    Y = np.array([[f in gold[ds["ids"][i]] for f in labels] for i in keep], dtype=bool)
    groups = [ds["ids"][i] for i in keep]
    hp = HP["frames"]
    k = int(args.cv or 5)
    P, folds = oof_multilabel(X, Y, groups, k, hp)
    thr, f1s = _thresholds(P, Y)
    result: dict[str, Any] = {"task": "frames", "n": len(Y), "labels": labels}
    if args.cv:
        cv = _micro_macro(crossfit_thresholds(P, Y, folds), Y)
        result["cv"] = {"k": k, **cv, "per_label_f1_oof": dict(zip(labels, f1s, strict=True))}
        print(f"frames: {k}-fold out-of-fold micro-F1 {cv['f1_micro']:.4f} macro-F1 {cv['f1_macro']:.4f}")
    W, b, mu, sd = _fit_multilabel(X, Y, hp)
    cfg = _base_config("frames", "doc-v1", hp, len(Y))
    cfg.update(thresholds=thr, threshold_source=f"{k}-fold out-of-fold F1 per label", oof_f1=f1s)
    if args.cv:
        cfg["cv"] = result["cv"]
    LinearHead(tuple(labels), W, b, mu, sd, cfg).save(_out_dir(args, "frames"), "frames")
    result["seconds"] = round(time.time() - t0, 1)
    return result


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default="en", help="language folder of the SemEval-2023 data (default en)")
    p.add_argument("--cv", type=int, default=0, help="also report K-fold out-of-fold figures (e.g. 5)")


def _args_ptc(p: argparse.ArgumentParser) -> None:
    _args(p)
    p.add_argument(
        "--semeval2023",
        default=None,
        help="SemEval-2023 Task 3 root (span gold in the 23-technique taxonomy); default: "
        "semeval2023_task3 next to --data",
    )


register_task("train", "techniques", "paragraph-level persuasion techniques (SemEval-2023 ST3)", _args)(
    train_techniques
)
register_task(
    "train", "ptc-spans", "sentence-level technique spans (2023 spans; SI tuned on PTC)", _args_ptc
)(train_ptc_spans)
register_task("train", "genre", "genre: reporting / opinion / satire (SemEval-2023 ST1)", _args)(train_genre)
register_task("train", "frames", "14 frames, multi-label (SemEval-2023 ST2)", _args)(train_frames)
