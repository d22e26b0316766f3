"""Framing heads for the SemEval-2025 Task 10 taxonomies: ``narratives``, ``roles``, ``explanation``.

All three decode from the shared encoder pass (:mod:`narrascope.analyzers.framing_base`):
sentence, paragraph and document vectors. The trained weights are small linear models stored
as ``.npz`` (no pickle) + ``config.json`` under ``narrascope/models/{narratives,roles}/``;
training lives in :mod:`narrascope.training.semeval2025`.

Each head splits into features (pure numpy over an :class:`EncodedDoc`), raw scores (one
matrix product) and a pure ``decode_*`` function from raw scores to contract dicts, which the
tests pin with golden files.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc, register_head
from narrascope.analyzers.semeval2025_explain import build_explanation, fallback_mentions
from narrascope.model import evidence

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
_WORD = re.compile(r"\w+", re.UNICODE)

# ---------------------------------------------------------------- linear artifacts


@dataclass(frozen=True)
class LinearArtifact:
    """Standardise features, then independent sigmoid / softmax blocks: ``X @ W + b``."""

    config: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @classmethod
    def load(cls, directory: Path) -> LinearArtifact:
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz", allow_pickle=False) as z:
            arrays = {k: np.asarray(z[k]) for k in z.files}
        return cls(config, arrays)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "config.json").write_text(
            json.dumps(self.config, indent=1, sort_keys=True) + "\n", "utf-8"
        )
        arrays: dict[str, Any] = {k: v.astype(np.float32) for k, v in sorted(self.arrays.items())}
        np.savez(directory / "weights.npz", **arrays)

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (x - self.arrays["mu"]) / self.arrays["sd"]

    def logits(self, xs: np.ndarray, block: str) -> np.ndarray:
        return xs @ self.arrays[f"W_{block}"] + self.arrays[f"b_{block}"]


def calibrate(score: float, table: list[dict[str, Any]] | None) -> float:
    """Map a raw score through a reliability table (bin mean score -> observed rate, measured
    out of fold at training time) by monotone piecewise-linear interpolation."""
    if not table:
        return float(score)
    xs = [0.0] + [float(b["mean_score"]) for b in table] + [1.0]
    ys = np.maximum.accumulate([0.0] + [float(b["rate"]) for b in table] + [1.0])
    return float(np.interp(score, xs, ys))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


# ---------------------------------------------------------------- features


def _sentences(enc: EncodedDoc) -> np.ndarray:
    if len(enc.sent_emb):
        return enc.sent_emb
    return enc.doc_emb[None, :]


def narrative_features(enc: EncodedDoc, label_emb: np.ndarray | None) -> np.ndarray:
    """Document vector, mean and max of sentence vectors, and per-label best sentence similarity."""
    s = _sentences(enc)
    parts = [enc.doc_emb, s.mean(0), s.max(0)]
    if label_emb is not None and len(label_emb):
        sims = s @ label_emb.T
        k = min(3, len(s))
        parts += [sims.max(0), np.sort(sims, axis=0)[-k:].mean(0)]
    return np.concatenate(parts).astype(np.float32)


def hashed_bow(words: list[str], dim: int) -> np.ndarray:
    out = np.zeros(dim, dtype=np.float32)
    for w in words:
        h = int.from_bytes(hashlib.blake2b(w.lower().encode(), digest_size=4).digest(), "little")
        out[h % dim] += 1.0
    n = float(np.linalg.norm(out))
    return out / n if n > 0 else out


def sentence_index(enc: EncodedDoc, start: int) -> int:
    """Index of the sentence containing ``start`` (or the nearest one before it)."""
    best = 0
    for i, (s, e) in enumerate(enc.sentences):
        if s <= start < e:
            return i
        if s <= start:
            best = i
    return best


def _paragraph_index(enc: EncodedDoc, start: int) -> int:
    best = 0
    for i, (s, _) in enumerate(enc.paragraphs):
        if s <= start:
            best = i
    return best


def mention_features(enc: EncodedDoc, start: int, end: int, hash_dim: int = 256, ctx: int = 6) -> np.ndarray:
    """Entity-centred features: its sentence, the ±1 sentence window, paragraph, document, the
    sentences with other occurrences of the same name, and hashed words of the name and of
    ``ctx`` words to its left and right."""
    text = enc.doc.text
    s = _sentences(enc)
    i = min(sentence_index(enc, start), len(s) - 1)
    window = s[max(0, i - 1) : i + 2].mean(0)
    para = enc.para_emb[_paragraph_index(enc, start)] if len(enc.para_emb) else enc.doc_emb
    name = text[start:end]
    same = [j for j, (a, b) in enumerate(enc.sentences) if name and name in text[a:b]]
    occ = s[same].mean(0) if same else s[i]
    left = _WORD.findall(text[max(0, start - 200) : start])[-ctx:]
    right = _WORD.findall(text[end : end + 200])[:ctx]
    words = [
        hashed_bow(_WORD.findall(name), hash_dim),
        hashed_bow(left, hash_dim),
        hashed_bow(right, hash_dim),
    ]
    return np.concatenate([s[i], window, para, enc.doc_emb, occ, *words]).astype(np.float32)


# ---------------------------------------------------------------- narrative decoding


def sentence_evidence(enc: EncodedDoc, direction: np.ndarray, k: int = 2) -> list[dict[str, Any]]:
    """The ``k`` sentences whose vectors point most along ``direction`` (text order)."""
    if not enc.sentences:
        return [evidence(enc.doc.text, 0, len(enc.doc.text))] if enc.doc.text else []
    scores = enc.sent_emb @ direction
    top = sorted(np.argsort(-scores, kind="stable")[:k].tolist())
    return [evidence(enc.doc.text, *enc.sentences[i]) for i in top]


def decode_narratives(
    p_coarse: np.ndarray, p_fine: np.ndarray, config: dict[str, Any], p_other: float | None = None
) -> list[tuple[str, str, float, float]]:
    """Hierarchical decoding. With an ``Other`` gate (``p_other`` and ``thr_other``): ``Other``
    when ``p_other`` reaches its threshold, else the best narrative always plus any other above
    its threshold. Without a gate: narratives above their thresholds, ``Other`` when none.
    Narratives are kept in one domain (URW or CC); each gets its sub-narratives above their
    thresholds, else ``<narrative>: Other``. Returns ``(narrative, subnarrative, narrative
    score, subnarrative score)``; an empty list means ``Other``."""
    coarse, fine = config["coarse_labels"], config["fine_labels"]
    thr_c, thr_f = np.asarray(config["thr_coarse"]), np.asarray(config["thr_fine"])
    parent = config["fine_parent"]
    chosen = [j for j in range(len(coarse)) if p_coarse[j] >= thr_c[j]]
    gate = p_other is not None and "thr_other" in config
    if p_other is not None and gate:
        if p_other >= float(config["thr_other"]):
            return []
        best_j = int(np.argmax(p_coarse))
        chosen = sorted(set(chosen) | {best_j})
    if not chosen:
        return []
    if config.get("single_domain", True):
        dom = {d: float(sum(p_coarse[j] for j in chosen if coarse[j].startswith(d))) for d in ("URW", "CC")}
        best = max(sorted(dom), key=lambda d: dom[d])
        chosen = [j for j in chosen if coarse[j].startswith(best)]
    out: list[tuple[str, str, float, float]] = []
    score_c = (1.0 - p_other) if gate and p_other is not None else None
    for j in sorted(chosen, key=lambda j: (-p_coarse[j], j)):
        kids = [k for k in range(len(fine)) if parent[k] == j and not fine[k].endswith(": Other")]
        hits = sorted((k for k in kids if p_fine[k] >= thr_f[k]), key=lambda k: (-p_fine[k], k))
        sc = float(p_coarse[j]) if score_c is None else min(float(p_coarse[j]), score_c)
        if hits:
            out.extend((coarse[j], fine[k], sc, float(p_fine[k])) for k in hits)
        else:
            out.append((coarse[j], f"{coarse[j]}: Other", sc, sc))
    return out


class NarrativeModel:
    """Loaded narratives artifact: raw scores and contract dicts for one encoded document."""

    def __init__(self, directory: Path | None = None) -> None:
        self.art = LinearArtifact.load(directory or MODELS_DIR / "narratives")
        self.config = self.art.config
        self._label_emb = self.art.arrays.get("label_emb")

    def scores(self, enc: EncodedDoc) -> tuple[np.ndarray, np.ndarray, float | None]:
        """Coarse and fine label probabilities and the probability of ``Other`` (if gated)."""
        x = self.art.standardise(narrative_features(enc, self._label_emb)[None, :])
        p_other = float(sigmoid(self.art.logits(x, "other"))[0, 0]) if "W_other" in self.art.arrays else None
        return sigmoid(self.art.logits(x, "coarse"))[0], sigmoid(self.art.logits(x, "fine"))[0], p_other

    def _direction(self, block: str, j: int) -> np.ndarray:
        """Sentence-space direction of label ``j``: the weights of the sentence-space feature
        blocks (document, mean, max) divided by the feature scale, summed."""
        d = self.art.arrays[f"W_{block}"].shape[0]
        dim = int(self.config["dim"])
        w = self.art.arrays[f"W_{block}"][:, j] / self.art.arrays["sd"][:d]
        return w[:dim] + w[dim : 2 * dim] + w[2 * dim : 3 * dim]

    def label_evidence(
        self, enc: EncodedDoc, narrative: str, subnarrative: str, k: int = 2
    ) -> list[dict[str, Any]]:
        """Evidence sentences for a given label (sub-narrative if known, else its narrative)."""
        fine, coarse = self.config["fine_labels"], self.config["coarse_labels"]
        if subnarrative in fine:
            return sentence_evidence(enc, self._direction("fine", fine.index(subnarrative)), k)
        if narrative in coarse:
            return sentence_evidence(enc, self._direction("coarse", coarse.index(narrative)), k)
        return sentence_evidence(enc, enc.doc_emb, k)

    def predict(self, enc: EncodedDoc) -> list[dict[str, Any]]:
        p_c, p_f, p_o = self.scores(enc)
        fine_index = {f: k for k, f in enumerate(self.config["fine_labels"])}
        coarse_index = {c: j for j, c in enumerate(self.config["coarse_labels"])}
        out = []
        for narrative, sub, s_nar, s_sub in decode_narratives(p_c, p_f, self.config, p_o):
            k = fine_index.get(sub)
            # A named sub-narrative reports its own calibrated score; "<narrative>: Other" its narrative's.
            score = (
                calibrate(s_sub, self.config.get("calibration_fine"))
                if k is not None and not sub.endswith(": Other")
                else calibrate(s_nar, self.config.get("calibration_coarse"))
            )
            direction = (
                self._direction("fine", k)
                if k is not None
                else self._direction("coarse", coarse_index[narrative])
            )
            out.append(
                {
                    "narrative": narrative,
                    "subnarrative": sub,
                    "score": round(score, 4),
                    "evidence": sentence_evidence(enc, direction),
                }
            )
        return out


# ---------------------------------------------------------------- role decoding


def decode_roles(
    p_main: np.ndarray, p_fine: np.ndarray, config: dict[str, Any]
) -> tuple[str, list[str], float]:
    """Main role = argmax; fine roles = the best fine role of that main role plus any other of
    that main role whose score reaches ``second_ratio`` times the best."""
    mains, fines, parent = config["main_labels"], config["fine_labels"], config["fine_parent"]
    m = int(np.argmax(p_main))
    kids = [k for k in range(len(fines)) if parent[k] == m]
    if not kids:
        return mains[m], [], float(p_main[m])
    ranked = sorted(kids, key=lambda k: (-p_fine[k], k))
    best = ranked[0]
    ratio = float(config.get("second_ratio", 1.1))
    chosen = [best] + [k for k in ranked[1:] if p_fine[k] >= ratio * p_fine[best]]
    return mains[m], [fines[k] for k in chosen], float(p_main[m])


def make_token_encoder(name: str) -> Any:
    """Token-state encoder by name: ``minilm-int8`` (the shared ONNX session) or ``fake`` (tests)."""
    from narrascope.backends.token_states import FakeTokenStates, TokenStateEncoder

    if name in ("fake", FakeTokenStates.name):
        return FakeTokenStates()
    return TokenStateEncoder()


class RoleModel:
    """Loaded roles artifact: main-role softmax and fine-role scores for mentions."""

    def __init__(self, directory: Path | None = None, token_encoder: Any | None = None) -> None:
        self.art = LinearArtifact.load(directory or MODELS_DIR / "roles")
        self.config = self.art.config
        self._tok = token_encoder

    @property
    def uses_span_states(self) -> bool:
        """Artifacts with ``features: span.v1`` need a second, mention-window encoder pass."""
        return self.config.get("features") == "span.v1"

    def token_encoder(self) -> Any:
        """The token-state encoder (created on first use; shares the MiniLM ONNX session)."""
        if self._tok is None:
            self._tok = make_token_encoder(str(self.config.get("token_encoder", "minilm-int8")))
        return self._tok

    def features(self, enc: EncodedDoc, spans: list[tuple[int, int]]) -> np.ndarray:
        hd = int(self.config["hash_dim"])
        x = np.stack([mention_features(enc, s, e, hd) for s, e in spans])
        if not self.uses_span_states:
            return x
        from narrascope.analyzers.roles_span import span_features

        mask = bool(self.config.get("mask_mention", False))
        return np.concatenate([x, span_features(enc, spans, self.token_encoder(), mask=mask)], axis=1)

    def mention_scores(self, enc: EncodedDoc, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        if not spans:
            return np.zeros((0, len(self.config["main_labels"]))), np.zeros(
                (0, len(self.config["fine_labels"]))
            )
        x = self.art.standardise(self.features(enc, spans))
        # Temperature fitted on out-of-fold scores at training time (calibration).
        p_main = softmax(self.art.logits(x, "main") / float(self.config.get("temperature_main") or 1.0))
        fine_logits = self.art.logits(x, "fine")
        p_fine = softmax(fine_logits) if self.config.get("fine_softmax", True) else sigmoid(fine_logits)
        return p_main, p_fine

    def predict_entities(self, enc: EncodedDoc, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One role set per canonical entity: mention scores averaged over its mentions."""
        min_score = float(self.config.get("min_entity_score", 0.0))
        groups: dict[str, list[dict[str, Any]]] = {}
        for m in mentions:
            groups.setdefault(m.get("canonical") or m["quote"], []).append(m)
        # The most mentioned entities only: the training data frames a few central actors per article.
        top = sorted(groups, key=lambda g: (-len(groups[g]), g))[: int(self.config.get("max_entities", 10))]
        groups = {g: groups[g] for g in top}
        spans = [(m["start"], m["end"]) for ms in groups.values() for m in ms]
        p_main, p_fine = self.mention_scores(enc, spans)
        out, row = [], 0
        for name in sorted(groups):
            ms = groups[name]
            pm, pf = p_main[row : row + len(ms)].mean(0), p_fine[row : row + len(ms)].mean(0)
            row += len(ms)
            main, fine, score = decode_roles(pm, pf, self.config)
            if score < min_score:
                continue
            ev = (
                [evidence(enc.doc.text, *enc.sentences[sentence_index(enc, m["start"])]) for m in ms[:3]]
                if enc.sentences
                else []
            )
            ev = ev or [evidence(enc.doc.text, ms[0]["start"], ms[0]["end"])]
            uniq = {(e["start"], e["end"]): e for e in ev}
            out.append(
                {
                    "entity": name,
                    "main_role": main,
                    "fine_roles": fine,
                    "score": round(score, 4),
                    "evidence": [uniq[k] for k in sorted(uniq)],
                }
            )
        return out


