"""Train, evaluate and document the shipped NER model (``models/ner``).

Run from the repository root::

    .venv/bin/python -m newsnlp.train.ner --data-dir ../shared/data --out models/ner

It reads CLUENER2020, Resume NER and the MSRA validation part (JSONL with character
offsets), trains a char + bigram + jieba-feature BiLSTM-CRF with one head per corpus,
keeps the epoch with the best score on validation slices carved from the training data,
and writes ``model.pt``, ``config.json``, ``vocab.json``, ``metrics.json`` and
``MODEL_CARD.md``.

``--combine DIR DIR ...`` trains nothing: it writes the ensemble of model directories
trained by this script (same data, any hidden size, seed, EMA or upsampling) to ``--out``
and scores it like a trained model (validation slices, held-out sets, card)::

    .venv/bin/python -m newsnlp.train.ner --data-dir ../shared/data --out models/ner \
        --combine build/ner-a build/ner-b

Splits (fixed, so runs are comparable):

* CLUENER2020: ``train`` records whose numeric id ``% 20 == 0`` are the validation slice,
  the rest are trained on; ``dev`` is held out and only evaluated.
* Resume NER: ``train`` minus ``id % 20 == 0`` (validation slice) is trained on; ``dev``
  and ``test`` are held out.
* MSRA (3000 sentences of the validation part): numeric id ``% 3 == 2`` is the held-out
  evaluation third; of the rest, ``id % 10 == 0`` is the validation slice, the others
  are trained on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..evaluation.splits import role_of  # noqa: F401 (its home; re-exported for the 0.1 path)
from ..entities.backends.bilstm_crf import (
    BOS,
    CONFIG_FILE,
    EOS,
    PAD,
    UNK,
    VOCAB_FILE,
    WEIGHTS_FILE,
    FeatureExtractor,
    NERTagger,
    bioes_tags,
    build_network,
    collate,
    normalize_char,
    spans_to_tags,
    split_windows,
)

# Each corpus keeps its own labels (one CRF head each); "output" maps them to newsnlp's
# (label, ORG subtype). Labels mapped to None are learnt (so the model knows a film title
# is not an organisation) but never returned.
DOMAINS: dict[str, dict[str, Any]] = {
    "cluener": {
        "corpus": "cluener2020",
        "labels": ["name", "position", "government", "organization", "company", "address",
                   "scene", "book", "game", "movie"],
        "output": {
            "name": ["PERSON", None],
            "position": ["TITLE", None],
            "government": ["ORG", "gov"],
            "organization": ["ORG", "organisation"],
            "company": ["ORG", "company"],
            "address": ["LOC", None],
            "scene": None, "book": None, "game": None, "movie": None,
        },
    },
    "msra": {
        "corpus": "msra_ner",
        "labels": ["PER", "LOC", "ORG"],
        "output": {"PER": ["PERSON", None], "LOC": ["LOC", None], "ORG": ["ORG", None]},
    },
    "resume": {
        "corpus": "resume_ner",
        "labels": ["NAME", "ORG", "TITLE", "LOC", "EDU", "PRO", "CONT", "RACE"],
        "output": {
            "NAME": ["PERSON", None], "ORG": ["ORG", None], "TITLE": ["TITLE", None],
            "LOC": ["LOC", None], "EDU": None, "PRO": None, "CONT": None, "RACE": None,
        },
    },
}
DEFAULT_DOMAIN = "cluener"

# Maps from newsnlp predictions back to each corpus' labels, for evaluation. Keys are
# "LABEL.subtype" or "LABEL" (the plain label matches any subtype).
CLUENER_LABEL_MAP = {
    "PERSON": "name", "TITLE": "position", "ORG.gov": "government",
    "ORG.organisation": "organization", "ORG.company": "company", "LOC": "address",
}
MSRA_LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC"}
RESUME_LABEL_MAP = {"PERSON": "NAME", "ORG": "ORG", "TITLE": "TITLE", "LOC": "LOC"}

# The issue's acceptance bar (exact-span F1, percent).
TARGETS = {
    "cluener_dev": {"name": 74.0, "organization": 76.0, "government": 77.3, "position": 70.2},
    "msra_eval": {"ORG": 72.0, "PER": 85.0},
}


# ---------------------------------------------------------------------------
# Data




def load_corpus(data_dir: Path, corpus: str) -> list[dict[str, Any]]:
    """Read one corpus' JSONL records."""
    path = Path(data_dir) / corpus / f"{corpus}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; --data-dir must hold {corpus}/{corpus}.jsonl")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]




