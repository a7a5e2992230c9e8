"""Abstractive back-ends with tiny random BART / mT5 / Pegasus models (tests/conftest.py)."""

from __future__ import annotations

import re
import socket

import pytest

from newsnlp.summarization.abstractive import (
    AbstractiveSummarizer,
    _despace,
    _strip_dateline,
    _trim,
    detect_tokenizer_kind,
    resolve_device,
)
from newsnlp.errors import ModelLoadError, ModelNotFoundError
from newsnlp.text.sentences import split_sentences

# Articles written for these tests.
ARTICLE = (
    "本报讯（记者 通讯员）今天上午，宁波市总工会召开全体会议，部署年度工作重点。"
    "会议表示要进一步推进新就业形态劳动者入会工作。\n"
    "下午，市政府举行了发布会，中国经济增长，企业发展政策支持项目建设资金落实。"
    "社区群众表示要加强城乡服务，提升水平。"
)
SHORT = "宁波市总工会召开会议。"
MEDIUM = "今天上午，市政府举行了发布会。企业表示要加强项目建设。"
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff，。、；：！？]\s+[\u4e00-\u9fff，。、；：！？]")
KINDS = ("bart", "mt5", "pegasus")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: nothing may be downloaded."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a test tried to open a network connection: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def summarizers(tiny_seq2seq_dirs):
    """One loaded summariser per model kind, with a small input limit so articles get chunked."""
    return {
        kind: AbstractiveSummarizer(path, device="cpu", max_input_tokens=24, max_new_tokens=8)
        for kind, path in tiny_seq2seq_dirs.items()
    }


# ---------------------------------------------------------------------------- loading
def test_tokenizer_kind_is_detected_from_the_model_directory(tiny_seq2seq_dirs, tiny_pegasus_bert_class_dir):
    assert detect_tokenizer_kind(tiny_seq2seq_dirs["bart"]) == "bert"
    assert detect_tokenizer_kind(tiny_seq2seq_dirs["mt5"]) == "transformers"
    assert detect_tokenizer_kind(tiny_seq2seq_dirs["pegasus"]) == "pegasus-jieba"
    assert detect_tokenizer_kind(tiny_pegasus_bert_class_dir) == "pegasus-jieba"


def test_loaded_tokenizers_match_the_model_kind(summarizers):
    from newsnlp.summarization.pegasus_tokenizer import PegasusJiebaTokenizer

    assert summarizers["bart"].tokenizer_kind == "bert"
    assert type(summarizers["bart"].tokenizer).__name__ == "BertTokenizer"
    assert type(summarizers["mt5"].tokenizer).__name__ == "T5Tokenizer"
    assert isinstance(summarizers["pegasus"].tokenizer, PegasusJiebaTokenizer)


def test_input_limit_defaults_to_the_model_positions(tiny_seq2seq_dirs):
    bart = AbstractiveSummarizer(tiny_seq2seq_dirs["bart"], device="cpu")
    assert bart.max_input_tokens == 64  # max_position_embeddings of the tiny config
    mt5 = AbstractiveSummarizer(tiny_seq2seq_dirs["mt5"], device="cpu")
    assert mt5.max_input_tokens == 512  # relative positions: the mT5 default
    with pytest.raises(ValueError, match="more than this model takes \\(64\\)"):
        AbstractiveSummarizer(tiny_seq2seq_dirs["bart"], device="cpu", max_input_tokens=100)


