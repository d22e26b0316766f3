"""Train the SemEval-2025 Task 10 heads: ``narrascope train narratives|roles --data DIR``.

Frozen MiniLM vectors from the shared encoder pass (cached under ``.cache/emb``) feed small
linear models fitted with scikit-learn and exported to ``.npz`` + ``config.json`` (no pickle).
``--cv K`` prints out-of-fold figures on train (folds grouped by document, seeded); threshold
choices are themselves evaluated on held-out folds of the out-of-fold scores, so the printed
figures are not tuned on the documents they score.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc, encode_docs
from narrascope.analyzers.heads_semeval2025 import (
    MODELS_DIR,
    LinearArtifact,
    decode_narratives,
    decode_roles,
    narrative_features,
    sigmoid,
    softmax,
)
from narrascope.eval.semeval2025_io import Split, exact_match_ratio, read_class_list, read_split, samples_f1
from narrascope.model import Document, InputRef
from narrascope.registry import register_task
from narrascope.training.semeval2025_span import logit_margin, role_features

SEED = 13
HASH_DIM = 256


# ---------------------------------------------------------------- data


_WS_RUN = re.compile(r"\s+")


def layout_text(raw: str) -> str:
    """Same offsets for every non-space character, whitespace laid out so that the shared
    paragraph splitter sees every paragraph: in each whitespace run the line breaks come first
    (``\r`` counted as a line break), and trailing whitespace is dropped. (The splitter in
    ``framing_base`` misses a paragraph followed by spaces before its blank line, by ``\r\n``,
    or by a final newline.)"""

    def fix(m: re.Match[str]) -> str:
        run = m.group(0)
        breaks = min(run.count("\n") + run.count("\r") - run.count("\r\n"), 2)
        return "\n" * breaks + " " * (len(run) - breaks)

    return _WS_RUN.sub(fix, raw).rstrip()


def encode_split(
    split: Split, embedder: Any, doc_ids: Sequence[str], batch: int = 32
) -> dict[str, EncodedDoc]:
    """Encode documents of a split (text passed through :func:`layout_text`)."""
    out: dict[str, EncodedDoc] = {}
    for i in range(0, len(doc_ids), batch):
        ids = doc_ids[i : i + batch]
        docs = [Document(layout_text(split.docs[d]), InputRef(d, "-", "txt"), language="en") for d in ids]
        out.update(zip(ids, encode_docs(docs, embedder), strict=True))
    return out


def training_embedder(name: str = "minilm-int8") -> Any:
    from narrascope.backends.embedders import get_embedder
    from narrascope.training.semeval2025_cache import CachedEmbedder

    return CachedEmbedder(get_embedder(name))


def doc_folds(doc_ids: Sequence[str], k: int, seed: int = SEED) -> dict[str, int]:
    """Document -> fold, shuffled with a fixed seed."""
    order = np.random.default_rng(seed).permutation(len(doc_ids))
    return {doc_ids[j]: int(r % k) for r, j in enumerate(order)}


def fit_logreg(
    x: np.ndarray, y: np.ndarray, c: float, multinomial: bool = False, balanced: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Weights ``(F, L)`` and biases ``(L,)``: one binary model per column of ``y`` (0/1
    matrix), or one multinomial model when ``multinomial`` (``y`` = class indices)."""
    from sklearn.linear_model import LogisticRegression

    if multinomial:
        n_cls = int(y.max()) + 1
        m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
        m.fit(x, y)
        w = np.zeros((x.shape[1], n_cls), dtype=np.float32)
        b = np.full(n_cls, -30.0, dtype=np.float32)
        w[:, m.classes_] = m.coef_.T
        b[m.classes_] = m.intercept_
        return w, b
    w = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    b = np.full(y.shape[1], -30.0, dtype=np.float32)
    for j in range(y.shape[1]):
        pos = int(y[:, j].sum())
        if pos == 0 or pos == len(y):
            continue
        m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None)
        m.fit(x, y[:, j])
        w[:, j], b[j] = m.coef_[0], m.intercept_[0]
    return w, b


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = x.mean(0)
    sd = x.std(0) + 1e-3
    return mu.astype(np.float32), sd.astype(np.float32)