def load_splits(data_dir: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Return ``{domain: {role: records}}`` for every corpus."""
    splits: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for domain, spec in DOMAINS.items():
        by_role: dict[str, list[dict[str, Any]]] = {}
        for record in load_corpus(data_dir, spec["corpus"]):
            by_role.setdefault(role_of(domain, record), []).append(record)
        splits[domain] = by_role
    return splits


def windows_of(record: Mapping[str, Any], labels: Sequence[str]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Cut a record into model windows with the entities (of known labels) inside each."""
    text = record["text"]
    keep = set(labels)
    out = []
    for start, end in split_windows(text):
        spans = [
            (e["start"] - start, e["end"] - start, e["type"])
            for e in record["entities"]
            if e["type"] in keep and e["start"] >= start and e["end"] <= end
        ]
        out.append((text[start:end], spans))
    return out


def build_vocab(texts: Iterable[str], extractor_words, *, bigram_min_count: int) -> dict[str, list[str]]:
    """Characters (all seen), bigrams seen ``bigram_min_count`` times, jieba POS flags."""
    chars: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    pos: Counter[str] = Counter()
    for text in texts:
        norm = [normalize_char(c) for c in text]
        chars.update(norm)
        padded = [BOS, *norm, EOS]
        bigrams.update(a + b for a, b in zip(padded, padded[1:]))
        pos.update(flag for _, flag in extractor_words(text))
    return {
        "chars": [PAD, UNK] + sorted(chars),
        "bigrams": [PAD, UNK] + sorted(b for b, n in bigrams.items() if n >= bigram_min_count),
        "pos": [PAD, UNK] + sorted(pos),
    }


# ---------------------------------------------------------------------------
# Evaluation


def _map_prediction(label: str, subtype: str | None, label_map: Mapping[str, str]) -> str | None:
    if subtype is not None and f"{label}.{subtype}" in label_map:
        return label_map[f"{label}.{subtype}"]
    return label_map.get(label)


def score_spans(gold: Iterable[tuple[int, int, int, str]], predicted: Iterable[tuple[int, int, int, str]]) -> dict[str, Any]:
    """Exact-span precision/recall/F1 per label and micro-averaged.

    Args:
        gold: ``(record index, start, end, label)`` tuples.
        predicted: the same for predictions.

    Returns:
        ``{"labels": {label: {"precision", "recall", "f1", "support", "predicted"}}, "micro": {...}}``
        with scores in percent.
    """
    gold_set, pred_set = set(gold), set(predicted)
    labels = sorted({g[3] for g in gold_set} | {p[3] for p in pred_set})

    def prf(g: set, p: set) -> dict[str, float]:
        tp = len(g & p)
        precision = 100.0 * tp / len(p) if p else 0.0
        recall = 100.0 * tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 2), "recall": round(recall, 2), "f1": round(f1, 2),
                "support": len(g), "predicted": len(p)}

    per_label = {
        label: prf({g for g in gold_set if g[3] == label}, {p for p in pred_set if p[3] == label})
        for label in labels
    }
    return {"labels": per_label, "micro": prf(gold_set, pred_set)}


def evaluate(
    tagger: NERTagger,
    records: Sequence[Mapping[str, Any]],
    label_map: Mapping[str, str],
    *,
    domain: str | None = None,
    batch_size: int = 64,
) -> dict[str, Any]:
    """Score a tagger on labelled records, in the records' own labels.

    Predictions are mapped to the corpus' labels with ``label_map`` (keys "LABEL.subtype"
    or "LABEL", the latter matching any subtype); predictions that map to nothing are
    dropped, and gold entities whose label is not a value of ``label_map`` are ignored.

    Args:
        tagger: a loaded :class:`~newsnlp.entities.backends.bilstm_crf.NERTagger`.
        records: dicts with ``text`` and ``entities`` [{type, start, end}] (character offsets).
        label_map: prediction label -> corpus label, e.g. ``CLUENER_LABEL_MAP``.
        domain: the tagger head to use (``None``: its default, news).
        batch_size: passed to ``predict``.

    Returns:
        ``score_spans`` output plus ``n_records`` and ``domain``.

    Example:
        >>> from newsnlp.entities.backends.bilstm_crf import NERTagger
        >>> tagger = NERTagger.load()
        >>> evaluate(tagger, [{"text": "李谦出席。", "entities": [{"type": "PER", "start": 0, "end": 2}]}],
        ...          MSRA_LABEL_MAP)["labels"]["PER"]["f1"]
        100.0
    """
    wanted = set(label_map.values())
    predictions = tagger.predict([r["text"] for r in records], batch_size=batch_size, domain=domain)
    gold = [
        (i, e["start"], e["end"], e["type"])
        for i, r in enumerate(records)
        for e in r["entities"]
        if e["type"] in wanted
    ]
    predicted = []
    for i, spans in enumerate(predictions):
        for span in spans:
            mapped = _map_prediction(span.label, span.subtype, label_map)
            if mapped is not None:
                predicted.append((i, span.start, span.end, mapped))
    result = score_spans(gold, predicted)
    result["n_records"] = len(records)
    result["domain"] = domain or tagger.default_domain
    return result


