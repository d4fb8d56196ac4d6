"""k-fold cross-validation of the language model and of the variety markers on general text.

    python -m language_id.crossval --data ../shared/data/lid-train --extra ../shared/data/lid-train-extra \\
        [--folds 5] [--dev ../shared/data/lid-dev] [--set KEY=VALUE ...]

Language model: the training lines are cut into `folds` folds by a hash of the line; for each
fold a model is trained (the `TrainConfig` of `train.py`, `--set` overrides a field, e.g.
`--set fragments_per_line=2`) on the other folds and scored on the held fold's lines and on one
2-8-word fragment of each (short text). With `--dev`, each fold's model also scores the dev
sets (evaluation only: nothing is chosen on them here). Prints per-label F1, mean and standard
deviation over the folds.

Variety on general text: the po-variety pairs (the same interface strings in both standards)
are cut into folds by a hash of the central string; the marker regression is fit as in
`train.train_variety` without the held fold's pairs and scored on them: Valencian strings tagged
`ca-valencia`, their central counterparts tagged `ca`, alone and as 3-string documents.

Cost: one language-model training per fold (~1 minute each on one core).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import zlib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from language_id import data
from language_id.evaluate import load_labelled, score
from language_id.identifier import Identifier, sidecar_path
from language_id.markers import register_hits
from language_id.train import TrainConfig, _documents, in_fresh_process, train_language_model
from language_id.variety import VarietyModel, fit_weighted

DEV_SETS = ("flores200-dev", "floresplus-dev", "tatoeba")


def fold_of(line: str, folds: int) -> int:
    return zlib.crc32(line.encode("utf-8")) % folds


def language_folds(data_dirs: list[Path], cfg: TrainConfig, folds: int, dev: Path | None) -> list[dict[str, Any]]:
    """Per fold: {"lines": per-label F1, "fragments": per-label F1, "<dev set>": per-label F1}."""
    corpus = data.to_language_labels(data.merge(*(data.load_folder(d) for d in data_dirs)))
    results = []
    for k in range(folds):
        train = {label: [x for x in lines if fold_of(x, folds) != k] for label, lines in corpus.items()}
        held = {label: [x for x in lines if fold_of(x, folds) == k] for label, lines in corpus.items()}
        with tempfile.TemporaryDirectory() as tmp:
            model = Path(tmp) / "fold.ftz"
            in_fresh_process(train_language_model, train, model, cfg)
            info = {"priors": cfg.priors, "short_words": 10, "und_below": 0.0}
            sidecar_path(model).write_text(json.dumps(info), encoding="utf-8")
            ident = Identifier(model, und_below=0.0)
            rng = random.Random(cfg.seed + k)
            gold, texts, fgold, frags = [], [], [], []
            for label in sorted(held):
                for line in held[label][:3000]:
                    gold.append(label)
                    texts.append(line)
                    frag = data.fragment(line, rng)
                    if frag:
                        fgold.append(label)
                        frags.append(frag)
            fold: dict[str, Any] = {
                "lines": _f1(gold, [p.lang for p in ident.predict(texts)]),
                "fragments": _f1(fgold, [p.lang for p in ident.predict(frags)]),
            }
            for name in DEV_SETS if dev is not None else ():
                g, t = load_labelled(dev / name)  # type: ignore[operator]
                fold[name] = _f1([x.replace("oc-aranese", "oc") for x in g], [p.lang for p in ident.predict(t)])
        print(f"fold {k}: " + ", ".join(f"{n} macro {v['macro']:.4f}" for n, v in fold.items()), flush=True)
        results.append(fold)
    return results


def _f1(gold: list[str], predicted: list[str]) -> dict[str, float]:
    report = score(gold, predicted)
    return {"macro": report.macro_f1, **{label: s.f1 for label, s in report.per_label.items()}}


def variety_folds(data_dirs: list[Path], cfg: TrainConfig, folds: int) -> list[dict[str, float]]:
    """Per fold: Valencian recall and central accuracy on held-out po pairs (1 and 3 strings)."""
    valencian, central, pairs = data.variety_sources(data_dirs)
    valencian = [x for x in valencian if not data.is_heldout(x, share=cfg.heldout_share)]
    central = [x for x in central if not data.is_heldout(x, share=cfg.heldout_share)]
    central_admin = [x for x in central if register_hits(x) > 0]
    central_general = [x for x in central if register_hits(x) == 0]
    g = cfg.variety_group_weights
    out = []
    for k in range(folds):
        rng = random.Random(cfg.seed)
        train_pairs = [p for p in pairs if fold_of(p[0], folds) != k]
        held = [p for p in pairs if fold_of(p[0], folds) == k]
        weights, bias = fit_weighted(
            [
                (_documents(valencian, rng), 1, g["va"]),
                (_documents(central_admin, rng), 0, g["ca_admin"]),
                (_documents(central_general, rng), 0, g["ca_general"]),
                (_documents([v for _, v in train_pairs], rng), 1, g["po_va"]),
                (_documents([c for c, _ in train_pairs], rng), 0, g["po_ca"]),
            ],
            l2=cfg.variety_l2,
        )
        model = replace(VarietyModel(weights=weights, bias=bias), threshold=cfg.variety_threshold)
        va1, ca1 = [v for _, v in held], [c for c, _ in held]
        va3 = [" ".join(va1[i : i + 3]) for i in range(0, len(va1) - 2, 3)]
        ca3 = [" ".join(ca1[i : i + 3]) for i in range(0, len(ca1) - 2, 3)]
        fold = {
            "valencian_1": sum(model.tag(t)[0] == "ca-valencia" for t in va1) / len(va1),
            "central_1": sum(model.tag(t)[0] == "ca" for t in ca1) / len(ca1),
            "valencian_3": sum(model.tag(t)[0] == "ca-valencia" for t in va3) / len(va3),
            "central_3": sum(model.tag(t)[0] == "ca" for t in ca3) / len(ca3),
        }
        print(f"variety fold {k}: " + ", ".join(f"{n} {v:.3f}" for n, v in fold.items()), flush=True)
        out.append(fold)
    return out


def summary(folds: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """set -> label -> (mean, standard deviation) over the folds."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name in folds[0]:
        labels = folds[0][name]
        out[name] = {}
        for label in labels:
            values = [f[name][label] for f in folds]
            out[name][label] = (statistics.mean(values), statistics.pstdev(values))
    return out


def _override(cfg: TrainConfig, items: list[str]) -> TrainConfig:
    types = {f.name: f.type for f in fields(cfg)}
    changes: dict[str, Any] = {}
    for item in items:
        key, _, value = item.partition("=")
        if key not in types:
            raise SystemExit(f"--set {key}: not a TrainConfig field")
        changes[key] = json.loads(value)
    return replace(cfg, **changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m language_id.crossval", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--extra", type=Path, action="append", default=[])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dev", type=Path, default=None, help="lid-dev folder: also score each fold's model there")
    parser.add_argument("--set", action="append", default=[], help="TrainConfig override, e.g. fragments_per_line=2")
    parser.add_argument("--no-language", action="store_true", help="only the variety folds")
    args = parser.parse_args(argv)
    cfg = _override(TrainConfig(), args.set)
    dirs = [args.data, *args.extra]
    report: dict[str, Any] = {"config": args.set, "folds": args.folds}
    report["variety"] = summary([{"po": f} for f in variety_folds(dirs, cfg, args.folds)])["po"]
    if not args.no_language:
        report["language"] = summary(language_folds(dirs, cfg, args.folds, args.dev))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
