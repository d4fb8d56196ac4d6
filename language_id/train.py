"""Train the language model, its calibration and the variety model; `python -m language_id.train`.

    python -m language_id.train --data ../shared/data/lid-train --extra ../shared/data/lid-train-extra \\
        --out language_id/models/iberian-lid.ftz

writes `iberian-lid.ftz` (quantized fastText), `iberian-lid.json` (calibration, priors, what it
was trained on) and, when the data has `ca-valencia`, `iberian-lid.variety.json`. One thread
and a fixed seed make the run reproducible. Cost: ~2-3 minutes on one core for the full data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from language_id import data, others, outofset
from language_id.calibration import fit_isotonic
from language_id.identifier import Identifier, sidecar_path, variety_path_for
from language_id.markers import register_hits
from language_id.normalize import normalize
from language_id.synthetic import synthetic_examples
from language_id.variety import GazetteModel, VarietyModel, fit_weighted, gazette_text


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """Everything that decides the model; recorded in the model's JSON sidecar."""

    seed: int = 13
    heldout_share: float = 0.05  # of each label, for calibration (never lid-dev)
    max_per_label: int = 60_000
    min_per_label: int = 15_000  # small labels are repeated (with fresh fragments) up to this
    fragment_rate: float = 1.0
    # Two short fragments (2-8 words) per line: Tatoeba-like short input. Chosen by 5-fold
    # cross-validation on the training data (`crossval.py`), where short text is the weakness
    # (fragment F1 es 0.86, gl 0.86, pt 0.82 with one fragment).
    fragments_per_line: int = 2
    # Labels whose lower-case lines are repeated: Occitan's Languedocien text (the FLORES norm)
    # is the small lower-cased Lo Congrès part of mostly-Aranese training text.
    lowercase_boost: dict[str, int] = field(default_factory=lambda: {"oc": 3})
    dim: int = 16
    # Character n-grams of 3-4 letters (not 2-4): a third fewer look-ups per word, about 8% more
    # sentences per second, and the same F1 on the development sets.
    minn: int = 3
    maxn: int = 4
    word_ngrams: int = 1
    epoch: int = 10
    lr: float = 0.5
    min_count: int = 5
    bucket: int = 200_000
    dsub: int = 2
    # Rewritten lines added per label (`synthetic.py`): Spanish as Asturian and Aragonese, Catalan
    # as Occitan, so that news vocabulary stops counting as evidence of Spanish or Catalan.
    synthetic_per_label: dict[str, int] = field(default_factory=lambda: {"ast": 10_000, "an": 10_000, "oc": 10_000})
    # Web priors: Aragonese and Asturian are rare on the web and their literary training text
    # is full of short Spanish-like dialogue; down-weight them, fully on short text.
    priors: dict[str, float] = field(default_factory=lambda: {"an": 0.1, "ast": 0.1})
    und_below: float = 0.3
    # Out-of-set score (`outofset.py`): share of the fit's weight on the other languages (the
    # web pages we want are mostly in our languages), and the threshold is raised until at most
    # `outofset_max_inset_rejection` of held-out training lines of our languages are rejected.
    outofset_other_weight: float = 0.2
    outofset_max_inset_rejection: float = 0.005
    # Variety: marker regression over 1-, 2- and 5-line documents; weights per group of training
    # documents (administrative Valencian against administrative central Catalan, po pairs, and a
    # smaller share of general central text, so that general text does not move the weights).
    variety_l2: float = 1e-3
    variety_threshold: float = 0.5
    variety_group_weights: dict[str, float] = field(
        default_factory=lambda: {"va": 1.0, "ca_admin": 0.7, "ca_general": 0.3, "po_va": 0.5, "po_ca": 0.5}
    )
    # Gazette model (administrative text only): fastText over words and char 3-5-grams.
    gazette_alpha: float = 0.5
    gazette_min_register_words: int = 2
    gazette_dim: int = 16
    gazette_epoch: int = 5
    gazette_lr: float = 0.2
    gazette_bucket: int = 100_000


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12]


def _boost(corpus: dict[str, list[str]], boost: dict[str, int]) -> dict[str, list[str]]:
    out = dict(corpus)
    for label, times in boost.items():
        if label in out:
            lower = [x for x in out[label] if x == x.lower()]
            out[label] = out[label] + lower * times
    return out


