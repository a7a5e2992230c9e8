"""AnalyzerConfig: the one configuration, its checks and its round trip, and the six ways options
got lost before it (issue 11): each test below failed on the code before the configuration."""

from __future__ import annotations

import json

import pytest

import newsnlp
from newsnlp import Analyzer
from newsnlp.config import AnalyzerConfig, EntityConfig, KeywordConfig, SummaryConfig, TextConfig

ARTICLE = (
    "宁波市总工会召开全市工会工作会议，部署新就业形态劳动者入会工作。会议指出，要推进快递员、外卖送餐员、"
    "网约车司机等群体建会入会，建设户外劳动者服务驿站。市总工会主席李谦出席会议并讲话。"
    "会议还表彰了一批先进集体和个人，并对春风行动、困难职工帮扶等工作作出安排。"
)


# --------------------------------------------------------------------------- the object itself

def test_defaults_match_the_analyzer_defaults():
    config = AnalyzerConfig()
    assert config.summary == SummaryConfig() and config.summary.model is None and config.summary.max_chars is None
    assert (config.keywords.top_k, config.keywords.tags_k) == (10, 5)
    assert config.entities.gazetteer == "shipped" and config.entities.place_head == "auto"
    assert config.device == "auto" and config.local_files_only is True
    assert Analyzer().config == config


def test_to_dict_is_json_and_round_trips(tmp_path):
    config = AnalyzerConfig.from_kwargs(
        user_dict=[tmp_path / "a.txt", str(tmp_path / "b.txt")], summary_model="./bart", max_chars=80, num_beams=2,
        max_new_tokens=32, summary_batch_size=4, dtype="bfloat16", top_k=7, tags_k=3, idf=tmp_path / "idf.tsv.gz",
        tag_vocabulary={"茅台", "港股"}, ner_model="./ner", gazetteer=None, entity_lexicon=tmp_path / "lex.tsv",
        place_head="msra", device="cpu", local_files_only=False,
    )
    data = json.loads(json.dumps(config.to_dict(), ensure_ascii=False))
    assert data["text"]["user_dict"] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert data["keywords"]["tag_vocabulary"] == ["港股", "茅台"]
    assert AnalyzerConfig.from_dict(data) == config
    assert AnalyzerConfig.from_kwargs(**config.to_kwargs()) == config
    assert AnalyzerConfig.from_dict({}) == AnalyzerConfig()


def test_parts_may_be_given_whole_or_as_dicts():
    a = AnalyzerConfig(summary=SummaryConfig(max_chars=60), keywords={"top_k": 3})
    assert a.summary.max_chars == 60 and a.keywords == KeywordConfig(top_k=3)
    b = AnalyzerConfig.from_kwargs(summary={"max_chars": 60}, top_k=3)
    assert a == b
    assert b.replace(top_k=4).keywords.top_k == 4 and b.keywords.top_k == 3  # frozen: replace copies
    with pytest.raises(dataclasses_frozen_error()):
        b.keywords.top_k = 5  # type: ignore[misc]


def dataclasses_frozen_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda: AnalyzerConfig.from_kwargs(top_kk=3), TypeError, r"unknown option\(s\) 'top_kk' \(did you mean 'top_k'\?\)"),
        (lambda: Analyzer(num_beam=2), TypeError, r"'num_beam' \(did you mean 'num_beams'\?\)"),
        (lambda: AnalyzerConfig.from_dict({"keyword": {}}), ValueError, r"'keyword' \(did you mean 'keywords'\?\)"),
        (lambda: AnalyzerConfig.from_dict({"summary": {"max_char": 3}}), ValueError,
         r"SummaryConfig.from_dict got unknown option\(s\) 'max_char' \(did you mean 'max_chars'\?\)"),
        (lambda: SummaryConfig(max_chars=0), ValueError, r"max_chars must be a positive int, got 0"),
        (lambda: SummaryConfig(num_beams=True), ValueError, r"num_beams must be a positive int, got True"),
        (lambda: SummaryConfig(dtype="fp16"), ValueError, r"dtype must be one of 'float32', 'bfloat16', 'float16', got 'fp16'"),
        (lambda: SummaryConfig(max_input_tokens=4), ValueError, r"max_input_tokens must be at least 8"),
        (lambda: KeywordConfig(top_k="5"), ValueError, r"top_k must be a positive int, got '5'"),
        (lambda: KeywordConfig(tags_k=0), ValueError, r"tags_k must be a positive int, got 0"),
        (lambda: KeywordConfig(tag_vocabulary=[1, 2]), TypeError, r"tag_vocabulary must hold tags as str, got 1"),
        (lambda: KeywordConfig(idf=3), TypeError, r"idf must be a path or a loaded table, got int 3; .*newsnlp idf build"),
        (lambda: TextConfig(user_dict=3), TypeError, r"user_dict must be a path, got int 3"),
        (lambda: EntityConfig(entity_lexicon={"a": 1}), TypeError, r"entity_lexicon must be a path.*newsnlp entities learn"),
        (lambda: EntityConfig(place_head=""), ValueError, r"place_head must be 'auto' or the name of a model head"),
        (lambda: AnalyzerConfig(device="gpu"), ValueError, r"device must be 'auto', 'cpu', 'cuda', 'cuda:N'.*got 'gpu'"),
        (lambda: AnalyzerConfig(local_files_only="no"), TypeError, r"local_files_only must be True or False"),
        (lambda: AnalyzerConfig(summary=3), TypeError, r"summary must be a SummaryConfig or a dict of its options"),
    ],
)
def test_bad_options_say_what_and_how_to_fix(build, error, message):
    with pytest.raises(error, match=message):
        build()