def test_tokenizer_override(tiny_seq2seq_dirs, tiny_pegasus_bert_class_dir):
    summ = AbstractiveSummarizer(tiny_pegasus_bert_class_dir, device="cpu", tokenizer="bert")
    assert summ.tokenizer_kind == "bert" and type(summ.tokenizer).__name__ == "BertTokenizer"
    assert summ.tokenizer.tokenize("宁波市") == ["宁", "波", "市"]
    # The wrong tokenizer for a Randeng-style vocabulary: its Pegasus special tokens are not in
    # vocab.txt under those names, BertTokenizer appends them, and the mismatch is caught.
    with pytest.raises(ModelLoadError, match=r"does not match the model \(\d+ embeddings\); pass the right tokenizer="):
        AbstractiveSummarizer(tiny_seq2seq_dirs["pegasus"], device="cpu", tokenizer="bert")
    with pytest.raises(ValueError, match="'auto', 'bert', 'pegasus-jieba', 'transformers'"):
        AbstractiveSummarizer(tiny_seq2seq_dirs["pegasus"], device="cpu", tokenizer="jieba")


# ---------------------------------------------------------------------------- the Pegasus tokenizer
def test_pegasus_tokenizer_keeps_vocabulary_words_and_falls_back_to_wordpiece(summarizers):
    tok = summarizers["pegasus"].tokenizer
    # 宁波市/总工会/召开/会议 are vocabulary words; 部署 and 年度 are jieba words that are not,
    # so they fall back to characters; "ABC" is lower-cased and split into WordPiece pieces.
    assert tok.tokenize("宁波市总工会召开会议，部署年度ABC。") == [
        "宁波市", "总工会", "召开", "会议", "，", "部", "署", "年", "度", "a", "##b", "##c", "。",
    ]
    ids = tok("宁波市总工会")["input_ids"]
    assert ids == [tok.convert_tokens_to_ids("宁波市"), tok.convert_tokens_to_ids("总工会"), tok.eos_token_id]
    assert tok.eos_token_id == 1 and tok.pad_token_id == 0
    assert "token_type_ids" not in tok("宁波市")
    assert _despace(tok.decode(ids, skip_special_tokens=True), wordpiece=True) == "宁波市总工会"


def test_pegasus_tokenizer_unknown_character_is_unk(summarizers):
    tok = summarizers["pegasus"].tokenizer
    assert tok.tokenize("鑫") == ["<unk>"]
    assert tok("鑫")["input_ids"] == [5, 1]


def test_pegasus_special_tokens_take_the_bert_placeholder_ids(summarizers, tiny_seq2seq_dirs):
    tok = summarizers["pegasus"].tokenizer
    lines = (tiny_seq2seq_dirs["pegasus"] / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:6] == ["[PAD]", "[unused1]", "[unused2]", "[unused3]", "[unused4]", "[UNK]"]
    assert tok.convert_tokens_to_ids(["<pad>", "</s>", "<mask_1>", "<mask_2>", "<unk>"]) == [0, 1, 2, 3, 5]
    assert len(tok) == len(lines)  # no special token appended beyond the model's embeddings
    assert tok.decode([tok.convert_tokens_to_ids("宁波市"), 1], skip_special_tokens=True) == "宁波市"


def test_pegasus_with_plain_bert_tokenizer_keeps_bert_framing(tiny_pegasus_bert_class_dir):
    summ = AbstractiveSummarizer(tiny_pegasus_bert_class_dir, device="cpu", max_new_tokens=4)
    tok = summ.tokenizer
    assert summ.tokenizer_kind == "pegasus-jieba"
    ids = tok("宁波市")["input_ids"]
    assert tok.convert_ids_to_tokens(ids) == ["[CLS]", "宁", "波", "市", "[SEP]"]
    assert summ(SHORT)


# ---------------------------------------------------------------------------- generation
@pytest.mark.parametrize("kind", KINDS)
def test_generation_decodes_to_clean_text(summarizers, kind):
    summary = summarizers[kind](ARTICLE)
    assert isinstance(summary, str) and summary
    assert not CJK_SPACE_CJK.search(summary), summary
    for marker in ("[CLS]", "[SEP]", "[PAD]", "<pad>", "</s>", "<unk>", "[UNK]", "extra_id"):
        assert marker not in summary