def in_fresh_process(target: Any, *args: Any) -> None:
    """Run a fastText training in a spawned process. In a process that already ran fastText or
    numpy linear algebra, training has been seen to stop with "Encountered NaN" (the same data and
    seed train fine in a fresh process), so every training here starts clean."""
    proc = multiprocessing.get_context("spawn").Process(target=target, args=args)
    proc.start()
    proc.join()
    if proc.exitcode != 0:
        raise RuntimeError(f"{target.__name__} failed in its training process (exit code {proc.exitcode})")


def train_language_model(corpus: dict[str, list[str]], out: Path, cfg: TrainConfig) -> None:
    """fastText supervised model over languages, quantized to a few MB at `out`."""

    examples = data.balanced_examples(
        _boost(corpus, cfg.lowercase_boost),
        max_per_label=cfg.max_per_label,
        min_per_label=cfg.min_per_label,
        fragment_rate=cfg.fragment_rate,
        fragments_per_line=cfg.fragments_per_line,
        seed=cfg.seed,
    )
    # Rewrites join after balancing and without fragments: a fragment could miss every marker.
    examples += synthetic_examples(corpus, cfg.synthetic_per_label, seed=cfg.seed)
    random.Random(cfg.seed).shuffle(examples)
    fit_quantized(
        ((label, normalize(text)) for label, text in examples),
        out,
        dsub=cfg.dsub,
        dim=cfg.dim,
        minn=cfg.minn,
        maxn=cfg.maxn,
        epoch=cfg.epoch,
        lr=cfg.lr,
        minCount=cfg.min_count,
        bucket=cfg.bucket,
        wordNgrams=cfg.word_ngrams,
        seed=cfg.seed,
    )


