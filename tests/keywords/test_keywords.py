"""Keywords, tag suggestions, the IDF table, the tag vocabulary and their CLI subcommands."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsnlp.article import Article
from newsnlp.cli.main import main as cli_main
from newsnlp.keywords.idf import IDFTable, build_idf
from newsnlp.keywords.extractor import KeywordExtractor, KeywordWeights, load_stopwords, normalize_tag, save_keyphraseness
from newsnlp.keywords.vocabulary import TagVocabulary, is_feed_label, learn_vocabulary, learn_vocabulary_from_keywords, org_aliases
from newsnlp.types import Entities, Entity, Keyword, Span

# Written for these tests (not taken from any corpus).
UNION = (
    "宁波市总工会今年把新就业形态劳动者入会作为重点。"
    "新就业形态劳动者多从事快递和外卖，流动性强。"
    "总工会为新就业形态劳动者建设了一批户外驿站，推进工作，开展活动，进一步表示支持。"
)
MARKETS = "沪深两市今日震荡走高，半导体板块领涨。半导体龙头企业午后涨停，两市成交额放大。"


@pytest.fixture
def kx(shipped_keywords) -> KeywordExtractor:
    return shipped_keywords  # loaded once per session (tests/conftest.py)


def texts(keywords: list[Keyword]) -> list[str]:
    return [k.text for k in keywords]


# --------------------------------------------------------------------------- candidates

def test_recurring_noun_phrase_is_merged_and_absorbs_its_parts(kx):
    words = texts(kx.extract(UNION, top_k=10))
    assert "新就业形态劳动者" in words[:2]
    # The merged phrase carries every use of its parts, so they are not listed again.
    for part in ("劳动者", "形态", "就业形态", "新就业形态", "形态劳动者"):
        assert part not in words


def test_place_plus_organisation_word_is_one_candidate(kx):
    words = texts(kx.extract(Article(text="", title="宁波市总工会召开全委会议"), top_k=5))
    assert words[0] == "宁波市总工会"
    assert "宁波市" not in words


def test_short_form_of_an_organisation_and_cut_off_phrases_are_merged(kx):
    text = (
        "宁波总工会召开会议。宁波市总工会主席表示，宁波市总工会将为新就业形态劳动者工会工作提供经费。"
        "新就业形态劳动者工会工作是重点，新就业形态劳动者入会率提高。"
    )
    words = texts(kx.extract(text, top_k=10))
    assert "宁波市总工会" in words[:2] and "新就业形态劳动者" in words
    assert "宁波总工会" not in words  # its usual short form
    # 就业/形态/劳动者/工会工作 always follows 新: a cut-off piece, not a phrase of its own.
    assert "就业形态劳动者工会工作" not in words and "就业形态劳动者" not in words


def test_phrase_seen_once_in_the_body_does_not_absorb_a_frequent_part(kx):
    text = "快递员在驿站休息。驿站提供热水。驿站还有充电设备，户外驿站很受欢迎。驿站由工会运营。"
    words = texts(kx.extract(text, top_k=10))
    assert "驿站" in words


def test_generic_report_vocabulary_and_stop_words_are_filtered(kx):
    words = texts(kx.extract(UNION, top_k=20))
    stop = load_stopwords()
    for generic in ("工作", "推进", "开展", "进一步", "表示", "支持", "活动"):
        assert generic in stop
        assert generic not in words


def test_english_stop_words_single_characters_and_numbers_are_never_keywords(kx):
    text = "The union and the city of Ningbo opened 350 stations in 2024. 宁波市总工会新建350家驿站，覆盖全市。"
    words = texts(kx.extract(text, top_k=20))
    assert {"the", "and", "of", "in", "The"}.isdisjoint(words)
    assert all(len(w) >= 2 for w in words)
    assert not any(w.isdigit() or w in {"350家", "2024"} for w in words)
    assert words[0] == "宁波市总工会"


def test_extra_stopwords_are_honoured():
    custom = KeywordExtractor.load(extra_stopwords=["半导体"])
    assert "半导体" not in texts(custom.extract(MARKETS, top_k=10))


def test_stopword_file_format(tmp_path):
    f = tmp_path / "stop.txt"
    f.write_text("# comment\n工会  驿站\n\nＡＢＣ # trailing comment\n", encoding="utf-8")
    assert load_stopwords(f) == frozenset({"工会", "驿站", "abc"})
    with pytest.raises(FileNotFoundError, match="stop-word file"):
        load_stopwords(tmp_path / "missing.txt")


# --------------------------------------------------------------------------- ranking

def test_top_k_is_a_maximum_not_a_quota(kx):
    headline = Article(text="", title="嘉兴推出技能补贴")
    result = kx.extract(headline, top_k=10)
    assert 1 <= len(result) < 10
    best = result[0].score
    floor = kx.weights.headline_min_relative_score
    assert all(k.score >= floor * best for k in result)
    assert len(kx.extract(UNION, top_k=1)) == 1


def test_scores_are_sorted_and_weak_candidates_dropped(kx):
    result = kx.extract(UNION, top_k=50)
    scores = [k.score for k in result]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= kx.weights.min_relative_score * scores[0]


def test_keyphraseness_prior_raises_candidates_editors_pick(kx):
    article = Article(text="", title="驿站与书屋")
    base = KeywordExtractor(kx.idf, weights=kx.weights, keyphraseness={"书屋": (10, 0), "驿站": (10, 0)})
    favoured = KeywordExtractor(kx.idf, weights=kx.weights, keyphraseness={"书屋": (10, 9), "驿站": (10, 0)})
    assert texts(favoured.extract(article))[0] == "书屋"
    assert texts(base.extract(article))[0] == "驿站"


def test_same_input_gives_the_same_ranked_list(kx):
    first = kx.extract(UNION, top_k=10)
    # The per-article cache must not change the second answer (it once did).
    assert kx.extract(UNION, top_k=10) == first
    fresh = KeywordExtractor.load()
    assert fresh.extract(UNION, top_k=10) == first
    assert fresh.suggest_tags(UNION) == kx.suggest_tags(UNION)


def test_headline_as_title_or_as_text_ranks_the_same(kx):
    title = "半导体板块午后拉升 龙头企业涨停"
    assert texts(kx.extract(Article(text="", title=title))) == texts(kx.extract(title))


def test_entities_from_the_entity_extractor_are_boosted(kx):
    article = Article(title="会议召开", text="杭州某协会召开年会。协会会长讲话。会议讨论了行业自律。")
    start = article.text.index("杭州某协会")
    org = Entity("杭州某协会", mentions=(Span("杭州某协会", start, start + 5),))
    plain = texts(kx.extract(article, top_k=5))
    boosted = texts(kx.extract(article, top_k=5, entities=Entities(organisations=(org,))))
    assert boosted[0] == "杭州某协会"
    assert "杭州某协会" not in plain[:1]


def test_an_entity_absorbs_its_short_forms_and_their_parts(kx):
    article = Article(title="省发改委发布措施", text="浙江省发改委今天发布措施。省发改委表示，民营经济是重点。")
    body = article.text
    org = Entity("浙江省发展和改革委员会", mentions=(Span("浙江省发改委", 0, 6), Span("省发改委", 13, 17)))
    assert body[13:17] == "省发改委"
    ents = Entities(organisations=(org,))
    words = texts(kx.extract(article, top_k=5, entities=ents))
    assert words[0] == "浙江省发展和改革委员会"
    assert {"省发改委", "发改委", "浙江省发改委"}.isdisjoint(words)
    assert kx.suggest_tags(article, entities=ents)[0] == "浙江省发展和改革委员会"


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_invalid_top_k_is_a_value_error(kx, bad):
    with pytest.raises(ValueError, match="top_k must be a positive int"):
        kx.extract(UNION, top_k=bad)


def test_empty_article_gives_no_keywords_or_tags(kx):
    assert kx.extract(Article(text="  \n")) == []
    assert kx.suggest_tags(Article(text="")) == []


def test_non_text_is_a_type_error(kx):
    with pytest.raises(TypeError, match="int"):
        kx.extract(42)


# --------------------------------------------------------------------------- tags

@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＧＤＰ", "GDP"),
        ("《民营经济》", "民营经济"),
        ("“工会经费”", "工会经费"),
        ("ChatGPT", "chatgpt"),
        ("A股", "A股"),
        (" 工会 ，", "工会"),
        ("Ｂ站", "B站"),
    ],
)
def test_normalize_tag(raw, expected):
    assert normalize_tag(raw) == expected


def test_suggest_tags_without_vocabulary_come_from_keywords(kx):
    tags = kx.suggest_tags(UNION, k=3)
    assert 1 <= len(tags) <= 3
    assert tags[0] in {"新就业形态劳动者", "宁波市总工会"}


def test_vocabulary_exact_and_alias_matches_are_preferred(kx):
    text = "宁波总工会为外卖骑手建设爱心驿站。爱心驿站提供热水和充电。骑手纷纷点赞。"
    tags = kx.suggest_tags(text, k=3, vocabulary=["宁波市总工会", "爱心驿站", "股市"])
    # 宁波总工会 is the usual short form of 宁波市总工会: the known tag is suggested, and
    # the short form and its parts are not suggested again.
    assert tags[:2] == ["爱心驿站", "宁波市总工会"] or tags[:2] == ["宁波市总工会", "爱心驿站"]
    assert "股市" not in tags
    assert {"宁波总工会", "总工会"}.isdisjoint(tags)


def test_vocabulary_file_with_explicit_aliases(kx, tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("# tags\n杭州市商务局\tcount=3\taliases=市商务局\n", encoding="utf-8")
    tags = kx.suggest_tags("市商务局发放消费券。市商务局表示，消费券可在餐饮门店使用。", vocabulary=vocab)
    assert tags[0] == "杭州市商务局"


def test_feed_labels_are_never_suggested(kx):
    text = "东财滚动新闻：沪深两市半导体板块领涨。中国发展网新闻报道，半导体龙头涨停。"
    tags = kx.suggest_tags(text, k=5, vocabulary=["东财滚动新闻", "中国发展网新闻", "半导体"])
    assert "半导体" in tags
    assert {"东财滚动新闻", "中国发展网新闻"}.isdisjoint(tags)
    assert {"东财滚动新闻", "中国发展网新闻"}.isdisjoint(kx.suggest_tags(text, k=5))


def test_is_feed_label_and_org_aliases():
    assert is_feed_label("东财滚动新闻") and is_feed_label("中国发展网新闻") and is_feed_label("财联社快讯")
    assert not is_feed_label("假新闻") and not is_feed_label("工会经费")
    assert org_aliases("宁波市总工会") == ["宁波总工会"]
    assert "浙江省发改委" in org_aliases("浙江省发展和改革委员会")


def test_vocabulary_rejects_unknown_fields_and_types(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("工会\tweight=3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown field 'weight=3'"):
        TagVocabulary.load(bad)
    with pytest.raises(TypeError, match="vocabulary must be"):
        TagVocabulary.coerce(42)
    with pytest.raises(FileNotFoundError, match="tags learn"):
        TagVocabulary.load(tmp_path / "missing.txt")


def test_vocabulary_find_counts_longest_match_once():
    v = TagVocabulary(["工会", "宁波市总工会"])
    found = v.find("宁波市总工会召开会议，工会干部参加。")
    assert found == {"宁波市总工会": (1, 0), "工会": (1, 11)}


def test_learn_vocabulary_marks_feed_labels():
    posts = [Article("正文", tags=("工会经费", "东财滚动新闻"))]
    # "finews" is the only tag of 12 unrelated posts: a feed label though not named like one.
    posts += [Article(f"第{i}篇", tags=("finews",)) for i in range(12)]
    posts += [Article("正文", tags=("工会经费",))]
    v = learn_vocabulary(posts)
    assert v.tags["工会经费"].count == 2 and not v.tags["工会经费"].feed
    assert v.tags["东财滚动新闻"].feed and v.tags["finews"].feed
    assert v.topics() == ["工会经费"]


# --------------------------------------------------------------------------- IDF table

def test_idf_table_build_save_load_and_merge(tmp_path):
    t = build_idf(["宁波市总工会召开会议", "杭州市总工会召开会议", "股市上涨"], min_df=1)
    assert t.n_docs == 3 and t.df["召开"] == 2 and t.df["股市"] == 1
    assert t.idf("股市") > t.idf("召开")
    assert t.idf("没见过的词") == t.unseen_idf
    path = t.save(tmp_path / "idf.tsv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        assert fh.readline() == "# docs\t3\n"
    back = IDFTable.load(path)
    assert back.df == t.df and back.n_docs == 3
    merged = back.merged(t)
    assert merged.n_docs == 6 and merged.df["召开"] == 4


def test_idf_table_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="newsnlp idf build"):
        IDFTable.load(tmp_path / "none.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("# docs\t2\n工会 两\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.tsv:2"):
        IDFTable.load(bad)


def test_extractor_loads_a_custom_table_and_weights(tmp_path):
    build_idf(["宁波市总工会召开会议", "杭州市总工会召开会议"], min_df=1).save(tmp_path / "idf.tsv.gz")
    KeywordWeights(min_relative_score=0.9).save(tmp_path / "keyword_weights.json")
    save_keyphraseness({"工会": (5, 2), "驿站": (1, 1)}, tmp_path / "keyphraseness.tsv.gz")
    custom = KeywordExtractor.load(tmp_path)
    assert custom.idf.n_docs == 2
    assert custom.weights.min_relative_score == 0.9
    assert custom.keyphraseness == {"工会": (5, 2), "驿站": (1, 1)}
    assert custom.extract(UNION, top_k=5)


# --------------------------------------------------------------------------- CLI

def _write_post(folder: Path, name: str, title: str, tags: list[str], body: str) -> None:
    tag_lines = "".join(f"  - {t}\n" for t in tags)
    folder.joinpath(name).write_text(
        f"---\nlayout: post\ntitle: \"{title}\"\ntags:\n{tag_lines}---\n<p>{body}</p>\n", encoding="utf-8"
    )


@pytest.fixture
def archive(tmp_path) -> Path:
    posts = tmp_path / "_posts"
    posts.mkdir()
    _write_post(posts, "2024-01-01-a.md", "宁波总工会建驿站", ["工会经费", "东财滚动新闻"], "宁波市总工会建设户外驿站。")
    _write_post(posts, "2024-01-02-b.md", "杭州发放消费券", ["消费券", "东财滚动新闻"], "杭州市商务局发放消费券。")
    _write_post(posts, "2024-01-03-c.md", "工会经费用于帮扶", ["工会经费", "宁波市总工会"], "工会经费用于帮扶困难职工。")
    return posts


def test_cli_tags_learn(archive, tmp_path, capsys):
    out = tmp_path / "vocab.txt"
    assert cli_main(["tags", "learn", str(archive), "-o", str(out)]) == 0
    assert "3 topic tags, 1 feed labels" in capsys.readouterr().out
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    assert "东财滚动新闻\tcount=2\tfeed" in lines
    assert "工会经费\tcount=2" in lines
    assert "宁波市总工会\tcount=1\taliases=宁波总工会" in lines
    vocab = TagVocabulary.load(out)
    assert vocab.is_feed("东财滚动新闻") and not vocab.is_feed("工会经费")


def test_cli_idf_build(archive, tmp_path, capsys):
    out = tmp_path / "idf.tsv"
    assert cli_main(["idf", "build", str(archive), "-o", str(out), "--min-df", "1"]) == 0
    assert "from 3 documents" in capsys.readouterr().out
    table = IDFTable.load(out)
    assert table.n_docs == 3
    assert table.df["经费"] == 1 and table.df["驿站"] == 1 and table.df["发放"] == 1 and table.df["杭州"] == 1


def test_cli_idf_build_missing_archive(tmp_path, capsys):
    assert cli_main(["idf", "build", str(tmp_path / "nope"), "-o", str(tmp_path / "x.tsv")]) == 2
    assert "does not exist" in capsys.readouterr().err


# --------------------------------------------------------------------------- a custom IDF table (issue 11)

def test_load_takes_a_custom_idf_table_and_keeps_the_tuned_score(archive, tmp_path, capsys):
    out = tmp_path / "my-idf.tsv.gz"
    assert cli_main(["idf", "build", str(archive), "-o", str(out), "--min-df", "1"]) == 0
    shipped = KeywordExtractor.load()
    custom = KeywordExtractor.load(idf=out)
    assert custom.idf.n_docs == 3 and custom.idf.meta["corpus"] == str(archive)
    assert custom.idf.idf("驿站") != shipped.idf.idf("驿站")
    # Only the table changes: the tuned weights and keyphraseness of the shipped model stay.
    assert custom.weights == shipped.weights
    assert custom.keyphraseness == shipped.keyphraseness and custom.keyphraseness
    assert texts(custom.extract(UNION, top_k=3))
    table = IDFTable.load(out)
    assert KeywordExtractor.load(idf=table).idf is table
    folder = tmp_path / "model"
    folder.mkdir()
    table.save(folder / "idf.tsv.gz")
    assert KeywordExtractor.load(idf=folder).idf.df == table.df
    assert KeywordExtractor.load(idf=str(out)).idf.df == table.df


def test_load_idf_names_what_is_wrong(tmp_path):
    from newsnlp.errors import ModelNotFoundError

    with pytest.raises(ModelNotFoundError, match=r"idf='.*none\.tsv\.gz'.*does not exist.*newsnlp idf build"):
        KeywordExtractor.load(idf=tmp_path / "none.tsv.gz")
    with pytest.raises(ModelNotFoundError, match="holds no idf.tsv.gz"):
        KeywordExtractor.load(idf=tmp_path)
    with pytest.raises(FileNotFoundError):  # ModelNotFoundError is a FileNotFoundError
        KeywordExtractor.load(idf=tmp_path / "none.tsv.gz")
    with pytest.raises(TypeError, match="idf must be a path to an IDF table or an IDFTable, not int"):
        KeywordExtractor.load(idf=3)


def test_idf_build_help_names_a_real_load_parameter(capsys):
    import inspect
    import re

    with pytest.raises(SystemExit):
        cli_main(["idf", "build", "--help"])
    helptext = " ".join(capsys.readouterr().out.split())
    named = re.findall(r"KeywordExtractor\.load\((\w+)=", helptext)
    assert named, helptext
    params = inspect.signature(KeywordExtractor.load).parameters
    assert all(name in params for name in named)


# --------------------------------------------------------------------------- archives, writes, layering (issue 11)

def _records(folder: Path) -> list[dict]:
    from newsnlp.article import read_article

    return [{"id": p.stem, "title": a.title, "text": a.text, "tags": list(a.tags)}
            for p in sorted(folder.glob("*.md")) for a in [read_article(p)]]


def _seen(articles) -> list[tuple]:
    return sorted((a.title, a.text, a.tags) for a in articles)


def test_iter_archive_reads_folders_jsonl_parquet_and_saved_datasets(archive, tmp_path):
    import json

    from newsnlp.keywords.idf import iter_archive

    expected = _seen(iter_archive(archive))
    assert len(expected) == 3
    # A post in a subfolder is read, a hidden file is not.
    nested = tmp_path / "nested"
    (nested / "2024").mkdir(parents=True)
    for i, p in enumerate(sorted(archive.glob("*.md"))):
        (nested / ("2024" if i else "") / p.name).write_bytes(p.read_bytes())
    (nested / ".draft.md").write_text("---\ntitle: 草稿\n---\n不应读到。\n", encoding="utf-8")
    assert _seen(iter_archive(nested)) == expected
    records = _records(archive)
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert _seen(iter_archive(jsonl)) == expected
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records), tmp_path / "posts.parquet")
    assert _seen(iter_archive(tmp_path / "posts.parquet")) == expected
    import datasets

    datasets.Dataset.from_list(records).save_to_disk(str(tmp_path / "saved"))
    assert _seen(iter_archive(tmp_path / "saved")) == expected


def test_tags_learn_and_idf_build_read_a_jsonl_archive_like_a_folder(archive, tmp_path, capsys):
    import json

    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records(archive)), encoding="utf-8")
    for name, source in (("folder", archive), ("jsonl", jsonl)):
        assert cli_main(["tags", "learn", str(source), "-o", str(tmp_path / f"{name}.vocab")]) == 0
        assert cli_main(["idf", "build", str(source), "-o", str(tmp_path / f"{name}.tsv"), "--min-df", "1"]) == 0
    assert (tmp_path / "folder.vocab").read_bytes() == (tmp_path / "jsonl.vocab").read_bytes()
    folder_idf, jsonl_idf = IDFTable.load(tmp_path / "folder.tsv"), IDFTable.load(tmp_path / "jsonl.tsv")
    assert folder_idf.df == jsonl_idf.df and folder_idf.n_docs == jsonl_idf.n_docs == 3
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "工会"}\n{not json\n', encoding="utf-8")
    capsys.readouterr()
    assert cli_main(["tags", "learn", str(bad), "-o", str(tmp_path / "x.vocab")]) == 2
    assert "newsnlp tags learn: " in capsys.readouterr().err and not (tmp_path / "x.vocab").exists()


def _saves(tmp_path: Path):
    yield "idf.tsv.gz", lambda p: build_idf(["宁波市总工会召开会议"], min_df=1).save(p)
    yield "idf.tsv", lambda p: build_idf(["宁波市总工会召开会议"], min_df=1).save(p)
    yield "vocab.txt", lambda p: TagVocabulary(["工会经费"]).save(p)
    yield "keyphraseness.tsv.gz", lambda p: save_keyphraseness({"工会": (5, 2)}, p)
    yield "keyword_weights.json", lambda p: KeywordWeights().save(p)


def test_model_files_are_written_all_or_nothing(tmp_path, monkeypatch):
    import os

    for name, save in _saves(tmp_path):
        # A file named like the old fixed temporary name is someone else's: left alone.
        (tmp_path / (name + ".tmp")).write_text("not newsnlp's", encoding="utf-8")
        save(tmp_path / name)
        assert (tmp_path / (name + ".tmp")).read_text(encoding="utf-8") == "not newsnlp's"
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    for name, save in _saves(tmp_path):
        with pytest.raises(OSError, match="disk full"):
            save(tmp_path / name)
    # The old files are whole and no temporary file is left.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_keyword_modules_import_one_way_and_vocabulary_never_imports_the_analyzer():
    import ast

    import newsnlp.keywords as package

    folder = Path(package.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        module = path.stem
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # lazy imports count too
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names.update([node.module] if node.module else [a.name for a in node.names])
            elif isinstance(node, ast.ImportFrom) and node.level == 2:
                names.add(".." + (node.module or ""))
        graph[module] = names
    assert not {n for n in graph["vocabulary"] if n.startswith("..analyzer") or n in ("extractor", "scoring")}
    local = {m: {n for n in deps if n in graph and n != "__init__"} for m, deps in graph.items() if m != "__init__"}
    done: set[str] = set()

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, f"import cycle: {' -> '.join(path + (m,))}"
        if m not in done:
            for n in local[m]:
                visit(n, path + (m,))
            done.add(m)

    for m in local:
        visit(m, ())


def test_learning_from_keywords_defaults_to_the_shipped_tagger():
    from newsnlp.keywords import vocabulary
    from newsnlp.keywords.extractor import shipped_extractor, suggest_with_shipped_model

    assert vocabulary.default_suggest is suggest_with_shipped_model
    posts = [Article(text=t) for t in ("阿里巴巴发布财报。阿里巴巴回购股份。", "阿里巴巴发布新品。阿里巴巴表示增长。")]
    default = learn_vocabulary_from_keywords(posts)
    given = learn_vocabulary_from_keywords(posts, suggest=lambda a, k: shipped_extractor().suggest_tags(a, k=k))
    assert default.to_text() == given.to_text() and len(default) >= 1