# ---------------------------------------------------------------- narratives


def _taxonomy(data_dir: Path) -> tuple[list[str], list[str], list[int]]:
    tax = data_dir / "taxonomy"
    coarse = [c for c in read_class_list(tax / "subtask2_narratives.txt") if c != "Other"]
    fine = [f for f in read_class_list(tax / "subtask2_subnarratives.txt") if f != "Other"]
    parent = [coarse.index(f.rsplit(": ", 1)[0]) for f in fine]
    return coarse, fine, parent


def _label_texts(data_dir: Path, labels: Sequence[str]) -> list[str]:
    """Label name plus its definition (when the taxonomy files define it) for similarity features."""
    defs: dict[str, str] = {}
    for name, col in (
        ("narrative_definitions.csv", "narrative"),
        ("subnarrative_definitions.csv", "subnarrative"),
    ):
        path = data_dir / "taxonomy" / name
        if path.is_file():
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    defs[row[col].strip()] = (row.get("definition") or "").strip()
    return [f"{lab.split(': ', 1)[-1]}. {defs.get(lab, '')}".strip() for lab in labels]


def narrative_dataset(data_dir: Path, lang: str, embedder: Any, limit: int | None = None) -> tuple[Any, ...]:
    split = read_split(data_dir, "train", lang)
    ids = sorted(split.narratives)[:limit] if limit else sorted(split.narratives)
    encs = encode_split(split, embedder, ids)
    coarse, fine, parent = _taxonomy(data_dir)
    label_emb = embedder.embed(_label_texts(data_dir, coarse + fine))
    yc = np.array([[lab in split.narratives[d].narratives for lab in coarse] for d in ids], dtype=np.int8)
    yf = np.array([[lab in split.narratives[d].subnarratives for lab in fine] for d in ids], dtype=np.int8)
    golds = [(split.narratives[d].narratives, split.narratives[d].subnarratives) for d in ids]
    return ids, encs, label_emb, coarse, fine, parent, yc, yf, golds


def _narr_config(
    coarse: list[str], fine: list[str], parent: list[int], tc: float, tf: float
) -> dict[str, Any]:
    return {
        "coarse_labels": coarse,
        "fine_labels": fine,
        "fine_parent": parent,
        "thr_coarse": [tc] * len(coarse),
        "thr_fine": [tf] * len(fine),
        "single_domain": True,
    }


def narrative_scores(
    pc: np.ndarray,
    pf: np.ndarray,
    po: np.ndarray | None,
    golds: Sequence[tuple[Sequence[str], Sequence[str]]],
    cfg: dict[str, Any],
) -> tuple[float, float]:
    """Samples-F1 (fine, coarse) of hierarchical decoding under ``cfg``."""
    pred_f, pred_c = [], []
    for i in range(len(golds)):
        dec = decode_narratives(pc[i], pf[i], cfg, None if po is None else float(po[i]))
        pred_f.append({s for _, s, _, _ in dec} or {"Other"})
        pred_c.append({n for n, _, _, _ in dec} or {"Other"})
    classes_f = set(cfg["fine_labels"]) | {"Other"} | {f"{c}: Other" for c in cfg["coarse_labels"]}
    classes_c = set(cfg["coarse_labels"]) | {"Other"}
    f = samples_f1([g[1] for g in golds], pred_f, classes_f)
    c = samples_f1([g[0] for g in golds], pred_c, classes_c)
    return f, c


_GRID = [round(x, 2) for x in np.arange(0.1, 0.95, 0.1)]


def with_thresholds(base: dict[str, Any], tc: float, tf: float, to: float | None) -> dict[str, Any]:
    cfg = dict(base, thr_coarse=[tc] * len(base["coarse_labels"]), thr_fine=[tf] * len(base["fine_labels"]))
    if to is not None:
        cfg["thr_other"] = to
    return cfg