@pytest.mark.parametrize("kind", KINDS)
def test_batch_and_single_calls_agree(summarizers, kind):
    summ = summarizers[kind]
    articles = [MEDIUM, ARTICLE, SHORT, ARTICLE[:30]]
    assert summ.summarize_many(articles) == [summ(a) for a in articles]


def test_batches_are_sorted_by_length_and_order_is_restored(summarizers, monkeypatch):
    summ = summarizers["bart"]
    seen: list[list[int]] = []
    forward = summ._forward

    def spy(input_ids, attention_mask, max_new_tokens):
        seen.append(attention_mask.sum(dim=1).tolist())
        return forward(input_ids, attention_mask, max_new_tokens)

    monkeypatch.setattr(summ, "_forward", spy)
    texts = ["宁波市。", "今天上午，市政府举行了发布会。", "会议。", "企业表示要加强项目建设和资金落实。"]
    out = summ._generate(texts, [8] * len(texts))
    flat = [n for batch in seen for n in batch]
    assert flat == sorted(flat, reverse=True)  # longest first
    monkeypatch.setattr(summ, "_forward", forward)
    assert out == [summ._generate([t], [8])[0] for t in texts]


def test_empty_article_gives_empty_summary(summarizers):
    assert summarizers["bart"]("") == ""
    assert summarizers["bart"].summarize_many(["", SHORT, "  \n "])[0::2] == ["", ""]


def test_dateline_never_reaches_the_model(summarizers, monkeypatch):
    summ = summarizers["pegasus"]
    inputs: list[str] = []
    generate = summ._generate

    def spy(texts, max_new):
        inputs.extend(texts)
        return generate(texts, max_new)

    monkeypatch.setattr(summ, "_generate", spy)
    summ(ARTICLE)
    assert inputs and not any("本报讯" in t or "记者" in t for t in inputs)
    assert inputs[0].startswith("今天上午，宁波市总工会")


def test_strip_dateline_exact_cases():
    assert _strip_dateline("本报讯（记者 王五 通讯员 赵六）宁波市总工会召开会议。") == "宁波市总工会召开会议。"
    assert _strip_dateline("新华社北京3月5日电（记者王五）会议召开。") == "会议召开。"
    assert _strip_dateline("第一段。\n本报讯 第二段。") == "第一段。\n第二段。"
    # Not datelines: a sentence that merely starts with 本报 or mentions a reporter.
    assert _strip_dateline("本报记者从市电力公司获悉，用电增长。") == "本报记者从市电力公司获悉，用电增长。"


# ---------------------------------------------------------------------------- chunking
@pytest.mark.parametrize("kind", KINDS)
def test_chunks_cover_every_sentence_once_in_order_and_fit(summarizers, kind):
    summ = summarizers[kind]
    text = ARTICLE * 2
    spans = summ.chunks(text)
    assert len(spans) > 2
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))  # ordered, disjoint
    for s in split_sentences(text):
        inside = [(a, b) for a, b in spans if a < s.end and s.start < b]
        assert len(inside) >= 1
        # A sentence that fits the input limit is never split across chunks.
        if summ._count_tokens([s.text])[0] <= summ._budget:
            assert len(inside) == 1 and inside[0][0] <= s.start and s.end <= inside[0][1]
    # Nothing but whitespace is left between chunks, and every chunk fits one model input.
    gaps = [text[:spans[0][0]]] + [text[spans[i][1]:spans[i + 1][0]] for i in range(len(spans) - 1)] + [text[spans[-1][1]:]]
    assert all(not g.strip() for g in gaps)
    for a, b in spans:
        assert len(summ.tokenizer(summ._model_text(text[a:b]))["input_ids"]) <= summ.max_input_tokens


def test_overlong_sentence_without_punctuation_is_split_into_fitting_runs(summarizers):
    summ = summarizers["bart"]
    text = "宁波市总工会" * 10  # 60 characters, no clause mark, budget 22 tokens
    spans = summ.chunks(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))  # contiguous
    assert all(summ._count_tokens([text[a:b]])[0] <= summ._budget for a, b in spans)


