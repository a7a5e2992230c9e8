"""Tests for NER ensembles: ``train.ner --combine`` and prediction with averaged members.

Two tiny members are trained for one epoch on a corpus written here (the real corpora are
never read), then combined.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from newsnlp.entities.backends.bilstm_crf import NERTagger, collate, member_config, viterbi  # noqa: E402
from newsnlp.train import ner as train_ner  # noqa: E402

# Sentences written for this test: (text, [(start, end, label)]).
CLUENER_LIKE = [
    ("宁波市总工会主席李谦出席会议。", [(0, 6, "organization"), (6, 8, "position"), (8, 10, "name")]),
    ("市政府副市长王明到江北区调研。", [(0, 3, "government"), (3, 6, "position"), (6, 8, "name"), (9, 12, "address")]),
    ("海天集团董事长张华发布新品。", [(0, 4, "company"), (4, 7, "position"), (7, 9, "name")]),
]
MSRA_LIKE = [
    ("李谦在宁波会见了新华社记者。", [(0, 2, "PER"), (3, 5, "LOC"), (8, 11, "ORG")]),
    ("王明昨天离开北京。", [(0, 2, "PER"), (6, 8, "LOC")]),
]
RESUME_LIKE = [
    ("张华，男，现任海天集团董事长。", [(0, 2, "NAME"), (7, 11, "ORG"), (11, 14, "TITLE")]),
]


def _records(prefix: str, rows, n: int, split_of) -> list[dict]:
    out = []
    for i in range(n):
        text, spans = rows[i % len(rows)]
        entities = [{"type": t, "start": s, "end": e, "text": text[s:e]} for s, e, t in spans]
        out.append({"id": f"{prefix}-{i}", "split": split_of(i), "text": text, "entities": entities})
    return out


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ner_data")
    corpora = {
        "cluener2020": _records("cluener", CLUENER_LIKE, 46, lambda i: "dev" if i >= 40 else "train"),
        "msra_ner": _records("msra", MSRA_LIKE, 30, lambda i: "val"),
        "resume_ner": _records("resume", RESUME_LIKE, 30,
                               lambda i: "dev" if 22 <= i < 26 else "test" if i >= 26 else "train"),
    }
    for name, records in corpora.items():
        (root / name).mkdir()
        with (root / name / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return root


def _train(data_dir: Path, out: Path, *extra: str) -> Path:
    args = ["--data-dir", str(data_dir), "--out", str(out), "--epochs", "1", "--char-dim", "8",
            "--bigram-dim", "4", "--bigram-min-count", "1", *extra]
    assert train_ner.main(args) == 0
    return out


@pytest.fixture(scope="module")
def members(data_dir, tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("members")
    a = _train(data_dir, root / "a", "--hidden", "8", "--seed", "1")
    b = _train(data_dir, root / "b", "--hidden", "12", "--seed", "2", "--ema", "0.9", "--upsample", "msra=2")
    return a, b


@pytest.fixture(scope="module")
def ensemble_dir(data_dir, members, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ensemble") / "ner"
    assert train_ner.main(["--data-dir", str(data_dir), "--out", str(out), "--combine", *map(str, members)]) == 0
    return out


def test_combined_config_keeps_member_sizes(ensemble_dir):
    config = json.loads((ensemble_dir / "config.json").read_text(encoding="utf-8"))
    assert config["members"] == [{"dims": {}}, {"dims": {"hidden": 12}}]
    assert config["dims"]["hidden"] == 8
    assert member_config(config, 1)["dims"]["hidden"] == 12
    assert "members" not in member_config(config, 1)
    state = torch.load(ensemble_dir / "model.pt", weights_only=True)
    assert state["members.1.lstm.weight_hh_l0"].shape == (4 * 12, 12)
    assert all(v.dtype == torch.float16 for v in state.values() if v.is_floating_point())


def test_ensemble_decodes_the_mean_of_its_members(ensemble_dir, members):
    # The torch modules (the numpy twin is checked against them in test_ner_numpy.py).
    ensemble = NERTagger.load(ensemble_dir, backend="torch")
    a, b = (NERTagger.load(m, backend="torch") for m in members)
    texts = ["宁波市总工会主席李谦出席会议。", "王明昨天离开北京。", "海天集团董事长张华发布新品，李谦出席。"]
    batch = collate([ensemble.features.encode(t) for t in texts])
    for domain in ("cluener", "msra", "resume"):
        with torch.inference_mode():
            emissions = (a.network.emissions(batch, domain) + b.network.emissions(batch, domain)) / 2
            parts = [t.network.crfs[domain]._scores() for t in (a, b)]
            scores = tuple((x + y) / 2 for x, y in zip(*parts))
            expected = viterbi(scores, emissions, batch["mask"])
            got = ensemble.network.decode(batch, domain)
        assert got == expected
        assert [len(p) for p in got] == [len(t) for t in texts]


def test_ensemble_of_one_model_twice_predicts_like_the_model(data_dir, members, tmp_path):
    a = members[0]
    twin = tmp_path / "a2"
    shutil.copytree(a, twin)
    out = train_ner.combine([a, twin], tmp_path / "twice", data_dir)
    texts = ["宁波市总工会主席李谦出席会议。" * 3, "王明昨天离开北京。"]
    alone, doubled = NERTagger.load(a), NERTagger.load(tmp_path / "twice")
    for domain in ("cluener", "msra"):
        assert doubled.predict(texts, domain=domain) == alone.predict(texts, domain=domain)
    assert out["val_score"] == json.loads((a / "metrics.json").read_text(encoding="utf-8"))["val_score"]


def test_card_gives_every_rebuild_command(ensemble_dir):
    card = (ensemble_dir / "MODEL_CARD.md").read_text(encoding="utf-8")
    metrics = json.loads((ensemble_dir / "metrics.json").read_text(encoding="utf-8"))
    assert "ensemble of 2" in card
    assert "--out build/ner-a --epochs 1 --hidden 8 --char-dim 8 --bigram-dim 4 --bigram-min-count 1 --seed 1" in card
    assert "--out build/ner-b --epochs 1 --hidden 12" in card and "--upsample msra=2 --ema 0.9 --seed 2" in card
    assert "--out models/ner --combine build/ner-a build/ner-b" in card
    assert [m["hyperparameters"]["hidden"] for m in metrics["members"]] == [8, 12]
    assert set(metrics["val_f1"]) == {"cluener", "msra", "resume"}
    assert set(metrics["targets"]) == {"cluener_dev/name", "cluener_dev/organization", "cluener_dev/government",
                                       "cluener_dev/position", "msra_eval/ORG", "msra_eval/PER"}


def test_combine_rejects_what_cannot_be_averaged(data_dir, members, ensemble_dir, tmp_path):
    a, b = members
    with pytest.raises(ValueError, match="at least two model directories, got 1"):
        train_ner.combine([a], tmp_path / "x", data_dir)
    with pytest.raises(ValueError, match="already an ensemble; pass its members"):
        train_ner.combine([a, ensemble_dir], tmp_path / "x", data_dir)
    other = tmp_path / "other_vocab"
    shutil.copytree(b, other)
    vocab = json.loads((other / "vocab.json").read_text(encoding="utf-8"))
    vocab["bigrams"].append("新词")
    (other / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="another vocabulary.*same --bigram-min-count"):
        train_ner.combine([a, other], tmp_path / "x", data_dir)
    (other / "metrics.json").unlink()
    with pytest.raises(ValueError, match="lacks metrics.json"):
        train_ner.combine([a, other], tmp_path / "x", data_dir)
    assert not (tmp_path / "x").exists()


def test_fine_tuning_an_ensemble_keeps_its_vocabulary_and_can_keep_the_start(data_dir, ensemble_dir, tmp_path):
    # msra_ner_train joins the MSRA head's training records (here a copy of the fake MSRA part)
    train_dir = data_dir / "msra_ner_train"
    train_dir.mkdir(exist_ok=True)
    records = [json.loads(line) for line in (data_dir / "msra_ner" / "msra_ner.jsonl").open(encoding="utf-8")]
    with (train_dir / "msra_ner_train.jsonl").open("w", encoding="utf-8") as handle:
        for i, r in enumerate(records):
            handle.write(json.dumps({**r, "id": f"msra-train-{i}", "split": "train"}, ensure_ascii=False) + "\n")
    out = tmp_path / "ft"
    args = ["--data-dir", str(data_dir), "--out", str(out), "--init-from", str(ensemble_dir), "--msra-train",
            "--epochs", "2", "--batches-per-epoch", "2", "--lr", "1e-4"]
    assert train_ner.main(args) == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert [h["epoch"] for h in metrics["history"]] == [0, 1, 2]  # the start is a candidate
    assert metrics["train_records"]["msra"] > len(records)
    assert (out / "vocab.json").read_text(encoding="utf-8") == (ensemble_dir / "vocab.json").read_text(encoding="utf-8")
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert len(config["members"]) == 2
    from newsnlp.entities.backends.bilstm_crf import NERTagger

    assert NERTagger.load(out).predict(["宁波市总工会主席李谦出席会议。"]) is not None


def test_interpolating_a_model_with_itself_or_at_the_ends_gives_that_model(data_dir, members, tmp_path):
    a, b = members
    texts = ["宁波市总工会主席李谦出席会议。", "王明昨天离开北京。"]
    same = train_ner.interpolate(a, a, 0.3, tmp_path / "same", data_dir)
    assert NERTagger.load(tmp_path / "same").predict(texts) == NERTagger.load(a).predict(texts)
    assert same["val_score"] == json.loads((a / "metrics.json").read_text(encoding="utf-8"))["val_score"]
    twin = tmp_path / "twin"
    shutil.copytree(a, twin)
    state = torch.load(twin / "model.pt", weights_only=True)
    torch.save({k: v * 3 if v.is_floating_point() else v for k, v in state.items()}, twin / "model.pt")
    train_ner.interpolate(a, twin, 0.5, tmp_path / "half")
    half = torch.load(tmp_path / "half" / "model.pt", weights_only=True)
    key = next(k for k, v in state.items() if v.is_floating_point())
    assert torch.allclose(half[key].float(), 2 * state[key].float(), rtol=1e-2, atol=1e-3)
    assert half[key].dtype == state[key].dtype
    train_ner.interpolate(a, twin, 1.0, tmp_path / "end")
    assert torch.equal(torch.load(tmp_path / "end" / "model.pt", weights_only=True)[key], (state[key].float() * 3).to(state[key].dtype))


def test_interpolate_rejects_what_does_not_line_up(members, tmp_path):
    a, b = members
    with pytest.raises(ValueError, match="alpha must be between 0 and 1, got 1.5"):
        train_ner.interpolate(a, a, 1.5, tmp_path / "x")
    with pytest.raises(ValueError, match="another config or vocabulary.*--init-from"):
        train_ner.interpolate(a, b, 0.5, tmp_path / "x")  # b has another hidden size
    with pytest.raises(ValueError, match="lacks config.json"):
        train_ner.interpolate(a, tmp_path / "nothing", 0.5, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_training_only_a_head_on_another_heads_encoding_leaves_every_other_weight(data_dir, ensemble_dir, tmp_path):
    out = tmp_path / "msra-head"
    args = ["--data-dir", str(data_dir), "--out", str(out), "--init-from", str(ensemble_dir), "--train-heads", "msra",
            "--head-encoder", "msra=cluener", "--epochs", "2", "--batches-per-epoch", "3", "--lr", "0.05"]
    assert train_ner.main(args) == 0
    before = torch.load(ensemble_dir / "model.pt", weights_only=True)
    after = torch.load(out / "model.pt", weights_only=True)
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed and all(".heads.msra." in k or ".crfs.msra." in k for k in changed), changed
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["domains"]["msra"]["encoder"] == "cluener" and "encoder" not in config["domains"]["cluener"]
    texts = ["李谦在宁波会见了新华社记者。" * 3, "王明昨天离开北京。"]
    old, new = NERTagger.load(ensemble_dir), NERTagger.load(out)
    assert new.predict(texts) == old.predict(texts)  # the news head and its run are untouched
    assert new.predict(texts, domain="resume") == old.predict(texts, domain="resume")
    # the MSRA head reads the news run: the same as asking for one shared run, and one LSTM run per batch
    assert new.predict_heads(texts, domains=(None, "msra")) == new.predict_heads(texts, domains=(None, "msra"),
                                                                                   shared_encoder=True)
    assert new.predict(texts, domain="msra") == new.predict_heads(texts, domains=(None, "msra"))["msra"]
    # three heads, two of them on the news run: two runs (stacked or one after the other), same spans
    for batch_size in (1, 64):
        heads = new.predict_heads(texts, batch_size=batch_size, domains=(None, "msra", "resume"))
        assert heads == {d: new.predict(texts, batch_size=batch_size, domain=d) for d in (None, "msra", "resume")}
    torch_tagger = NERTagger.load(out, backend="torch")
    assert torch_tagger.predict(texts, domain="msra") == new.predict(texts, domain="msra")


def test_head_options_are_checked():
    import argparse

    from newsnlp.entities.backends.bilstm_crf import encoder_domains

    assert train_ner._parse_head_encoder("msra=cluener,resume=cluener") == {"msra": "cluener", "resume": "cluener"}
    with pytest.raises(argparse.ArgumentTypeError, match="expected HEAD=DOMAIN .* got 'msra'"):
        train_ner._parse_head_encoder("msra")
    with pytest.raises(argparse.ArgumentTypeError, match="got 'weibo=cluener'"):
        train_ner._parse_head_encoder("weibo=cluener")
    with pytest.raises(ValueError, match="head 'msra' reads the encoding of 'weibo', which is not a head"):
        encoder_domains({"domains": {"cluener": {}, "msra": {"encoder": "weibo"}}})