def tune_thresholds(
    pc: np.ndarray, pf: np.ndarray, po: np.ndarray | None, golds: Sequence[Any], base: dict[str, Any]
) -> tuple[float, float, float | None]:
    """Thresholds maximising fine samples-F1 (coarse breaks ties): the ``Other`` gate first
    (coarse/fine at 0.5), then a coarse x fine grid."""
    to = None
    if po is not None:
        to = max(
            _GRID, key=lambda t: (narrative_scores(pc, pf, po, golds, with_thresholds(base, 0.5, 0.5, t)), -t)
        )
    grid = [(tc, tf) for tc in _GRID for tf in _GRID]
    tc, tf = max(
        grid,
        key=lambda g: (
            narrative_scores(pc, pf, po, golds, with_thresholds(base, g[0], g[1], to)),
            -g[0],
            -g[1],
        ),
    )
    return tc, tf, to


def honest_threshold_cv(
    pc: np.ndarray, pf: np.ndarray, po: np.ndarray | None, golds: list[Any], base: dict[str, Any], k: int
) -> tuple[float, float]:
    """Tune thresholds on k-1 folds of out-of-fold scores, score the held-out fold; mean F1."""
    fold = np.arange(len(golds)) % k
    tot_f, tot_c = 0.0, 0.0
    for r in range(k):
        tr, te = np.where(fold != r)[0], np.where(fold == r)[0]

        def sub(a: np.ndarray | None, idx: np.ndarray) -> np.ndarray | None:
            return None if a is None else a[idx]

        tc, tf, to = tune_thresholds(pc[tr], pf[tr], sub(po, tr), [golds[i] for i in tr], base)
        f, c = narrative_scores(
            pc[te], pf[te], sub(po, te), [golds[i] for i in te], with_thresholds(base, tc, tf, to)
        )
        tot_f += f * len(te)
        tot_c += c * len(te)
    return tot_f / len(golds), tot_c / len(golds)


def fit_narratives(
    x: np.ndarray, yc: np.ndarray, yf: np.ndarray, yo: np.ndarray, c: float
) -> dict[str, np.ndarray]:
    mu, sd = standardiser(x)
    xs = (x - mu) / sd
    wc, bc = fit_logreg(xs, yc, c)
    wf, bf = fit_logreg(xs, yf, c)
    wo, bo = fit_logreg(xs, yo[:, None], c)
    return {
        "mu": mu,
        "sd": sd,
        "W_coarse": wc,
        "b_coarse": bc,
        "W_fine": wf,
        "b_fine": bf,
        "W_other": wo,
        "b_other": bo,
    }


def oof_narratives(
    x: np.ndarray, yc: np.ndarray, yf: np.ndarray, yo: np.ndarray, ids: list[str], k: int, c: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    folds = doc_folds(ids, k)
    f = np.array([folds[d] for d in ids])
    pc = np.zeros(yc.shape, dtype=np.float32)
    pf = np.zeros(yf.shape, dtype=np.float32)
    po = np.zeros(len(ids), dtype=np.float32)
    for r in range(k):
        tr, te = f != r, f == r
        a = fit_narratives(x[tr], yc[tr], yf[tr], yo[tr], c)
        xs = (x[te] - a["mu"]) / a["sd"]
        pc[te] = sigmoid(xs @ a["W_coarse"] + a["b_coarse"])
        pf[te] = sigmoid(xs @ a["W_fine"] + a["b_fine"])
        po[te] = sigmoid(xs @ a["W_other"] + a["b_other"])[:, 0]
    return pc, pf, po


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict[str, Any]]:
    """Mean score vs observed rate per score bin (calibration table for the model card)."""
    p, y = p.ravel(), y.ravel()
    edges = np.linspace(0, 1, bins + 1)
    out = []
    for lo, hi in itertools.pairwise(edges):
        m = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if m.any():
            out.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(m.sum()),
                    "mean_score": round(float(p[m].mean()), 3),
                    "rate": round(float(y[m].mean()), 3),
                }
            )
    return out


