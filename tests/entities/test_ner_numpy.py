"""The numpy inference path gives the torch networks' tags exactly (scores to float32 rounding)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsnlp.errors import ModelLoadError
from newsnlp.entities.backends.bilstm_crf import (
    NERTagger,
    NumpyNetwork,
    build_network,
    collate,
    collate_arrays,
    read_state_dict,
    split_windows,
)

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "models" / "ner"
CLUENER = ROOT.parent / "shared" / "data" / "cluener2020" / "cluener2020.jsonl"

TEXTS = [
    "宁波市总工会主席李谦出席会议并讲话。",
    "鄞州区姜山镇党委书记王晓峰带队走访了12家企业，了解用工需求。",
    "记者 张三 报道\n第二段：“共富工坊”带动村民增收20％。" * 4,
    "李",
    "欧阳娜娜和司马相如在2024年3月15日参加了ABC公司的发布会！" + "长" * 300,
]
DIMS = {"char": 6, "bigram": 4, "seg": 2, "pos": 3, "domain": 2, "hidden": 5}
DOMAINS = {
    "news": {"labels": ["name", "government"], "output": {"name": ["PERSON", None], "government": ["ORG", "gov"]}},
    "other": {"labels": ["PER"], "output": {"PER": ["PERSON", None]}},
}


def _tiny_dir(root: Path, name: str, *, members=None, seed: int = 0) -> Path:
    """A random model written like train.ner writes one (float16 state dict)."""
    chars = ["<pad>", "<unk>", *"宁波市总工会主席李谦出席会议王晓峰张三记者"]
    vocab = {"chars": chars, "bigrams": ["<pad>", "<unk>", "宁波", "波市", "李谦"], "pos": ["<pad>", "<unk>", "n", "nr", "ns", "v", "x"]}
    config = {"n_chars": len(chars), "n_bigrams": 5, "n_pos": 7, "dims": DIMS, "layers": 1, "dropout": 0.0,
              "domains": DOMAINS, "default_domain": "news"}
    if members:
        config["members"] = members
    torch.manual_seed(seed)
    network = build_network(config)
    with torch.no_grad():
        for p in network.parameters():
            p.mul_(3.0)  # large weights: saturated gates and decisive tags, as in a trained model
    directory = root / name
    directory.mkdir()
    torch.save({k: v.half() for k, v in network.state_dict().items()}, directory / "model.pt")
    (directory / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def tiny_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("ner_numpy")
    return {
        "single": _tiny_dir(root, "single"),
        "ensemble": _tiny_dir(root, "ensemble", members=[{"dims": {}}, {"dims": {"hidden": 7}}, {"dims": {}}], seed=1),
    }


def test_state_dict_reader_gives_torch_loads_arrays(tiny_dirs):
    for path in (tiny_dirs["ensemble"] / "model.pt", SHIPPED / "model.pt"):
        expected = torch.load(path, map_location="cpu", weights_only=True)
        got = read_state_dict(path)
        assert list(got) == list(expected)
        for key, tensor in expected.items():
            assert got[key].dtype == tensor.numpy().dtype, key
            assert got[key].shape == tuple(tensor.shape), key
            assert np.array_equal(got[key], tensor.numpy()), key


def test_state_dict_reader_rejects_other_files(tmp_path):
    plain = tmp_path / "plain.pt"
    plain.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a torch.save zip archive"):
        read_state_dict(plain)
    # A pickle with other globals (code) is refused, as torch.load(weights_only=True) would.
    evil = tmp_path / "evil.pt"
    torch.save({"x": torch.zeros(2), "f": torch.nn.Linear(1, 1)}, evil)
    with pytest.raises(ValueError, match="not a plain tensor state dict"):
        read_state_dict(evil)


def _compare(directory: Path, texts, domains, *, predict: bool = True):
    """Emissions close, Viterbi paths equal (every window, as predict cuts them), spans equal."""
    fast = NERTagger.load(directory)
    slow = NERTagger.load(directory, backend="torch")
    assert (fast.backend, slow.backend) == ("numpy", "torch")
    windows = sorted((t[s:e] for t in texts for s, e in split_windows(t)), key=len)
    encoded = [fast.features.encode(w) for w in windows]
    for domain in domains:
        for first in range(0, len(encoded), 64):
            part = encoded[first : first + 64]
            arrays = collate_arrays(part)
            with torch.inference_mode():
                expected = slow.network.emissions(collate(part), domain).numpy()
                expected_paths = slow.network.decode(collate(part), domain)
            got = fast.network.emissions(arrays, domain)
            assert got.dtype == np.float32
            np.testing.assert_allclose(got[arrays["mask"]], expected[arrays["mask"]], rtol=1e-4, atol=1e-4)
            assert fast.network.decode(arrays, domain) == expected_paths
        if predict:
            assert fast.predict(texts, domain=domain) == slow.predict(texts, domain=domain)


def test_numpy_single_model_equals_torch(tiny_dirs):
    _compare(tiny_dirs["single"], TEXTS, ["news", "other"])


def test_numpy_ensemble_of_mixed_sizes_equals_torch(tiny_dirs):
    _compare(tiny_dirs["ensemble"], TEXTS, ["news", "other"])


def _sample_texts() -> list[str]:
    from benchmarks.corpora import load_sample

    return [(s.article.title or "") + "\n" + s.article.text for s in load_sample()]


def _cluener_dev() -> list[str]:
    texts = []
    with CLUENER.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["split"] == "dev":
                texts.append(record["text"])
    return texts


def test_shipped_model_numpy_equals_torch_on_sample_posts():
    texts = _sample_texts()
    assert len(texts) >= 40
    _compare(SHIPPED, texts[:6], ["cluener"], predict=False)


@pytest.mark.skipif(not CLUENER.is_file(), reason="../shared/data/cluener2020 is not here")
def test_shipped_model_numpy_equals_torch_on_cluener_dev_slice():
    _compare(SHIPPED, _cluener_dev()[:64], ["cluener"], predict=False)


@pytest.mark.slow
def test_shipped_model_numpy_equals_torch_on_the_whole_sample_corpus():
    _compare(SHIPPED, _sample_texts(), ["cluener", "msra"], predict=False)


@pytest.mark.slow
@pytest.mark.skipif(not CLUENER.is_file(), reason="../shared/data/cluener2020 is not here")
def test_shipped_model_numpy_equals_torch_on_cluener_dev():
    _compare(SHIPPED, _cluener_dev()[:300], ["cluener"], predict=False)


def test_backend_choice_and_errors(tiny_dirs, tmp_path):
    with pytest.raises(ValueError, match="backend must be 'auto', 'numpy' or 'torch', got 'onnx'"):
        NERTagger.load(tiny_dirs["single"], backend="onnx")
    deep = tmp_path / "deep"
    deep.mkdir()
    for name in ("model.pt", "vocab.json"):
        (deep / name).write_bytes((tiny_dirs["single"] / name).read_bytes())
    config = json.loads((tiny_dirs["single"] / "config.json").read_text(encoding="utf-8"))
    (deep / "config.json").write_text(json.dumps({**config, "layers": 2}), encoding="utf-8")
    assert not NumpyNetwork.supports({**config, "layers": 2})
    with pytest.raises(ValueError, match="2-layer LSTM.*backend='torch'"):
        NERTagger.load(deep, backend="numpy")
    # "auto" hands such a model to torch (here its weights do not fit two layers: torch says so).
    with pytest.raises(ModelLoadError, match="could not load the NER model"):
        NERTagger.load(deep)


def test_weights_in_torchs_legacy_format_fall_back_to_torch(tiny_dirs, tmp_path):
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for name in ("config.json", "vocab.json"):
        (legacy / name).write_bytes((tiny_dirs["single"] / name).read_bytes())
    state = torch.load(tiny_dirs["single"] / "model.pt", weights_only=True)
    torch.save(state, legacy / "model.pt", _use_new_zipfile_serialization=False)
    tagger = NERTagger.load(legacy)
    assert tagger.backend == "torch"
    assert tagger.predict(TEXTS) == NERTagger.load(tiny_dirs["single"]).predict(TEXTS)
    with pytest.raises(ModelLoadError, match="not a torch.save zip archive"):
        NERTagger.load(legacy, backend="numpy")


def test_entities_and_keywords_never_import_torch():
    code = (
        "import sys, newsnlp\n"
        "text = '宁波市总工会主席李谦出席会议，部署新就业形态劳动者入会工作。'\n"
        "entities = newsnlp.extract_entities(text)\n"
        "keywords = newsnlp.extract_keywords(text)\n"
        "assert any(o.name == '李谦' for o in entities.officials), entities\n"
        "print('torch' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert run.stdout.strip() == "False"