def test_long_article_is_summarised_in_rounds(summarizers, monkeypatch):
    summ = summarizers["pegasus"]
    calls: list[int] = []
    generate = summ._generate

    def spy(texts, max_new):
        calls.append(len(texts))
        return generate(texts, max_new)

    monkeypatch.setattr(summ, "_generate", spy)
    summary = summ(ARTICLE * 2)
    assert calls[0] == len(summ.chunks(_strip_dateline(ARTICLE * 2).strip())) > 1
    assert calls[-1] == 1  # the last round is one input: the summary of the chunk summaries
    assert len(calls) >= 2 and summary


# ---------------------------------------------------------------------------- length budget
def test_max_chars_cuts_cleanly(summarizers):
    summary = summarizers["pegasus"](ARTICLE, max_chars=3)
    assert 0 < len(summary) <= 3


def test_trim_exact_cases():
    text = "宁波市总工会召开会议。会议部署了全年工作。"
    assert _trim(text, max_chars=None, max_sentences=None) == text
    assert _trim(text, max_chars=12, max_sentences=None) == "宁波市总工会召开会议。"
    assert _trim(text, max_chars=None, max_sentences=1) == "宁波市总工会召开会议。"
    # One long sentence: cut at the last clause mark within the budget...
    assert _trim("今天上午，宁波市总工会召开会议，部署全年工作。", max_chars=16, max_sentences=None) == "今天上午，宁波市总工会召开会议"
    # ...or, with none, at a word boundary, never inside a word.
    assert _trim("宁波市总工会召开会议部署工作", max_chars=8, max_sentences=None) == "宁波市总工会召开"
    assert _trim("宁波市总工会召开会议部署工作", max_chars=7, max_sentences=None) == "宁波市总工会"


def test_despace_exact_cases():
    assert _despace("宁 波 市 gdp 增 长 3 . 5 % 。", wordpiece=True) == "宁波市gdp增长3.5%。"
    assert _despace("apple inc 发 布 iphone 15", wordpiece=True) == "apple inc发布iphone 15"
    assert _despace("宁波市 GDP 增长 3.5%， Apple Inc. 发布", wordpiece=False) == "宁波市GDP增长3.5%，Apple Inc.发布"


# ---------------------------------------------------------------------------- errors
def test_missing_hub_model_says_what_was_tried_and_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelNotFoundError) as info:
        AbstractiveSummarizer("newsnlp-test/no-such-model", device="cpu")
    message = str(info.value)
    assert "'newsnlp-test/no-such-model' is not available offline" in message
    assert str(tmp_path / "newsnlp-test" / "no-such-model") in message  # the local path checked
    assert "local_files_only=True" in message and "cache" in message
    assert "hf download newsnlp-test/no-such-model --local-dir" in message
    assert "huggingface-cli download newsnlp-test/no-such-model" in message
    assert "local_files_only=False" in message
    assert isinstance(info.value, FileNotFoundError)


def test_missing_directory_and_directory_without_config(tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        AbstractiveSummarizer(tmp_path / "nowhere", device="cpu")
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        AbstractiveSummarizer("./models/nowhere/at-all", device="cpu")
    with pytest.raises(ModelNotFoundError, match="has no config.json"):
        AbstractiveSummarizer(tmp_path, device="cpu")
    with pytest.raises(ModelNotFoundError, match="'bad id' is neither an existing directory .* nor a valid hub id"):
        AbstractiveSummarizer("bad id", device="cpu")


def test_not_a_seq2seq_model(tmp_path):
    from transformers import BertConfig

    BertConfig(vocab_size=10, hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=8).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="not an encoder-decoder"):
        AbstractiveSummarizer(tmp_path, device="cpu")