def train_narratives(args: argparse.Namespace) -> dict[str, Any]:
    data_dir, t0 = Path(args.data), time.time()
    emb = training_embedder()
    ids, encs, label_emb, coarse, fine, parent, yc, yf, golds = narrative_dataset(
        data_dir, args.lang, emb, args.limit
    )
    yo = np.array([g[0] == ("Other",) for g in golds], dtype=np.int8)
    use_lab = not args.no_label_features
    x = np.stack([narrative_features(encs[d], label_emb if use_lab else None) for d in ids])
    base = _narr_config(coarse, fine, parent, 0.5, 0.5)
    result: dict[str, Any] = {"task": "narratives", "lang": args.lang, "n": len(ids), "C": args.C}
    tc, tf, to = args.thr_coarse, args.thr_fine, args.thr_other if args.other_gate else None
    if args.cv:
        pc, pf, po = oof_narratives(x, yc, yf, yo, ids, args.cv, args.C)
        po_used = po if args.other_gate else None
        f, c = honest_threshold_cv(pc, pf, po_used, golds, base, args.cv)
        f0, c0 = narrative_scores(np.zeros_like(pc), np.zeros_like(pf), None, golds, base)
        result["cv"] = {"k": args.cv, "f1_samples_fine": round(f, 4), "f1_samples_coarse": round(c, 4)}
        result["baseline_all_other"] = {"f1_samples_fine": round(f0, 4), "f1_samples_coarse": round(c0, 4)}
        result["calibration_coarse"] = reliability(pc, yc, bins=10)
        result["calibration_fine"] = reliability(pf, yf, bins=10)
        result["calibration_other"] = reliability(po, yo)
        print(f"narratives {args.cv}-fold CV on train/{args.lang}: samples-F1 fine {f:.4f} coarse {c:.4f}")
        print(f"  (always 'Other' scores fine {f0:.4f} coarse {c0:.4f} on the same documents)")
        tc, tf, to = tune_thresholds(pc, pf, po_used, golds, base)
    arrays = fit_narratives(x, yc, yf, yo, args.C)
    if use_lab:
        arrays["label_emb"] = label_emb
    cfg = with_thresholds(base, tc, tf, to)
    cfg.update(dim=int(emb.dim), embedder=emb.name, C=args.C, seed=SEED, lang=args.lang, n_train=len(ids))
    for key in ("cv", "baseline_all_other", "calibration_coarse", "calibration_fine", "calibration_other"):
        cfg[key] = result.get(key)
    out_dir = Path(args.out) if args.out else MODELS_DIR / "narratives"
    LinearArtifact(cfg, arrays).save(out_dir)
    result.update(
        thresholds={"coarse": tc, "fine": tf, "other": to},
        out=str(out_dir),
        seconds=round(time.time() - t0, 1),
    )
    print(f"saved {out_dir} (thresholds coarse {tc} fine {tf} other {to}) in {result['seconds']} s")
    return result


# ---------------------------------------------------------------- roles


def role_dataset(data_dir: Path, lang: str, embedder: Any, limit: int | None = None) -> tuple[Any, ...]:
    split = read_split(data_dir, "train", lang)
    mentions = [m for m in split.mentions if m.doc_id in split.docs]
    if limit:
        keep = sorted({m.doc_id for m in mentions})[:limit]
        mentions = [m for m in mentions if m.doc_id in set(keep)]
    ids = sorted({m.doc_id for m in mentions})
    encs = encode_split(split, embedder, ids)
    return split, mentions, encs


def _role_taxonomy(data_dir: Path) -> tuple[list[str], list[str], list[int]]:
    import json

    tax = json.loads((data_dir / "taxonomy" / "entity_roles_taxonomy.json").read_text(encoding="utf-8"))
    mains = [c["name"] for c in tax["children"]]
    fines, parent = [], []
    for i, c in enumerate(tax["children"]):
        for g in c["children"]:
            fines.append(g["name"])
            parent.append(i)
    return mains, fines, parent