# ---------------------------------------------------------------- heads


_ROLE_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}


class NarrativesHead:
    name: str = "narratives"
    version: str = "1"
    produces: tuple[str, ...] = ("narratives",)

    def __init__(self, options: dict[str, Any]) -> None:
        self.model = NarrativeModel(Path(options["model_dir"]) if "model_dir" in options else None)

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        return {"narratives": self.model.predict(enc)}


class RolesHead:
    name: str = "roles"
    version: str = "1"
    produces: tuple[str, ...] = ("roles",)

    def __init__(self, options: dict[str, Any]) -> None:
        tok = options.get("token_encoder_obj")
        if tok is None and "token_encoder" in options:
            tok = make_token_encoder(str(options["token_encoder"]))
        self.model = RoleModel(Path(options["model_dir"]) if "model_dir" in options else None, tok)
        self._require_narrative = bool(options.get("require_narrative", True))

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        # Roles are framed relative to a narrative: a document the narratives head labels
        # "Other" (empty list) gets none, unless the option says otherwise.
        if self._require_narrative and prior.get("narratives") == []:
            return {"roles": []}
        ents = [e for e in prior.get("entities") or [] if e.get("type", "PERSON") in _ROLE_TYPES]
        if "entities" not in prior:
            ents = fallback_mentions(enc.doc.text)
        return {"roles": self.model.predict_entities(enc, ents)}