def chars_per_second(tagger: NERTagger, texts: Sequence[str], *, batch_size: int = 64) -> float:
    """Throughput of ``predict`` on one CPU thread (jieba features included)."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        tagger.predict(texts[:8], batch_size=batch_size)  # warm jieba and torch
        start = time.perf_counter()
        tagger.predict(texts, batch_size=batch_size)
        elapsed = time.perf_counter() - start
    finally:
        torch.set_num_threads(previous)
    return sum(len(t) for t in texts) / elapsed


# ---------------------------------------------------------------------------
# Training


def _batches(items: list[tuple[str, int]], lengths: Mapping[tuple[str, int], int], batch_size: int, rng: random.Random):
    """Length-bucketed batches within a domain, shuffled."""
    by_domain: dict[str, list[tuple[str, int]]] = {}
    for item in items:
        by_domain.setdefault(item[0], []).append(item)
    batches = []
    for domain_items in by_domain.values():
        rng.shuffle(domain_items)
        # sort within chunks of 50 batches so batches hold similar lengths but vary between epochs
        chunk = batch_size * 50
        for i in range(0, len(domain_items), chunk):
            part = sorted(domain_items[i : i + chunk], key=lambda it: lengths[it])
            batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def _word_dropout(ids, rate: float, unk: int, rng_tensor):
    import torch

    if rate <= 0:
        return ids
    drop = (torch.rand(ids.shape, generator=rng_tensor) < rate) & (ids > 1)
    return ids.masked_fill(drop, unk)


def train(args: argparse.Namespace) -> dict[str, Any]:
    """Train, select the best epoch, write the model directory; return the metrics."""
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    rng_tensor = torch.Generator().manual_seed(args.seed)
    started = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    splits = load_splits(Path(args.data_dir))
    if args.limit:
        for by_role in splits.values():
            for role in by_role:
                by_role[role] = by_role[role][: args.limit]
    for domain, by_role in splits.items():
        print(domain, {role: len(r) for role, r in by_role.items()}, flush=True)

    if args.msra_train:
        # The full MSRA training file (none of its sentences is in msra_ner's validation part,
        # see its SOURCE.json) joins the MSRA head's training records; the held-out third stays out.
        extra = load_corpus(Path(args.data_dir), "msra_ner_train")
        if args.limit:
            extra = extra[: args.limit]
        splits["msra"]["train"] = splits["msra"].get("train", []) + extra
        print(f"msra_ner_train: {len(extra)} records added to msra/train", flush=True)

    if args.init_from:
        # Fine-tune: the vocabulary, layer sizes and weights of an existing model directory
        # (an ensemble too: each member is trained on its own loss, as if trained apart).
        init = Path(args.init_from)
        vocab = json.loads((init / VOCAB_FILE).read_text(encoding="utf-8"))
        config = json.loads((init / CONFIG_FILE).read_text(encoding="utf-8"))
        extractor = FeatureExtractor(vocab)
        network = build_network(config)
        state = torch.load(init / WEIGHTS_FILE, map_location="cpu", weights_only=True)
        network.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
        print(f"fine-tuning {init} ({len(config.get('members') or [1])} network(s))", flush=True)
        for head, encoder in (args.head_encoder or {}).items():
            # The head learns to read another head's LSTM run (its corpus vector), so that
            # decoding both takes one run (NERTagger.predict_heads).
            config["domains"][head]["encoder"] = encoder
            network = build_network(config)
            network.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
        if args.train_heads:
            _freeze_all_but_heads(network, args.train_heads)
            for domain in list(splits):
                if domain not in args.train_heads:
                    splits[domain]["train"] = []
            print(f"training only the heads of {', '.join(args.train_heads)}; encoder and other heads frozen", flush=True)
    else:
        extractor = FeatureExtractor({"chars": [PAD, UNK], "bigrams": [PAD, UNK], "pos": [PAD, UNK]})
        train_texts = [r["text"] for d in splits.values() for r in d.get("train", [])]
        vocab = build_vocab(train_texts, extractor.words, bigram_min_count=args.bigram_min_count)
        print({k: len(v) for k, v in vocab.items()}, f"{time.time() - started:.0f}s", flush=True)
        extractor = FeatureExtractor(vocab)
        config = _new_config(args, vocab)
        network = build_network(config)
    _train_loop(args, network, config, vocab, extractor, splits, started, torch, rng, rng_tensor)
    return _save_trained(args, network, config, vocab, splits, started)


def _freeze_all_but_heads(network, heads: Sequence[str]) -> list[str]:
    """Stop the gradients of every weight but the emission layer and CRF of ``heads``; their names."""
    trainable = []
    for name, param in network.named_parameters():
        keep = any(f"heads.{h}." in f".{name}" or f"crfs.{h}." in f".{name}" for h in heads)
        param.requires_grad_(keep)
        if keep:
            trainable.append(name)
    if not trainable:
        raise ValueError(f"no weights belong to the heads {', '.join(heads)}")
    return trainable


def _new_config(args: argparse.Namespace, vocab: Mapping[str, list]) -> dict[str, Any]:
    return {
        "format": 1,
        "architecture": "char+bigram+jieba(BMES,POS) BiLSTM-CRF, one head per corpus",
        "n_chars": len(vocab["chars"]),
        "n_bigrams": len(vocab["bigrams"]),
        "n_pos": len(vocab["pos"]),
        "dims": {"char": args.char_dim, "bigram": args.bigram_dim, "seg": 8, "pos": 16,
                 "domain": 8, "hidden": args.hidden},
        "layers": args.layers,
        "dropout": args.dropout,
        "domains": {name: {"labels": spec["labels"], "output": spec["output"]} for name, spec in DOMAINS.items()},
        "default_domain": DEFAULT_DOMAIN,
    }


def _network_loss(network, batch, domain: str):
    """The CRF loss; an ensemble's members each learn their own (summed, so gradients stay apart)."""
    members = getattr(network, "members", None)
    if members is not None:
        return sum(member.loss(batch, domain) for member in members)
    return network.loss(batch, domain)


