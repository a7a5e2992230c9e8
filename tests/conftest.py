"""Shared test fixtures: tiny random seq2seq models built from configs, never downloaded.

Each model directory looks like the real checkpoint it stands for (same files, same tokenizer
scheme, same special-token layout) but has a vocabulary of a few dozen tokens written here and
random weights of a few thousand parameters, so loading and generating take milliseconds.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

# Nothing in the test suite may reach the Hugging Face Hub. huggingface_hub reads these when
# it is first imported, which happens after this file is loaded.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

# Every character the tiny vocabularies know; the test articles are written with these.
TINY_ALPHABET = (
    "宁波市总工会召开全体会议部署年度工作重点推进新就业形态劳动者入会服务"
    "今天上午下午在举行了发布中国经济增长发展政策支持企业项目建设资金"
    "记者本报讯通讯员报道表示要加强和落实进一步提升水平群众社区城乡"
    "，。、；：！？“”（）"
)
TINY_ASCII = list("0123456789abcdefghijklmnopqrstuvwxyz")
# Whole words in the Pegasus vocabulary (jieba keeps these as one token).
TINY_PEGASUS_WORDS = ["宁波市", "总工会", "劳动者", "会议", "召开", "企业", "经济", "政策", "工作"]


def _unique_chars(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for ch in text:
        seen.setdefault(ch, None)
    return list(seen)


def _tame_generation(model, special_ids: list[int], eos_id: int) -> None:
    """Make a random model write at least two real tokens and never a special token except EOS,
    so every tiny summary decodes to visible text."""
    gen = model.generation_config
    gen.min_new_tokens = 2
    gen.suppress_tokens = sorted(set(special_ids) - {eos_id})


def _build_bart(root: Path) -> Path:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    path = root / "tiny-bart-chinese"
    path.mkdir()
    # BART-Chinese (fnlp) layout: a BERT vocab.txt, [CLS]=bos, [SEP]=eos and decoder start.
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + _unique_chars(TINY_ALPHABET) + TINY_ASCII + ["##" + c for c in TINY_ASCII]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (path / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "BertTokenizer", "do_lower_case": True}), encoding="utf-8"
    )
    torch.manual_seed(0)
    config = BartConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
        pad_token_id=0, bos_token_id=2, eos_token_id=3, decoder_start_token_id=3, forced_eos_token_id=3,
        init_std=0.3,
    )
    model = BartForConditionalGeneration(config).eval()
    _tame_generation(model, list(range(len(specials))), eos_id=3)
    model.save_pretrained(path)
    return path


def _build_mt5(root: Path) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import MT5Config, MT5ForConditionalGeneration

    path = root / "tiny-mt5"
    path.mkdir()
    # mT5 layout: a sentencepiece spiece.model with <pad>=0, </s>=1, <unk>=2, and 100 sentinel
    # tokens appended by the tokenizer. The sentencepiece model is trained here on sentences
    # written for the test.
    sentences = [
        "宁波市总工会召开全体会议，部署年度工作重点。",
        "推进新就业形态劳动者入会工作。",
        "今天上午，市政府举行了发布会。",
        "中国经济增长，企业发展政策支持。",
        "项目建设资金落实，提升服务水平。",
        "社区群众表示要进一步加强城乡服务。",
        "本报讯记者通讯员报道。",
    ]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences * 3), model_writer=buffer, vocab_size=150, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        minloglevel=2, num_threads=1,
    )
    (path / "spiece.model").write_bytes(buffer.getvalue())
    pieces = spm.SentencePieceProcessor(model_proto=buffer.getvalue()).get_piece_size()
    (path / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 100}), encoding="utf-8"
    )
    torch.manual_seed(0)
    config = MT5Config(
        vocab_size=pieces + 100, d_model=32, d_kv=16, d_ff=64, num_layers=1, num_decoder_layers=1, num_heads=2,
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, initializer_factor=1.0,
        tie_word_embeddings=False,
    )
    model = MT5ForConditionalGeneration(config).eval()
    _tame_generation(model, [0, 1, 2] + list(range(pieces, pieces + 100)), eos_id=1)
    model.save_pretrained(path)
    return path


def _build_pegasus(root: Path, *, layout: str = "randeng") -> Path:
    import torch
    from transformers import PegasusConfig, PegasusForConditionalGeneration

    path = root / f"tiny-pegasus-chinese-{layout}"
    path.mkdir()
    if layout == "randeng":
        # Randeng-Pegasus layout: a BERT vocab.txt that also holds whole words and keeps BERT's
        # placeholder names; the Pegasus special tokens take the placeholders' ids (<pad>=[PAD]=0,
        # </s>=[unused1]=1, <mask_1>=[unused2], <mask_2>=[unused3], <unk>=[UNK]);
        # tokenizer_config.json names "PegasusTokenizer".
        specials = ["[PAD]", "[unused1]", "[unused2]", "[unused3]", "[unused4]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        words = TINY_PEGASUS_WORDS
        tok_config = {
            "tokenizer_class": "PegasusTokenizer", "do_lower_case": True, "unk_token": "<unk>", "pad_token": "<pad>",
            "eos_token": "</s>", "mask_token": "<mask_2>", "additional_special_tokens": ["<mask_1>"],
            "sep_token": "[SEP]", "cls_token": "[CLS]",
        }
        ids = {"pad": 0, "eos": 1, "start": 0}
    else:
        # A Pegasus saved with a plain character-level BERT tokenizer: [CLS] … [SEP] framing.
        specials = ["[PAD]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        words = []
        tok_config = {
            "tokenizer_class": "BertTokenizer", "do_lower_case": True, "unk_token": "[UNK]", "pad_token": "[PAD]",
            "sep_token": "[SEP]", "cls_token": "[CLS]", "mask_token": "[MASK]",
        }
        ids = {"pad": 0, "eos": 4, "start": 3}
    vocab = specials + words + _unique_chars(TINY_ALPHABET) + TINY_ASCII + ["##" + c for c in TINY_ASCII]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (path / "tokenizer_config.json").write_text(json.dumps(tok_config), encoding="utf-8")
    torch.manual_seed(0)
    config = PegasusConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
        pad_token_id=ids["pad"], eos_token_id=ids["eos"], decoder_start_token_id=ids["start"],
        forced_eos_token_id=ids["eos"], init_std=0.3,
    )
    model = PegasusForConditionalGeneration(config).eval()
    _tame_generation(model, list(range(len(specials))), eos_id=ids["eos"])
    model.save_pretrained(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory):
    """newsnlp's dictionary cache goes to a folder of this run, never the user's cache."""
    os.environ["NEWSNLP_CACHE_DIR"] = str(tmp_path_factory.mktemp("newsnlp-cache"))
    yield


@pytest.fixture(scope="session")
def tiny_seq2seq_dirs(tmp_path_factory) -> dict[str, Path]:
    """Directories of tiny random seq2seq summarisers: ``bart`` (BERT vocab), ``mt5``
    (sentencepiece) and ``pegasus`` (jieba + BERT vocab), built once per session."""
    import torch

    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("tiny-seq2seq")
    return {"bart": _build_bart(root), "mt5": _build_mt5(root), "pegasus": _build_pegasus(root)}


@pytest.fixture(scope="session")
def tiny_pegasus_bert_class_dir(tmp_path_factory) -> Path:
    """A tiny Pegasus-Chinese saved with a plain BERT tokenizer (``BertTokenizer``, [CLS] … [SEP])."""
    return _build_pegasus(tmp_path_factory.mktemp("tiny-pegasus-bert"), layout="bert")


# The shipped models, loaded once per test session: tests share them read-only (a test that changes a
# model's state loads its own copy).
@pytest.fixture(scope="session")
def shipped_summarizer():
    from newsnlp.summarization.extractive import ExtractiveSummarizer

    return ExtractiveSummarizer.load()


@pytest.fixture(scope="session")
def shipped_keywords():
    from newsnlp.keywords.extractor import KeywordExtractor

    return KeywordExtractor.load()


@pytest.fixture(scope="session")
def shipped_ner():
    from newsnlp.entities.backends.bilstm_crf import NERTagger

    return NERTagger.load()


@pytest.fixture(scope="session")
def shipped_entities():
    from newsnlp.entities.extractor import EntityExtractor

    return EntityExtractor.load()