def test_device_forms_the_back_ends_accept():
    assert [AnalyzerConfig(device=d).device for d in (None, "CPU", " cuda:1 ", "mps")] == ["auto", "cpu", "cuda:1", "mps"]


def test_in_memory_tables_are_kept_as_given():
    from newsnlp.entities.lexicon import EntityLexicon

    lexicon = EntityLexicon({"云岫科技": ("ORG", 3, "")})
    config = AnalyzerConfig.from_kwargs(entity_lexicon=lexicon)
    assert config.entities.entity_lexicon is lexicon
    assert AnalyzerConfig.from_dict(config.to_dict()) == config


def test_analyzer_takes_a_config_and_keyword_shortcuts_alike():
    config = AnalyzerConfig.from_kwargs(top_k=3, device="cpu")
    nlp = Analyzer(config=config)
    assert nlp.config is config
    assert Analyzer(top_k=3, device="cpu").config == config
    over = Analyzer(config=config, tags_k=2)  # keywords override the config's options
    assert over.config.keywords == KeywordConfig(top_k=3, tags_k=2) and over.config.device == "cpu"
    # the 0.1 attributes read the config
    nlp = Analyzer(summary_model="./m", ner_model="./n", device="cpu", local_files_only=False, user_dict="u.txt",
                   tag_vocabulary=["港股"], entity_lexicon="lex.tsv")
    assert (nlp.summary_model, nlp.ner_model, nlp.device, nlp.local_files_only) == ("./m", "./n", "cpu", False)
    assert (nlp.user_dict, nlp.tag_vocabulary, nlp.entity_lexicon) == ("u.txt", ("港股",), "lex.tsv")
    with pytest.raises(TypeError, match="config must be an AnalyzerConfig"):
        Analyzer(config={"keywords": {}})


# --------------------------------------------------------------------------- gap (f): the full analysis' counts

def test_full_analysis_reads_top_k_tags_k_and_the_summary_budget():
    default = Analyzer()(ARTICLE)
    assert len(default.keywords) > 3 and len(default.tags) > 2 and len(default.summary) > 12
    nlp = Analyzer(top_k=3, tags_k=2, max_chars=12)
    small = nlp(ARTICLE)
    assert [k.text for k in small.keywords] == [k.text for k in default.keywords[:3]]
    assert len(small.tags) <= 2 and 0 < len(small.summary) <= 12
    assert small.summary == nlp.summarize(ARTICLE) == Analyzer().summarize(ARTICLE, max_chars=12)
    assert nlp.extract_keywords(ARTICLE) == list(small.keywords)
    piped = list(nlp.pipe([ARTICLE, ARTICLE]))
    assert piped == nlp.analyze_many([ARTICLE, ARTICLE]) == [small, small]


# --------------------------------------------------------------------------- gap (c): a custom IDF table

def test_custom_idf_table_reaches_the_keyword_ranker(tmp_path):
    from newsnlp.keywords.idf import IDFTable

    table = IDFTable({"驿站": 1, "工会": 3, "会议": 3}, 3)
    nlp = Analyzer(idf=table)
    assert nlp.keyword_extractor.idf is table
    path = tmp_path / "idf.tsv.gz"
    table.save(path)
    assert Analyzer(idf=path).keyword_extractor.idf.df == table.df
    assert Analyzer().keyword_extractor.idf.df != table.df


# --------------------------------------------------------------------------- gap (d): abstractive options

def test_abstractive_options_reach_the_summariser(monkeypatch):
    import newsnlp.summarization.abstractive as abstractive

    built = {}

    class Fake:
        def __init__(self, model, **options):
            built.update(options, model=model)

        def __call__(self, article, *, max_chars=None, max_sentences=None):
            return "摘要"

    monkeypatch.setattr(abstractive, "AbstractiveSummarizer", Fake)
    nlp = Analyzer(summary_model="./bart", num_beams=2, max_new_tokens=16, summary_batch_size=3, dtype="bfloat16",
                   max_input_tokens=128, device="cpu")
    assert nlp.summarize(ARTICLE) == "摘要"
    assert built["model"] == "./bart" and built["device"] == "cpu"
    assert {k: built[k] for k in ("num_beams", "max_new_tokens", "batch_size", "dtype", "max_input_tokens")} == {
        "num_beams": 2, "max_new_tokens": 16, "batch_size": 3, "dtype": "bfloat16", "max_input_tokens": 128,
    }


# --------------------------------------------------------------------------- gap (a): worker processes