def _train_loop(args, network, config, vocab, extractor, splits, started, torch, rng, rng_tensor) -> None:
    # Pre-encode every training window once (jieba is the slow part).
    encoded: dict[tuple[str, int], dict[str, list[int]]] = {}
    gold_tags: dict[tuple[str, int], list[int]] = {}
    items: list[tuple[str, int]] = []
    for domain, spec in DOMAINS.items():
        tag_index = {t: i for i, t in enumerate(bioes_tags(spec["labels"]))}
        n = 0
        for record in splits[domain].get("train", []):
            for text, spans in windows_of(record, spec["labels"]):
                key = (domain, n)
                n += 1
                encoded[key] = extractor.encode(text)
                gold_tags[key] = [tag_index[t] for t in spans_to_tags(len(text), spans)]
                for _ in range(args.upsample.get(domain, 1)):
                    items.append(key)
    lengths = {k: len(v["chars"]) for k, v in encoded.items()}
    print(f"encoded {len(encoded)} windows, {len(items)} items/epoch, {time.time() - started:.0f}s", flush=True)

    optimizer = torch.optim.Adam([p for p in network.parameters() if p.requires_grad], lr=args.lr)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=args.lr_decay)
    best_score, best_state, best_epoch, history = -1.0, None, -1, []
    unk_char, unk_bigram = vocab["chars"].index(UNK), vocab["bigrams"].index(UNK)
    deadline = started + args.max_minutes * 60
    # An exponential moving average of the weights is what gets evaluated and kept when
    # --ema > 0: it smooths the noise of the last updates on small corpora.
    params = [p for _, p in network.named_parameters() if p.requires_grad]  # frozen weights stay bit for bit
    ema = [p.detach().clone() for p in params] if args.ema > 0 else None
    global_step = 0
    if args.init_from:
        # the starting point is a candidate too: fine-tuning keeps it unless an epoch beats it
        network.eval()
        val, score = validation_scores(_raw_tagger(network, config, vocab, extractor), splits)
        history.append({"epoch": 0, "loss": 0.0, "val_f1": val, "score": round(score, 2), "seconds": 0.0})
        print(json.dumps(history[-1]), flush=True)
        best_score, best_epoch = score, 0
        best_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
    order: list[Any] = []
    for epoch in range(1, args.epochs + 1):
        network.train()
        total, count, steps = 0.0, 0, 0
        epoch_start = time.time()
        epoch_batches = _batches(items, lengths, args.batch_size, rng)
        if args.batches_per_epoch:
            # an "epoch" is a slice of a long shuffled stream, so validation comes often enough
            while len(order) < args.batches_per_epoch:
                order.extend(_batches(items, lengths, args.batch_size, rng))
            epoch_batches, order = order[: args.batches_per_epoch], order[args.batches_per_epoch :]
        for batch_items in epoch_batches:
            if time.time() > deadline:
                print(f"stopping inside epoch {epoch}: --max-minutes {args.max_minutes} reached", flush=True)
                break
            domain = batch_items[0][0]
            batch = collate([encoded[k] for k in batch_items], [gold_tags[k] for k in batch_items])
            batch["chars"] = _word_dropout(batch["chars"], args.char_dropout, unk_char, rng_tensor)
            batch["bigrams"] = _word_dropout(batch["bigrams"], args.bigram_dropout, unk_bigram, rng_tensor)
            loss = _network_loss(network, batch, domain) / len(batch_items)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 5.0)
            optimizer.step()
            global_step += 1
            if ema is not None:
                decay = min(args.ema, (1 + global_step) / (10 + global_step))
                with torch.no_grad():
                    torch._foreach_mul_(ema, decay)
                    torch._foreach_add_(ema, params, alpha=1 - decay)
            total += loss.item() * len(batch_items)
            count += len(batch_items)
            steps += 1
            if steps % 100 == 0:
                print(f"  epoch {epoch} step {steps} loss {total / count:.3f} {time.time() - epoch_start:.0f}s", flush=True)
        scheduler.step()
        network.eval()
        if ema is not None:
            trained = [p.detach().clone() for p in params]
            with torch.no_grad():
                for p, e in zip(params, ema):
                    p.copy_(e)
        val, score = validation_scores(_raw_tagger(network, config, vocab, extractor), splits)
        history.append({"epoch": epoch, "loss": round(total / count, 3), "val_f1": val, "score": round(score, 2),
                        "seconds": round(time.time() - epoch_start, 1)})
        print(json.dumps(history[-1]), flush=True)
        if score > best_score:
            best_score, best_epoch = score, epoch
            best_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
        if ema is not None:
            with torch.no_grad():
                for p, t in zip(params, trained):
                    p.copy_(t)
        if time.time() > deadline or (not args.batches_per_epoch and time.time() + (time.time() - epoch_start) > deadline):
            print(f"stopping: the next epoch would pass --max-minutes {args.max_minutes}", flush=True)
            break
    assert best_state is not None
    network.load_state_dict(best_state)
    network.eval()
    args._history, args._best = history, (best_score, best_epoch, best_state)


def _save_trained(args, network, config, vocab, splits, started) -> dict[str, Any]:
    import torch

    history = args._history
    best_score, best_epoch, best_state = args._best
    out = Path(args.out)
    train_minutes = (time.time() - started) / 60

    # Weights in float16 halve the file; inference casts back to float32.
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in best_state.items()}, out / WEIGHTS_FILE)
    (out / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False) + "\n", encoding="utf-8")

    tagger = NERTagger.load(out)  # what users get: the float16 round trip included
    metrics = {
        "splits": "see newsnlp/train/ner.py module docstring",
        "train_records": {d: len(s.get("train", [])) for d, s in splits.items()},
        "val_records": {d: len(s.get("val", [])) for d, s in splits.items()},
        "best_epoch": best_epoch,
        "val_score": round(best_score, 2),
        "history": history,
        "train_minutes": round(train_minutes, 1),
        "threads": args.threads,
        "hyperparameters": {k: v for k, v in vars(args).items()
                            if k not in ("data_dir", "out", "combine") and not k.startswith("_")},
    }
    return _finish(out, tagger, splits, metrics, config, vocab)


def _finish(out: Path, tagger: NERTagger, splits, metrics: dict[str, Any], config, vocab) -> dict[str, Any]:
    """Score a written model on every held-out set; write metrics.json and MODEL_CARD.md."""
    metrics["eval"] = held_out_results(tagger, splits)
    metrics["targets"] = _check_targets(metrics["eval"])
    metrics["size_bytes"] = sum(p.stat().st_size for p in out.iterdir() if p.name in (WEIGHTS_FILE, CONFIG_FILE, VOCAB_FILE))
    metrics["cpu_chars_per_second_1_thread"] = round(
        chars_per_second(tagger, [r["text"] for r in splits["cluener"]["eval:cluener_dev"]]))
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(metrics, config, vocab), encoding="utf-8")
    print(json.dumps(metrics["targets"], indent=1), flush=True)
    return metrics


# Weight of each corpus' validation micro-F1 in the model-selection score.
VAL_WEIGHTS = {"cluener": 2.0, "msra": 1.0, "resume": 0.5}


def validation_scores(tagger: NERTagger, splits) -> tuple[dict[str, float], float]:
    """Micro-F1 of each head on its corpus' validation slice, and their weighted mean.

    The weighted mean (2 x CLUENER + 1 x MSRA + 0.5 x Resume) picks the epoch to keep and
    the members of an ensemble; held-out sets never enter it.
    """
    val = {}
    for domain in VAL_WEIGHTS:
        labels = {v: v for v in DOMAINS[domain]["labels"]}
        val[domain] = _evaluate_raw(tagger, splits[domain]["val"], domain, labels)["micro"]["f1"]
    score = sum(VAL_WEIGHTS[d] * val[d] for d in VAL_WEIGHTS) / sum(VAL_WEIGHTS.values())
    return val, score