def test_unknown_option_lists_valid_ones(tiny_seq2seq_dirs):
    with pytest.raises(TypeError) as info:
        AbstractiveSummarizer(tiny_seq2seq_dirs["bart"], num_beam=2)
    assert "'num_beam' (did you mean 'num_beams'?)" in str(info.value)
    assert (
        "valid options are device, local_files_only, max_input_tokens, max_new_tokens, num_beams, batch_size, "
        "tokenizer, dtype, generate_kwargs" in str(info.value)
    )
    with pytest.raises(ValueError, match="max_new_tokens must be a positive int, got 0"):
        AbstractiveSummarizer(tiny_seq2seq_dirs["bart"], max_new_tokens=0)
    with pytest.raises(ValueError, match="generate_kwargs may not set num_beams"):
        AbstractiveSummarizer(tiny_seq2seq_dirs["bart"], generate_kwargs={"num_beams": 2})


def test_dtype(tiny_seq2seq_dirs):
    import torch

    summ = AbstractiveSummarizer(tiny_seq2seq_dirs["pegasus"], device="cpu", dtype="bfloat16", max_new_tokens=4)
    assert next(summ.model.parameters()).dtype == torch.bfloat16
    assert summ(SHORT)
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'bfloat16', 'float16', got 'half'"):
        AbstractiveSummarizer(tiny_seq2seq_dirs["pegasus"], device="cpu", dtype="half")


def test_devices():
    import torch

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda:0" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="'auto', 'cpu', 'cuda', 'cuda:N'"):
        resolve_device("gpu0")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="sees no CUDA GPU; use device='cpu'"):
            resolve_device("cuda:0")


def test_bad_device_fails_before_loading():
    # The model does not exist either: the device error must come first, without any lookup.
    with pytest.raises(ValueError, match="device must be one of"):
        AbstractiveSummarizer("newsnlp-test/no-such-model", device="gpu")


# ---------------------------------------------------------------------------- through the public API
def test_summarize_with_model_argument_and_analyzer(tiny_seq2seq_dirs):
    import newsnlp

    path = str(tiny_seq2seq_dirs["bart"])
    nlp = newsnlp.Analyzer(summary_model=path, device="cpu")
    summary = nlp.summarize(ARTICLE, max_chars=10)
    assert isinstance(summary, str) and 0 < len(summary) <= 10
    assert nlp.summarize(ARTICLE, max_chars=10) == summary  # cached summariser, same result
    assert nlp._summarizer(None) is nlp._summarizer(path)


def test_analyzer_batches_abstracts_across_articles(tiny_seq2seq_dirs, monkeypatch):
    import newsnlp
    from newsnlp.summarization.abstractive import AbstractiveSummarizer

    nlp = newsnlp.Analyzer(summary_model=str(tiny_seq2seq_dirs["bart"]), device="cpu")
    items = [ARTICLE, "", SHORT, "只有一句话的快讯。"]
    one_by_one = [nlp(x) for x in items]
    calls = []
    real = AbstractiveSummarizer.summarize_many

    def counting(self, articles, **kwargs):
        articles = list(articles)
        calls.append(len(articles))
        return real(self, articles, **kwargs)

    monkeypatch.setattr(AbstractiveSummarizer, "summarize_many", counting)
    together = list(nlp.pipe(items, batch_size=4))
    assert calls == [3]  # one generation call for the batch; the empty article never reaches the model
    assert [a.summary for a in together] == [a.summary for a in one_by_one]
    assert together[1].summary == "" and all(a.summary for a in together[::2])
    assert together == one_by_one


def test_modules_import_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, newsnlp.summarization.abstractive, newsnlp.summarization.pegasus_tokenizer; "
        "print(sorted(m for m in ('torch', 'transformers', 'jieba') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pegasus_tokenizer_pickles(summarizers):
    import pickle

    tok = summarizers["pegasus"].tokenizer
    tok.tokenize("宁波市")  # load jieba: the pickle must not carry it
    copy = pickle.loads(pickle.dumps(tok))
    assert type(copy) is type(tok)
    assert copy.tokenize("宁波市总工会召开会议") == ["宁波市", "总工会", "召开", "会议"]