def test_workers_rebuild_every_option():
    from newsnlp.batch import _analyzer_spec, _build_analyzer

    config = AnalyzerConfig.from_kwargs(top_k=3, tags_k=2, max_chars=40, num_beams=2, place_head="msra", device="cpu")
    rebuilt = _build_analyzer(_analyzer_spec(Analyzer(config=config)))
    assert rebuilt.config == config
    json.dumps(_analyzer_spec(Analyzer(config=config))[1])  # what travels is plain data


def test_every_option_has_a_flat_name():
    """Workers rebuild the Analyzer from the flat options: a new option without a flat name would vanish there."""
    from dataclasses import fields

    from newsnlp.config import FLAT_OPTIONS

    reachable = set(FLAT_OPTIONS.values())
    for part in ("text", "summary", "keywords", "entities"):
        for f in fields(getattr(AnalyzerConfig(), part)):
            assert (part, f.name) in reachable, (part, f.name)
    assert {(None, "device"), (None, "local_files_only")} <= reachable


def test_worker_processes_use_the_options():
    nlp = Analyzer(top_k=2, tags_k=1)
    out = list(nlp.pipe([ARTICLE, ARTICLE, ARTICLE], n_process=2, batch_size=2))
    assert [len(a.keywords) for a in out] == [2, 2, 2] and all(len(a.tags) <= 1 for a in out)
    assert out == nlp.analyze_many([ARTICLE] * 3)


def test_module_functions_keep_their_defaults():
    assert newsnlp.extract_keywords(ARTICLE) == Analyzer().extract_keywords(ARTICLE, top_k=10)


# --------------------------------------------------------------------------- gap (e): one shared CLI parser

SHARED = ["--summary-model", "./bart", "--summary-max-chars", "60", "--summary-max-sentences", "2", "--num-beams", "2",
          "--max-new-tokens", "16", "--max-input-tokens", "128", "--summary-batch-size", "3", "--dtype", "bfloat16",
          "--top-k", "3", "--tags-k", "2", "--idf", "idf.tsv.gz", "--tag-vocabulary", "tags.txt", "--ner-model", "./ner",
          "--gazetteer", "none", "--entity-lexicon", "lex.tsv", "--place-head", "msra", "--user-dict", "user.txt",
          "--device", "cpu", "--allow-download"]
EXPECTED = AnalyzerConfig.from_kwargs(
    summary_model="./bart", max_chars=60, max_sentences=2, num_beams=2, max_new_tokens=16, max_input_tokens=128,
    summary_batch_size=3, dtype="bfloat16", top_k=3, tags_k=2, idf="idf.tsv.gz", tag_vocabulary="tags.txt",
    ner_model="./ner", gazetteer=None, entity_lexicon="lex.tsv", place_head="msra", user_dict="user.txt", device="cpu",
    local_files_only=False,
)


@pytest.mark.parametrize("command", [["analyze", "post.md"], ["tag", "archive"]])
def test_analyze_and_tag_share_every_analysis_option(command):
    from newsnlp.cli.main import build_parser
    from newsnlp.cli.options import config_from_args

    parser = build_parser()
    assert config_from_args(parser.parse_args([*command, *SHARED])) == EXPECTED
    assert config_from_args(parser.parse_args(command)) == AnalyzerConfig()


def test_cli_analyze_uses_the_options(tmp_path, capsys):
    from newsnlp.cli.main import main

    post = tmp_path / "post.md"
    post.write_text(ARTICLE, encoding="utf-8")
    vocab = tmp_path / "tags.txt"
    vocab.write_text("春风行动\n", encoding="utf-8")
    assert main(["analyze", str(post), "--top-k", "2", "--tags-k", "1", "--tag-vocabulary", str(vocab),
                 "--summary-max-chars", "12"]) == 0
    record = json.loads(capsys.readouterr().out)
    expected = Analyzer(top_k=2, tags_k=1, tag_vocabulary=str(vocab), max_chars=12)(ARTICLE)
    assert record["tags"] == list(expected.tags) == ["春风行动"]
    assert [k["text"] for k in record["keywords"]] == [k.text for k in expected.keywords] and len(record["keywords"]) == 2
    assert record["summary"] == expected.summary
    with pytest.raises(SystemExit):
        main(["analyze", str(post), "--top-k", "0"])
    assert "expected a positive integer, got '0'" in capsys.readouterr().err


# --------------------------------------------------------------------------- gap (b): one segmenter for every stage

def test_the_user_dictionary_builds_the_segmenter_every_stage_uses(tmp_path):
    words = tmp_path / "user.dict"
    words.write_text("惠工暖心保障计划 100 n\n", encoding="utf-8")
    nlp = Analyzer(config=AnalyzerConfig(text=TextConfig(user_dict=str(words))))
    segmenter = nlp.segmenter
    assert "惠工暖心保障计划" in list(segmenter.cut("市总工会启动惠工暖心保障计划。"))
    assert nlp._summarizer(None).segmenter is segmenter
    assert nlp.keyword_extractor.segmenter is segmenter
    assert nlp._entity_extractor(None).segmenter is segmenter
    assert Analyzer().segmenter is not segmenter