def held_out_results(tagger: NERTagger, splits) -> dict[str, Any]:
    """Scores on the held-out sets (CLUENER dev, MSRA evaluation third, Resume dev/test)."""
    return {
        "cluener_dev": evaluate(tagger, splits["cluener"]["eval:cluener_dev"], CLUENER_LABEL_MAP),
        "msra_eval": evaluate(tagger, splits["msra"]["eval:msra_eval"], MSRA_LABEL_MAP, domain="msra"),
        "msra_eval_news_head": evaluate(tagger, splits["msra"]["eval:msra_eval"], MSRA_LABEL_MAP),
        "resume_test": evaluate(tagger, splits["resume"]["eval:resume_test"], RESUME_LABEL_MAP, domain="resume"),
        "resume_dev": evaluate(tagger, splits["resume"]["eval:resume_dev"], RESUME_LABEL_MAP, domain="resume"),
        "cluener_dev_all_labels": _evaluate_raw(
            tagger, splits["cluener"]["eval:cluener_dev"], "cluener",
            {v: v for v in DOMAINS["cluener"]["labels"]}),
    }


# ---------------------------------------------------------------------------
# Ensembles


def _check_model_dir(directory: Path, *also: str) -> None:
    """Raise ValueError unless ``directory`` holds a model of this script (and the files ``also``)."""
    for name in (CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE, *also):
        if not (directory / name).is_file():
            raise ValueError(f"{str(directory)!r} lacks {name}: pass directories written by "
                             "`python -m newsnlp.train.ner --out DIR`")