def test_hub_id_is_found_in_the_local_cache_without_network(tiny_seq2seq_dirs, tmp_path, monkeypatch):
    import shutil

    from huggingface_hub import constants

    # The layout `hf download ID` leaves in the cache: refs/main names a snapshot folder.
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--newsnlp-test--tiny-bart"
    shutil.copytree(tiny_seq2seq_dirs["bart"], repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    summ = AbstractiveSummarizer("newsnlp-test/tiny-bart", device="cpu", max_new_tokens=4)
    assert summ.model_dir == repo / "snapshots" / commit
    assert summ(SHORT)


@pytest.mark.slow
def test_real_model_from_environment():
    """Run with NEWSNLP_TEST_SUMMARY_MODEL=/models/randeng-pegasus-238m (and a GPU if there is one):
    ``pytest -m slow tests/test_abstractive.py``."""
    import os

    path = os.environ.get("NEWSNLP_TEST_SUMMARY_MODEL")
    if not path:
        pytest.skip("set NEWSNLP_TEST_SUMMARY_MODEL to a downloaded seq2seq summariser directory")
    summ = AbstractiveSummarizer(path, device=os.environ.get("NEWSNLP_TEST_DEVICE", "auto"))
    long_article = ARTICLE * 20
    summaries = summ.summarize_many([ARTICLE, long_article, SHORT], max_chars=80)
    for s in summaries:
        assert s and len(s) <= 80 and not CJK_SPACE_CJK.search(s)
        assert re.search(r"[\u4e00-\u9fff]", s)


def test_user_dictionary_reaches_the_abstract_trimmer(tiny_seq2seq_dirs, tmp_path, monkeypatch):
    """Analyzer(user_dict=...) gives the abstractive summariser its segmenter: the trim to
    max_chars never cuts a word of the user's dictionary (issue 11)."""
    import newsnlp

    user_dict = tmp_path / "user.dict"
    user_dict.write_text("惠工暖心保障计划 100000 nz\n", encoding="utf-8")
    written = "临江市总工会今天正式启动惠工暖心保障计划宣传月活动"  # what the model "wrote"
    monkeypatch.setattr(AbstractiveSummarizer, "_summarize_texts", lambda self, texts, final: [written for _ in texts])
    path = str(tiny_seq2seq_dirs["bart"])
    assert newsnlp.Analyzer(summary_model=path, device="cpu").summarize(SHORT, max_chars=18) == "临江市总工会今天正式启动惠工暖心保障"
    nlp = newsnlp.Analyzer(summary_model=path, device="cpu", user_dict=user_dict)
    assert nlp._summarizer(None).segmenter is nlp.segmenter
    assert nlp.summarize(SHORT, max_chars=18) == "临江市总工会今天正式启动"
    assert nlp._summarizer(None).summarize_many([SHORT, MEDIUM], max_chars=18) == ["临江市总工会今天正式启动"] * 2


def test_load_takes_every_generation_option(tiny_seq2seq_dirs):
    from newsnlp.text import Segmenter

    seg = Segmenter()
    summ = AbstractiveSummarizer.load(
        tiny_seq2seq_dirs["bart"], device="cpu", max_new_tokens=5, num_beams=2, batch_size=3, dtype="bfloat16",
        max_input_tokens=24, generate_kwargs={"no_repeat_ngram_size": 2}, segmenter=seg,
    )
    assert (summ.max_new_tokens, summ.num_beams, summ.batch_size, summ.dtype, summ.max_input_tokens) == (5, 2, 3, "bfloat16", 24)
    assert summ.generate_kwargs == {"no_repeat_ngram_size": 2} and summ.segmenter is seg and summ.device == "cpu"
    with pytest.raises(TypeError, match="'num_beam' \\(did you mean 'num_beams'\\?\\)"):
        AbstractiveSummarizer.load(tiny_seq2seq_dirs["bart"], device="cpu", num_beam=2)