def fit_quantized(lines: Iterable[tuple[str, str]], out: Path, *, dsub: int, **params: Any) -> None:
    """Train a fastText classifier on (label, model-ready text) pairs (empty texts skipped),
    quantize it and save it at `out`. One thread, so a seed gives the same model every time."""
    import fasttext

    with tempfile.TemporaryDirectory() as tmp:
        train_file = Path(tmp) / "train.txt"
        with train_file.open("w", encoding="utf-8") as fh:
            for label, text in lines:
                if text:
                    fh.write(f"__label__{label} {text}\n")
        model = fasttext.train_supervised(input=str(train_file), thread=1, verbose=0, **params)
    # cutoff=0 keeps every row: a pruned model looks rows up in a hash map and runs 2x slower.
    model.quantize(qnorm=True, cutoff=0, dsub=dsub, retrain=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save_model(str(out))


def calibration_examples(heldout: dict[str, list[str]], *, seed: int) -> list[tuple[str, str]]:
    """Held-out lines plus one short fragment of each, so short text is calibrated too."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for label in sorted(heldout):
        for line in heldout[label][:3000]:
            out.append((label, line))
            frag = data.fragment(line, rng)
            if frag:
                out.append((label, frag))
    return out


def write_sidecar(model_path: Path, cfg: TrainConfig, heldout: dict[str, list[str]], meta: dict[str, Any]) -> None:
    """Fit the isotonic calibration on held-out lines with the priors in place; write the JSON."""
    info: dict[str, Any] = {"priors": cfg.priors, "short_words": 10, "und_below": 0.0, "meta": meta}
    sidecar_path(model_path).write_text(json.dumps(info), encoding="utf-8")
    ident = Identifier(model_path, und_below=0.0)
    scores, correct = [], []
    for label, text in calibration_examples(heldout, seed=cfg.seed):
        raw = ident.raw_scores(text)
        if raw:
            best = max(raw, key=raw.__getitem__)
            scores.append(raw[best])
            correct.append(best == label)
    info["calibration"] = fit_isotonic(scores, correct).to_json()
    info["und_below"] = cfg.und_below
    oos_model, oos_meta = fit_outofset(ident, heldout, cfg)
    info["outofset"] = oos_model.to_json()
    meta["outofset_fit"] = oos_meta
    info["meta"] = meta
    sidecar_path(model_path).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def fit_outofset(
    ident: Identifier, heldout: dict[str, list[str]], cfg: TrainConfig
) -> tuple[outofset.OutOfSetModel, dict[str, Any]]:
    """Out-of-set regression: held-out training lines of our languages (and a fragment of
    each) against Django interface strings of the `others.CALIBRATION` languages (and a
    fragment of each). `others.HELDOUT` languages stay unseen for the measurement."""
    vocabulary = frozenset(ident._model.get_words())
    rng = random.Random(cfg.seed)

    def feats(texts: Iterable[str]) -> list[tuple[float, ...]]:
        out: list[tuple[float, ...]] = []
        for text in texts:
            raw, norm = ident.raw_scores(text), normalize(text)
            if raw and norm:
                out.append(outofset.features(norm, vocabulary, max(raw.values())))
        return out

    other_texts: list[str] = []
    for lang in others.CALIBRATION:
        for line in others.django_strings(lang):
            frag = data.fragment(line, rng, max_words=6)
            other_texts += [line, frag] if frag else [line]
    in_set = feats(text for _, text in calibration_examples(heldout, seed=cfg.seed))
    other = feats(other_texts)
    if not in_set or not other:  # a toy training folder: no held-out lines to fit on
        return outofset.OutOfSetModel(), {"in_set_examples": len(in_set), "other_examples": len(other)}
    model = outofset.fit(in_set, other, other_weight=cfg.outofset_other_weight)
    probs = sorted(model.probability(f) for f in in_set)
    quantile = probs[min(len(probs) - 1, int(len(probs) * (1 - cfg.outofset_max_inset_rejection)))]
    model = replace(model, threshold=round(max(0.5, quantile + 1e-4), 4))
    meta = {
        "in_set_examples": len(in_set),
        "other_examples": len(other),
        "other_languages": list(others.CALIBRATION),
        "in_set_rejected": round(sum(model.probability(f) >= model.threshold for f in in_set) / len(in_set), 4),
        "other_rejected": round(sum(model.probability(f) >= model.threshold for f in other) / len(other), 4),
    }
    return model, meta


def train(data_dirs: list[Path], out: Path, cfg: TrainConfig | None = None) -> dict[str, Any]:
    """Train everything from folders of `<label>.txt`; returns the metadata written."""
    cfg = cfg or TrainConfig()
    corpus = data.merge(*(data.load_folder(d) for d in data_dirs))
    languages = data.to_language_labels(corpus)
    train_part, heldout = data.split_heldout(languages, share=cfg.heldout_share)
    files = sorted(p for d in data_dirs for p in d.glob("**/*.txt"))
    meta: dict[str, Any] = {
        "config": {k: v for k, v in cfg.__dict__.items()},
        "files": {str(p): _sha1(p) for p in files},
        "lines": {label: len(lines) for label, lines in sorted(corpus.items())},
    }
    in_fresh_process(train_language_model, train_part, out, cfg)
    write_sidecar(out, cfg, heldout, meta)
    if "ca-valencia" in corpus and "ca" in corpus:
        variety = train_variety(data_dirs, out, cfg)
        meta["variety_heldout"] = variety_heldout_figures(variety, data_dirs, cfg)
        info = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
        info["meta"] = meta
        sidecar_path(out).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def _documents(lines: list[str], rng: random.Random) -> list[str]:
    """Shuffled 5-line documents of `lines`, plus (at most 20k) single lines and 2-line pairs."""
    lines = list(lines)
    rng.shuffle(lines)
    out = [" ".join(lines[i : i + 5]) for i in range(0, len(lines) - 4, 5)]
    out += lines[:20_000]
    rng.shuffle(lines)
    out += [" ".join(lines[i : i + 2]) for i in range(0, min(len(lines) - 1, 20_000), 2)]
    return out


def train_gazette(
    valencian: list[str], central: list[str], pairs: list[tuple[str, str]], out: Path, cfg: TrainConfig
) -> None:
    """fastText on administrative text of both standards (the smaller side repeated to balance)
    and the po pairs (x3), in `variety.gazette_text` form; quantized to `out`."""
    rng = random.Random(cfg.seed)
    reps = max(1, round(len(valencian) / max(len(central), 1)))
    items = [("ca-valencia", t) for t in valencian] + [("ca", t) for t in central] * reps
    items += [("ca-valencia", v) for _, v in pairs] * 3 + [("ca", c) for c, _ in pairs] * 3
    rng.shuffle(items)
    fit_quantized(
        ((label, gazette_text(text)) for label, text in items),
        out,
        dsub=cfg.dsub,
        dim=cfg.gazette_dim,
        minn=3,
        maxn=5,
        epoch=cfg.gazette_epoch,
        lr=cfg.gazette_lr,
        minCount=1,
        bucket=cfg.gazette_bucket,
        wordNgrams=2,
        seed=cfg.seed,
    )


def train_variety(data_dirs: list[Path], out: Path, cfg: TrainConfig) -> VarietyModel:
    """Marker regression and gazette model from the Catalan/Valencian text of `data_dirs`
    (held-out lines excluded); writes `<out>.variety.json` and `<out>.variety.ftz`."""
    rng = random.Random(cfg.seed)
    valencian, central, pairs = data.variety_sources(data_dirs)
    valencian = [x for x in valencian if not data.is_heldout(x, share=cfg.heldout_share)]
    central = [x for x in central if not data.is_heldout(x, share=cfg.heldout_share)]
    pairs = [p for p in pairs if not data.is_heldout(p[0], share=0.1)]
    central_admin = [x for x in central if register_hits(x) > 0]
    central_general = [x for x in central if register_hits(x) == 0]
    gazette, gazette_file = None, None
    if central_admin and cfg.gazette_alpha > 0:
        gazette_path = variety_path_for(out).with_suffix(".ftz")
        valencian_admin = [x for x in valencian if register_hits(x) > 0]
        in_fresh_process(train_gazette, valencian_admin, central_admin, pairs, gazette_path, cfg)
        from fasttext.FastText import _FastText

        gazette_file = gazette_path.name
        gazette = GazetteModel(
            model=_FastText(model_path=str(gazette_path)),
            alpha=cfg.gazette_alpha,
            min_register_words=cfg.gazette_min_register_words,
        )
    g = cfg.variety_group_weights
    weights, bias = fit_weighted(
        [
            (_documents(valencian, rng), 1, g["va"]),
            (_documents(central_admin, rng), 0, g["ca_admin"]),
            (_documents(central_general, rng), 0, g["ca_general"]),
            (_documents([v for _, v in pairs], rng), 1, g["po_va"]),
            (_documents([c for c, _ in pairs], rng), 0, g["po_ca"]),
        ],
        l2=cfg.variety_l2,
    )
    model = VarietyModel(weights=weights, bias=bias, gazette=gazette, gazette_file=gazette_file)
    model = replace(model, threshold=cfg.variety_threshold)
    model.save(variety_path_for(out))
    return model


def variety_heldout_figures(model: VarietyModel, data_dirs: list[Path], cfg: TrainConfig) -> dict[str, float]:
    """Share of 5-line documents of held-out training lines (never lid-dev) tagged as expected:
    Valencian, administrative central Catalan, general central Catalan."""
    rng = random.Random(cfg.seed + 1)
    valencian, central, _ = data.variety_sources(data_dirs)

    def docs(lines: list[str]) -> list[str]:
        lines = [x for x in lines if data.is_heldout(x, share=cfg.heldout_share)]
        rng.shuffle(lines)
        return [" ".join(lines[i : i + 5]) for i in range(0, len(lines) - 4, 5)]

    out: dict[str, float] = {}
    for name, texts, want in (
        ("ca-valencia", docs(valencian), "ca-valencia"),
        ("ca_admin", docs([x for x in central if register_hits(x) > 0]), "ca"),
        ("ca_general", docs([x for x in central if register_hits(x) == 0]), "ca"),
    ):
        if texts:
            out[name] = round(sum(model.tag(t)[0] == want for t in texts) / len(texts), 4)
            out[f"{name}_docs"] = len(texts)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m language_id.train", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of <label>.txt training files")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="more such folders")
    parser.add_argument("--out", type=Path, required=True, help="model file to write (.ftz)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    meta = train([args.data, *args.extra], args.out, TrainConfig(seed=args.seed))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), labels: {', '.join(meta['lines'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