def interpolate(base: str | Path, other: str | Path, alpha: float, out: str | Path,
                data_dir: str | Path | None = None) -> dict[str, Any]:
    """Write ``(1 - alpha) * base + alpha * other``, weight by weight, to ``out`` (a model soup).

    ``other`` must be a fine-tune of ``base`` (``--init-from``): same config and vocabulary, so
    the weights line up. Averaging a fine-tune with its start trades the fine-tune's gains
    against what it forgot (Wortsman et al. 2022, "Robust fine-tuning of zero-shot models"); the
    alpha to keep is chosen on the validation slices, never on held-out sets. With
    ``data_dir`` the result's validation scores are computed and returned (``val_f1``,
    ``val_score``).

    Raises:
        ValueError: ``alpha`` outside [0, 1], a directory without a model, or models whose
            config, vocabulary or weight names or shapes differ.
    """
    import torch

    torch.set_num_threads(1)
    if not 0.0 <= float(alpha) <= 1.0:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    base, other, out = Path(base), Path(other), Path(out)
    loaded = []
    for directory in (base, other):
        _check_model_dir(directory)
        loaded.append((json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8")),
                       json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8")),
                       torch.load(directory / WEIGHTS_FILE, map_location="cpu", weights_only=True)))
    (config, vocab, a), (other_config, other_vocab, b) = loaded
    if other_config != config or other_vocab != vocab:
        raise ValueError(f"{str(other)!r} has another config or vocabulary than {str(base)!r}: "
                         "interpolate a model with its own fine-tune (--init-from)")
    if a.keys() != b.keys() or any(a[k].shape != b[k].shape for k in a):
        raise ValueError(f"the weights of {str(other)!r} do not line up with {str(base)!r}")
    state = {k: ((1 - alpha) * a[k].float() + alpha * b[k].float()).to(a[k].dtype) if a[k].is_floating_point() else a[k]
             for k in a}
    out.mkdir(parents=True, exist_ok=True)
    torch.save(state, out / WEIGHTS_FILE)
    (out / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False) + "\n", encoding="utf-8")
    result: dict[str, Any] = {"base": str(base), "other": str(other), "alpha": float(alpha)}
    if data_dir is not None:
        val, score = validation_scores(NERTagger.load(out), load_splits(Path(data_dir)))
        result.update(val_f1=val, val_score=round(score, 2))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def combine(members: Sequence[str | Path], out: str | Path, data_dir: str | Path) -> dict[str, Any]:
    """Write an ensemble of trained model directories to ``out``, scored like a trained model.

    The members must come from this script on the same data (same vocabulary and heads);
    they may differ in hidden size, seed, EMA and upsampling. Emissions and CRF scores are
    averaged at prediction time (see :func:`newsnlp.entities.backends.bilstm_crf.build_network`).

    Raises:
        ValueError: fewer than two members, a member that is itself an ensemble, or members
            whose vocabulary or heads differ.
    """
    import torch

    torch.set_num_threads(1)
    directories = [Path(m) for m in members]
    if len(directories) < 2:
        raise ValueError(f"an ensemble needs at least two model directories, got {len(directories)}")
    configs, metrics_of, vocab = [], [], None
    for directory in directories:
        _check_model_dir(directory, "metrics.json")
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        if config.get("members"):
            raise ValueError(f"{str(directory)!r} is already an ensemble; pass its members instead")
        member_vocab = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        if vocab is None:
            vocab = member_vocab
        elif member_vocab != vocab:
            raise ValueError(f"{str(directory)!r} has another vocabulary than {str(directories[0])!r}: "
                             "ensemble members must be trained on the same data with the same --bigram-min-count")
        shared = {k: v for k, v in config.items() if k != "dims"}
        first = {k: v for k, v in configs[0].items() if k != "dims"} if configs else shared
        if shared != first:
            raise ValueError(f"{str(directory)!r} differs from {str(directories[0])!r} outside the layer sizes "
                             "(heads, vocabulary sizes, layers or dropout); it cannot join the ensemble")
        configs.append(config)
        metrics_of.append(json.loads((directory / "metrics.json").read_text(encoding="utf-8")))
    assert vocab is not None
    base_dims = configs[0]["dims"]
    ensemble = dict(configs[0])
    ensemble["format"] = 2
    ensemble["architecture"] = (f"ensemble of {len(configs)} " + configs[0]["architecture"]
                                + "; emissions and CRF scores averaged")
    ensemble["members"] = [{"dims": {k: v for k, v in c["dims"].items() if base_dims.get(k) != v}} for c in configs]
    state = {}
    for i, directory in enumerate(directories):
        for key, value in torch.load(directory / WEIGHTS_FILE, map_location="cpu", weights_only=True).items():
            state[f"members.{i}.{key}"] = value
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(state, out / WEIGHTS_FILE)
    (out / CONFIG_FILE).write_text(json.dumps(ensemble, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / VOCAB_FILE).write_text(json.dumps(vocab, ensure_ascii=False) + "\n", encoding="utf-8")

    splits = load_splits(Path(data_dir))
    tagger = NERTagger.load(out)
    val, score = validation_scores(tagger, splits)
    metrics = {
        "splits": "see newsnlp/train/ner.py module docstring",
        "train_records": metrics_of[0]["train_records"],
        "val_records": metrics_of[0]["val_records"],
        "val_f1": val,
        "val_score": round(score, 2),
        "members": [
            {
                "source": str(directory),
                "hyperparameters": m["hyperparameters"],
                "best_epoch": m["best_epoch"],
                "val_score": m.get("val_score", next(h["score"] for h in m["history"] if h["epoch"] == m["best_epoch"])),
                "history": m["history"],
                "train_minutes": m["train_minutes"],
                "threads": m["threads"],
                "targets": m.get("targets", {}),
            }
            for directory, m in zip(directories, metrics_of)
        ],
    }
    print(f"ensemble validation score {score:.2f} (members: "
          + ", ".join(f"{m['val_score']:.2f}" for m in metrics["members"]) + ")", flush=True)
    return _finish(out, tagger, splits, metrics, ensemble, vocab)


def _raw_tagger(network, config, vocab, extractor) -> NERTagger:
    tagger = NERTagger(network, config, vocab)
    tagger.features = extractor  # share the loaded jieba
    return tagger


def _evaluate_raw(tagger: NERTagger, records, domain: str, label_map: Mapping[str, str]) -> dict[str, Any]:
    """Evaluate a head in its own corpus labels (no mapping to newsnlp labels)."""
    identity = {name: [name, None] for name in tagger.config["domains"][domain]["labels"]}
    saved = tagger._outputs[domain]
    tagger._outputs[domain] = {k: (v[0], v[1]) for k, v in identity.items()}
    try:
        return evaluate(tagger, records, label_map, domain=domain)
    finally:
        tagger._outputs[domain] = saved


def _check_targets(results: Mapping[str, Any]) -> dict[str, Any]:
    checks = {}
    for set_name, targets in TARGETS.items():
        for label, target in targets.items():
            f1 = results[set_name]["labels"].get(label, {}).get("f1", 0.0)
            checks[f"{set_name}/{label}"] = {"f1": f1, "target": target, "met": f1 >= target,
                                             "gap": round(f1 - target, 2)}
    return checks


# ---------------------------------------------------------------------------
# Model card


def _table(result: Mapping[str, Any]) -> str:
    rows = ["| label | P | R | F1 | gold | predicted |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, s in result["labels"].items():
        rows.append(f"| {label} | {s['precision']:.1f} | {s['recall']:.1f} | {s['f1']:.1f} | {s['support']} | {s['predicted']} |")
    m = result["micro"]
    rows.append(f"| **micro** | {m['precision']:.1f} | {m['recall']:.1f} | **{m['f1']:.1f}** | {m['support']} | {m['predicted']} |")
    return "\n".join(rows)


def _history_table(history: Sequence[Mapping[str, Any]]) -> str:
    rows = ["| epoch | loss | val F1 CLUENER | val F1 MSRA | val F1 Resume | seconds |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows += [
        f"| {h['epoch']} | {h['loss']:.2f} | {h['val_f1']['cluener']:.1f} | {h['val_f1']['msra']:.1f} | "
        f"{h['val_f1']['resume']:.1f} | {h['seconds']:.0f} |"
        for h in history
    ]
    return "\n".join(rows)


def train_command(hyperparameters: Mapping[str, Any], out: str) -> str:
    """The command line that trains a model with these hyperparameters (defaults left out).

    Example:
        >>> train_command({"hidden": 160, "seed": 13, "upsample": {"msra": 4}}, "build/ner-b")
        '.venv/bin/python -m newsnlp.train.ner --data-dir ../shared/data --out build/ner-b --hidden 160 --upsample msra=4'
    """
    defaults = vars(_parser().parse_args(["--data-dir", "-"]))
    flags = []
    for key, value in hyperparameters.items():
        if key not in defaults or defaults[key] == value or key == "limit":
            continue
        if value is True:  # a switch (--msra-train)
            flags.append(f"--{key.replace('_', '-')}")
            continue
        if isinstance(value, dict):
            value = ",".join(f"{k}={v}" for k, v in value.items())
        flags.append(f"--{key.replace('_', '-')} {value}")
    return " ".join([".venv/bin/python -m newsnlp.train.ner --data-dir ../shared/data --out", out, *flags])


def model_card(metrics: Mapping[str, Any], config: Mapping[str, Any], vocab: Mapping[str, list]) -> str:
    """Render MODEL_CARD.md from the metrics of a training run or of :func:`combine`."""
    ev = metrics["eval"]
    members = metrics.get("members") or [metrics]
    hp = members[0]["hyperparameters"]
    ensemble = "members" in metrics
    target_rows = ["| set / label | F1 | target | met | gap |", "| --- | ---: | ---: | :---: | ---: |"]
    for key, c in metrics["targets"].items():
        target_rows.append(f"| {key} | {c['f1']:.1f} | {c['target']:.1f} | {'yes' if c['met'] else 'no'} | {c['gap']:+.1f} |")
    hidden = " / ".join(str(m["hyperparameters"]["hidden"]) for m in members)
    if ensemble:
        what = (f"An **ensemble of {len(members)} character-level BiLSTM-CRF networks**, trained apart by the same "
                "script with different settings (table below); at prediction time their emissions and CRF "
                "scores are averaged, so Viterbi decodes the mean of their path scores. It finds")
        letter = "abcdefghij"
        outs = [f"build/ner-{letter[i]}" for i in range(len(members))]
        member_rows = ["| member | hidden | EMA | MSRA upsample | seed | best epoch | val score | minutes | MSRA PER | CLUENER gov |",
                       "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for out, m in zip(outs, members):
            h, t = m["hyperparameters"], m.get("targets", {})
            member_rows.append(
                f"| `{out}` | {h['hidden']} | {h.get('ema') or 'off'} | x{h['upsample'].get('msra', 1)} | {h['seed']} | "
                f"{m['best_epoch']} | {m['val_score']:.2f} | {m['train_minutes']} | "
                f"{t.get('msra_eval/PER', {}).get('f1', float('nan')):.1f} | "
                f"{t.get('cluener_dev/government', {}).get('f1', float('nan')):.1f} |")
        member_scores = ", ".join(f"{m['val_score']:.2f}" for m in members)
        selection = (f"Each member keeps its epoch with the best weighted validation micro-F1 "
                     f"(2 x CLUENER + 1 x MSRA + 0.5 x Resume, each head in its own labels). The ensemble's "
                     f"score on the same validation slices is **{metrics['val_score']:.2f}** "
                     f"(members: {member_scores}); members are "
                     "chosen on this score only. The member rows above also show each member alone on two held-out "
                     "labels, for comparison: they were not used to choose.")
        training = "\n\n".join(
            f"### Member `{out}`\n\n{m['train_minutes']} minutes on {m['threads']} CPU thread(s); "
            f"Adam lr {m['hyperparameters']['lr']} (x{m['hyperparameters']['lr_decay']} per epoch), batch "
            f"{m['hyperparameters']['batch_size']}, EMA {m['hyperparameters'].get('ema') or 'off'}, MSRA windows repeated "
            f"x{m['hyperparameters']['upsample'].get('msra', 1)} per epoch, seed {m['hyperparameters']['seed']}; "
            f"kept epoch {m['best_epoch']}.\n\n{_history_table(m['history'])}"
            for out, m in zip(outs, members))
        rebuild = "\n".join([*(train_command(m["hyperparameters"], out) for out, m in zip(outs, members)),
                             ".venv/bin/python -m newsnlp.train.ner --data-dir ../shared/data --out models/ner --combine "
                             + " ".join(outs)])
        members_block = "\n\nMembers:\n\n" + "\n".join(member_rows)
    else:
        what = "A character-level BiLSTM-CRF that finds"
        selection = ("Model selection: the epoch with the best weighted validation micro-F1\n"
                     "(2 x CLUENER + 1 x MSRA + 0.5 x Resume, each head in its own labels) — "
                     f"epoch {metrics['best_epoch']}.")
        training = (f"{metrics['train_minutes']} minutes on {metrics['threads']} CPU threads; Adam lr {hp['lr']} "
                    f"(x{hp['lr_decay']} per epoch), batch {hp['batch_size']}, character / bigram dropout to `<unk>` "
                    f"{hp['char_dropout']} / {hp['bigram_dropout']}, MSRA windows repeated "
                    f"x{hp['upsample'].get('msra', 1)} per epoch, seed {hp['seed']}.\n\n{_history_table(metrics['history'])}")
        rebuild = train_command(hp, "models/ner")
        members_block = ""
    return f"""# newsnlp NER model (`models/ner`)

{what} **PERSON**, **ORG** (with subtype `gov`, `company`,
`organisation` or none), **TITLE** and **LOC** spans in Chinese text. Used through
`newsnlp.entities.backends.bilstm_crf.NERTagger`:

```python
from newsnlp.entities.backends.bilstm_crf import NERTagger
tagger = NERTagger.load()          # this directory, offline
tagger.predict(["宁波市总工会主席李谦出席会议。"])
```

## Model

- Input per character: character embedding ({hp['char_dim']}d, {config['n_chars']} characters),
  embeddings of the bigrams ending and starting at it ({hp['bigram_dim']}d, {config['n_bigrams']}
  bigrams seen at least {hp['bigram_min_count']} times in the training data), jieba word boundary
  (B/M/E/S, 8d) and jieba part of speech of the word holding it ({config['n_pos']} tags, 16d),
  and a learnt corpus ("domain") vector (8d). Characters are NFKC-folded, lower-cased, digits -> 0.
- Shared BiLSTM ({hp['layers']} layer, {hidden} units per direction), dropout {hp['dropout']};
  **one linear + CRF head per training corpus**, because the corpora label differently
  (CLUENER tags addresses and subtypes organisations, MSRA tags short place names, Resume tags
  titles in resumes). BIOES tags; invalid BIOES transitions are forbidden in the CRF.
- `predict` uses the **CLUENER head** (news convention) unless `domain="msra"` or
  `domain="resume"` is passed. Texts are cut into windows of at most 250 characters after
  sentence punctuation; offsets index the original text.
- Files: `model.pt` (state dict, float16, written by `torch.save`), `config.json`, `vocab.json`
  (characters, bigrams, POS tags). Training reads and writes the weights with torch; at prediction
  `NERTagger.load()` reads `model.pt` without torch (`newsnlp.entities.backends.bilstm_crf.read_state_dict`: the
  archive's pickle with only tensor globals allowed, storages as raw arrays) and runs the network in
  numpy (`NumpyNetwork`), with the same tags as the torch modules (tested on the sample corpus and
  300 CLUENER dev sentences; scores agree to float32 rounding). `backend="torch"` loads the torch
  modules instead. Size on disk
  {metrics['size_bytes'] / 1e6:.1f} MB. Speed: {metrics['cpu_chars_per_second_1_thread']:,} characters/second on one CPU
  thread (CLUENER dev, jieba features included).{members_block}

## Training data and label mapping

| corpus | used | labels -> newsnlp |
| --- | --- | --- |
| CLUENER2020 (Sina News) | train minus validation slice | name -> PERSON; position -> TITLE; government -> ORG/gov; organization -> ORG/organisation; company -> ORG/company; address -> LOC (kept: CLUENER addresses run from country names to street addresses, so news LOC spans can be long); scene, book, game, movie learnt but never returned |
| Resume NER | train minus validation slice | NAME -> PERSON; ORG -> ORG (no subtype); TITLE -> TITLE; LOC -> LOC; EDU, PRO, CONT, RACE learnt, not returned |
| MSRA NER (3000 sentences of the validation part only) | two thirds, minus a validation slice | PER -> PERSON; ORG -> ORG (no subtype); LOC -> LOC |

Splits (deterministic, from the numeric part of each record id `n`):

- CLUENER2020: `train` with `n % 20 == 0` -> validation slice ({metrics['val_records']['cluener']} records); other
  `train` records -> training ({metrics['train_records']['cluener']}); `dev` held out, evaluation only.
- Resume NER: `train` with `n % 20 == 0` -> validation ({metrics['val_records']['resume']}); other `train` -> training
  ({metrics['train_records']['resume']}); `dev` and `test` held out.
- MSRA: `n % 3 == 2` -> held-out evaluation third (1000 records); otherwise `n % 10 == 0` ->
  validation ({metrics['val_records']['msra']}); the rest -> training ({metrics['train_records']['msra']}).

{selection}
No held-out set (CLUENER dev, Resume dev/test, MSRA evaluation third) was used for training or selection.

Terms: these corpora are published for research use (see `../shared/data/*/SOURCE.json`);
the weights are derived from them and carry the same restriction. No corpus text is stored
here; `vocab.json` lists single characters and character bigrams only.

## Evaluation (exact spans, percent)

### Acceptance targets

{chr(10).join(target_rows)}

MSRA numbers in the targets use the MSRA head (`domain="msra"`), trained on the other two
thirds; the news head's MSRA score is given below for comparison.

### CLUENER2020 dev (news head, predictions mapped back to CLUENER labels)

{_table(ev['cluener_dev'])}

All ten CLUENER labels (CLUENER head, its own labels):

{_table(ev['cluener_dev_all_labels'])}

### MSRA evaluation third, MSRA head

{_table(ev['msra_eval'])}

### MSRA evaluation third, news (CLUENER) head

{_table(ev['msra_eval_news_head'])}

### Resume NER test, Resume head

{_table(ev['resume_test'])}

### Resume NER dev, Resume head

{_table(ev['resume_dev'])}

## Training

{training}

Rebuild (from the repository root, data in `../shared/data`):

```
{rebuild}
```
"""


def _parse_head_encoder(value: str) -> dict[str, str]:
    """``msra=cluener[,resume=cluener]`` -> ``{"msra": "cluener", ...}``."""
    out = {}
    for part in value.split(","):
        head, sep, encoder = part.partition("=")
        if not sep or head.strip() not in DOMAINS or encoder.strip() not in DOMAINS:
            raise argparse.ArgumentTypeError(
                f"expected HEAD=DOMAIN with both among {', '.join(sorted(DOMAINS))}, got {part!r}")
        out[head.strip()] = encoder.strip()
    return out


def _parse_upsample(value: str) -> dict[str, int]:
    out = {}
    for part in filter(None, value.split(",")):
        name, _, times = part.partition("=")
        out[name] = int(times)
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Train the newsnlp NER model, or combine trained ones (--combine).")
    parser.add_argument("--data-dir", required=True, help="folder holding cluener2020/, resume_ner/, msra_ner/")
    parser.add_argument("--out", default="models/ner", help="model directory to write")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--max-minutes", type=float, default=38.0, help="stop before an epoch would pass this")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--lr-decay", type=float, default=0.92)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--char-dim", type=int, default=100)
    parser.add_argument("--bigram-dim", type=int, default=50)
    parser.add_argument("--bigram-min-count", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--char-dropout", type=float, default=0.02)
    parser.add_argument("--bigram-dropout", type=float, default=0.05)
    parser.add_argument("--upsample", type=_parse_upsample, default=_parse_upsample("msra=3"),
                        help="repeat a corpus' windows per epoch, e.g. msra=2,resume=1")
    parser.add_argument("--ema", type=float, default=0.0, help="weight moving-average decay per step (0: off)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="smoke test: keep this many records per split")
    parser.add_argument("--init-from", default=None, metavar="MODEL_DIR",
                        help="fine-tune this model directory (vocabulary, sizes and weights; an ensemble too)")
    parser.add_argument("--msra-train", action="store_true",
                        help="add the full MSRA training file (msra_ner_train/) to the MSRA head's training data")
    parser.add_argument("--batches-per-epoch", type=int, default=0,
                        help="validate and keep the best weights every this many batches (0: a full pass)")
    parser.add_argument("--train-heads", nargs="+", metavar="DOMAIN", default=None, choices=sorted(DOMAINS),
                        help="with --init-from: train only these heads (emission layer and CRF) on their corpora; "
                             "the encoder and the other heads stay as they are, bit for bit")
    parser.add_argument("--head-encoder", type=_parse_head_encoder, default=None, metavar="HEAD=DOMAIN",
                        help="with --init-from: HEAD reads DOMAIN's LSTM run (its corpus vector), e.g. msra=cluener, "
                             "so both heads decode from one run")
    parser.add_argument("--combine", nargs="+", metavar="MODEL_DIR", default=None,
                        help="do not train: write the ensemble of these trained model directories to --out")
    parser.add_argument("--interpolate", nargs=2, metavar=("BASE", "FINE_TUNE"), default=None,
                        help="do not train: write (1 - alpha) * BASE + alpha * FINE_TUNE to --out and print its "
                             "validation scores")
    parser.add_argument("--alpha", type=float, default=0.5, help="the fine-tune's share with --interpolate")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.combine:
        combine(args.combine, args.out, args.data_dir)
    elif args.interpolate:
        interpolate(*args.interpolate, args.alpha, args.out, args.data_dir)
    else:
        train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