class ExplanationHead:
    """≤ 80 words on the dominant narrative, extractive: built from its evidence sentences and
    naming the actors. Reads ``prior["narratives"]``/``prior["roles"]`` when an earlier head
    produced them, otherwise runs the narratives model itself (a few matrix products)."""

    name: str = "explanation"
    version: str = "1"
    produces: tuple[str, ...] = ("explanation",)

    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        self._model: NarrativeModel | None = None

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        narratives = prior.get("narratives")
        if narratives is None:
            if self._model is None:
                self._model = NarrativeModel(
                    Path(self._options["model_dir"]) if "model_dir" in self._options else None
                )
            narratives = self._model.predict(enc)
        if not narratives:
            return {"explanation": ""}
        top = max(narratives, key=lambda n: n["score"])
        ev = [(e["start"], e["end"]) for e in top["evidence"]]
        actors = [r["entity"] for r in prior.get("roles") or []]
        text = build_explanation(enc.doc.text, top["narrative"], top["subnarrative"], ev, actors)
        return {"explanation": text}


@register_head("narratives")
def _narratives_factory(options: dict[str, Any]) -> NarrativesHead:
    return NarrativesHead(options)


@register_head("roles")
def _roles_factory(options: dict[str, Any]) -> RolesHead:
    return RolesHead(options)


@register_head("explanation")
def _explanation_factory(options: dict[str, Any]) -> ExplanationHead:
    return ExplanationHead(options)