def _cols(blocks: dict[str, list[int]], names: Sequence[str] | None, width: int) -> np.ndarray:
    """Column indices of the named feature blocks (all columns when ``names`` is None)."""
    if names is None:
        return np.arange(width)
    return np.concatenate([np.arange(*blocks[n]) for n in names])


def fit_roles(
    x: np.ndarray,
    y_main: np.ndarray,
    fine_sets: list[list[int]],
    c: float,
    layout: dict[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """Main-role and fine-role multinomial models on the standardised features. ``layout``
    (``blocks``, ``main_blocks``, ``fine_blocks``, ``C_fine``) restricts each model to some
    feature blocks; the weights of the other columns are exported as zeros."""
    layout = layout or {}
    mu, sd = standardiser(x)
    xs = (x - mu) / sd
    blocks = layout.get("blocks", {})
    cm = _cols(blocks, layout.get("main_blocks"), x.shape[1])
    cf = _cols(blocks, layout.get("fine_blocks"), x.shape[1])
    # Unweighted: the metric is accuracy, and balanced weights cost 2-4 points in CV.
    wm_sub, bm = fit_logreg(xs[:, cm], y_main, c, multinomial=True, balanced=False)
    rows = [i for i, fs in enumerate(fine_sets) for _ in fs]
    labels = np.array([f for fs in fine_sets for f in fs])
    c_fine = float(layout.get("C_fine", c))
    wf_sub, bf = fit_logreg(xs[rows][:, cf], labels, c_fine, multinomial=True, balanced=False)
    wm = np.zeros((x.shape[1], wm_sub.shape[1]), dtype=np.float32)
    wf = np.zeros((x.shape[1], wf_sub.shape[1]), dtype=np.float32)
    wm[cm], wf[cf] = wm_sub, wf_sub
    return {"mu": mu, "sd": sd, "W_main": wm, "b_main": bm, "W_fine": wf, "b_fine": bf}


def _predict_roles(a: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xs = (x - a["mu"]) / a["sd"]
    return softmax(xs @ a["W_main"] + a["b_main"]), softmax(xs @ a["W_fine"] + a["b_fine"])


def role_metrics(
    pm: np.ndarray,
    pf: np.ndarray,
    gold_main: list[str],
    gold_fine: list[tuple[str, ...]],
    cfg: dict[str, Any],
) -> tuple[float, float]:
    preds = [decode_roles(pm[i], pf[i], cfg) for i in range(len(pm))]
    acc = float(np.mean([p[0] == g for p, g in zip(preds, gold_main, strict=True)]))
    return exact_match_ratio(gold_fine, [p[1] for p in preds]), acc


def _role_cfg(mains: list[str], fines: list[str], parent: list[int], ratio: float) -> dict[str, Any]:
    return {
        "main_labels": mains,
        "fine_labels": fines,
        "fine_parent": parent,
        "second_ratio": ratio,
        "hash_dim": HASH_DIM,
        "fine_softmax": True,
    }


def fit_temperature(p: np.ndarray, y: np.ndarray) -> float:
    """Softmax temperature minimising the log-loss of out-of-fold probabilities ``p``."""
    logp = np.log(np.clip(p, 1e-9, None))

    def nll(t: float) -> float:
        q = softmax(logp / t)
        return float(-np.mean(np.log(np.clip(q[np.arange(len(y)), y], 1e-9, None))))

    return min([0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0], key=nll)


_RATIOS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.1]


def _roles_cv(
    x: np.ndarray,
    y_main: np.ndarray,
    fine_sets: list[list[int]],
    mentions: list[Any],
    tax: tuple[Any, ...],
    k: int,
    c: float,
    layout: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Out-of-fold role scores (folds by document): EMR per second-role ratio, main-role
    accuracy, per-class recall (also under class-prior margins), majority baselines, a fitted
    temperature and a reliability table."""
    mains, fines, parent = tax
    gm, gf = [m.main_role for m in mentions], [m.fine_roles for m in mentions]
    folds = doc_folds(sorted({m.doc_id for m in mentions}), k)
    f = np.array([folds[m.doc_id] for m in mentions])
    pm, pf = np.zeros((len(mentions), len(mains))), np.zeros((len(mentions), len(fines)))
    for r in range(k):
        a = fit_roles(
            x[f != r],
            y_main[f != r],
            [fs for fs, ff in zip(fine_sets, f, strict=True) if ff != r],
            c,
            layout,
        )
        pm[f == r], pf[f == r] = _predict_roles(a, x[f == r])
    scores = {rt: role_metrics(pm, pf, gm, gf, _role_cfg(mains, fines, parent, rt)) for rt in _RATIOS}
    ratio = max(_RATIOS, key=lambda rt: (scores[rt][0], -rt))
    temp = fit_temperature(pm, y_main)
    pm_t = softmax(np.log(np.clip(pm, 1e-9, None)) / temp)
    top_set = max(sorted(set(gf)), key=gf.count)
    return {
        "cv": {
            "k": k,
            "emr": round(scores[ratio][0], 4),
            "emr_single_role": round(scores[1.1][0], 4),
            "main_role_accuracy": round(scores[ratio][1], 4),
            "second_ratio": ratio,
        },
        "majority_fine_emr": round(gf.count(top_set) / len(gf), 4),
        "majority_main_accuracy": round(float(np.bincount(y_main).max() / len(y_main)), 4),
        "temperature_main": temp,
        "calibration_main": reliability(pm_t.max(1), (pm_t.argmax(1) == y_main).astype(float)),
        "class_margin_cv": margin_table(pm, pf, y_main, mentions, tax),
    }


def margin_table(
    pm: np.ndarray, pf: np.ndarray, y_main: np.ndarray, mentions: list[Any], tax: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """Accuracy, EMR and per-class recall of out-of-fold scores under class-prior margins."""
    mains, fines, parent = tax
    gm, gf = [m.main_role for m in mentions], [m.fine_roles for m in mentions]
    out = []
    for tau in (0.0, 0.25, 0.5, 0.75):
        adj = softmax(np.log(np.clip(pm, 1e-9, None)) + logit_margin(y_main, len(mains), tau))
        emr, acc = role_metrics(adj, pf, gm, gf, _role_cfg(mains, fines, parent, 1.1))
        pred = adj.argmax(1)
        recall = {mains[j]: round(float((pred[y_main == j] == j).mean()), 3) for j in np.unique(y_main)}
        out.append({"tau": tau, "main_role_accuracy": round(acc, 4), "emr": round(emr, 4), "recall": recall})
    return out


def train_roles(args: argparse.Namespace) -> dict[str, Any]:
    data_dir, t0 = Path(args.data), time.time()
    emb = training_embedder()
    _, mentions, encs = role_dataset(data_dir, args.lang, emb, args.limit)
    mains, fines, parent = _role_taxonomy(data_dir)
    feats, mask = getattr(args, "features", "context"), bool(getattr(args, "mask_mention", False))
    x, layout = role_features(encs, mentions, feats, emb, HASH_DIM, mask)
    if layout["features"] == "span.v1":
        layout["C_fine"] = float(getattr(args, "C_fine", None) or args.C)
    y_main = np.array([mains.index(m.main_role) for m in mentions])
    fine_sets = [[fines.index(f) for f in m.fine_roles] for m in mentions]
    result: dict[str, Any] = {"task": "roles", "lang": args.lang, "n": len(mentions), "C": args.C}
    result["features"] = layout["features"]
    ratio = args.second_ratio
    if args.cv:
        tax = (mains, fines, parent)
        result.update(_roles_cv(x, y_main, fine_sets, mentions, tax, args.cv, args.C, layout))
        cv = result["cv"]
        ratio = cv["second_ratio"]
        print(
            f"roles {args.cv}-fold CV on train/{args.lang} ({len(mentions)} mentions, {layout['features']}): "
            f"main-role accuracy {cv['main_role_accuracy']:.4f}, EMR {cv['emr']:.4f} (second-role ratio {ratio})"
        )
        print(
            f"  (majority baselines: main-role accuracy {result['majority_main_accuracy']}, "
            f"EMR {result['majority_fine_emr']})"
        )
        for row in result["class_margin_cv"]:
            rec = " ".join(f"{k} {v:.3f}" for k, v in row["recall"].items())
            print(
                f"  margin tau {row['tau']}: acc {row['main_role_accuracy']:.4f} EMR {row['emr']:.4f} recall {rec}"
            )
    arrays = fit_roles(x, y_main, fine_sets, args.C, layout)
    tau = float(getattr(args, "class_margin", 0.0) or 0.0)
    if tau:
        arrays["b_main"] = arrays["b_main"] + logit_margin(y_main, len(mains), tau)
    cfg = dict(
        _role_cfg(mains, fines, parent, ratio),
        **layout,
        dim=int(emb.dim),
        embedder=emb.name,
        C=args.C,
        class_margin=tau,
        seed=SEED,
        lang=args.lang,
    )
    keys = ("cv", "calibration_main", "majority_main_accuracy", "majority_fine_emr", "temperature_main")
    for key in (*keys, "class_margin_cv"):
        cfg[key] = result.get(key)
    cfg["n_train"] = len(mentions)
    out_dir = Path(args.out) if args.out else MODELS_DIR / "roles"
    LinearArtifact(cfg, arrays).save(out_dir)
    result.update(out=str(out_dir), seconds=round(time.time() - t0, 1))
    print(f"saved {out_dir} in {result['seconds']} s")
    return result


# ---------------------------------------------------------------- CLI


def _common_args(default_c: float) -> Callable[[argparse.ArgumentParser], None]:
    def add(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", default="EN", help="training language (default EN; MiniLM is English-only)")
        p.add_argument(
            "--cv", type=int, default=0, help="print K-fold out-of-fold figures on train, then fit on all"
        )
        p.add_argument(
            "--C", type=float, default=default_c, help="inverse L2 strength of the logistic regressions"
        )
        p.add_argument(
            "--no-label-features", action="store_true", help="narratives: drop label-description similarities"
        )
        p.add_argument(
            "--thr-coarse", type=float, default=0.5, help="narratives threshold when --cv is not given"
        )
        p.add_argument(
            "--thr-fine", type=float, default=0.5, help="narratives threshold when --cv is not given"
        )
        p.add_argument(
            "--thr-other", type=float, default=0.5, help="narratives 'Other' gate when --cv is not given"
        )
        p.add_argument(
            "--other-gate", action="store_true", help="narratives: decide 'Other' with its own classifier"
        )
        p.add_argument(
            "--features",
            choices=["span", "context"],
            default="context",
            help="roles: context = sentence vectors + hashed words (shipped); span = + mention-window "
            "token states and cues (better CV, much worse name-swap neutrality: docs/decisions/011)",
        )
        p.add_argument(
            "--mask-mention",
            action="store_true",
            help="roles (span features): replace the mention by [MASK] in its window (name-blind states)",
        )
        p.add_argument(
            "--C-fine", type=float, default=0.01, help="roles (span features): C of the fine-role model"
        )
        p.add_argument(
            "--class-margin",
            type=float,
            default=0.0,
            help="roles: shift main-role logits by -TAU*log(prior) in favour of rare roles (0 = off)",
        )
        p.add_argument(
            "--second-ratio",
            type=float,
            default=1.1,
            help="roles: second fine role ratio when --cv is not given",
        )

    return add


register_task(
    "train", "narratives", "SemEval-2025 T10 narratives + sub-narratives head", _common_args(0.003)
)(train_narratives)
register_task("train", "roles", "SemEval-2025 T10 entity-framing roles head", _common_args(0.003))(
    train_roles
)
