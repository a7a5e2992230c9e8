"""Tests for the archive-adaptive entity lexicon: learn, save, load, use (library, Analyzer, CLI).

Posts are written here; a fake tagger says what the model found, so each case is exact.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsnlp import Analyzer
from newsnlp.entities.extractor import EntityExtractor
from newsnlp.entities.lexicon import EntityLexicon, learn_entity_lexicon
from newsnlp.errors import ModelLoadError

from test_entities import FakeTagger

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "ner" / "model.pt"

POSTS = [
    "星桥电子(300777)发布公告，订单增长。",
    "星桥电子表示，新产线投产。",
    "杭州云帆数据科技股份有限公司发布年报。云帆数据称，营收增长。",
    "远川资本参与了融资。",  # one post, no code, not a full name: not confident
]


def learner() -> EntityExtractor:
    # The "model" finds 星桥电子 only once (first post) and the others where written in full.
    class OnceTagger(FakeTagger):
        def predict(self, texts, batch_size=64):
            out = super().predict(texts, batch_size)
            return [spans if "300777" in t or "星桥电子" not in t else [s for s in spans if s.text != "星桥电子"]
                    for t, spans in zip(texts, out)]

    words = {"星桥电子": ("ORG", "company"), "杭州云帆数据科技股份有限公司": ("ORG", "company"),
             "云帆数据": ("ORG", "company"), "远川资本": ("ORG", "company")}
    return EntityExtractor(OnceTagger(words))


def test_learn_keeps_confident_names_and_short_forms():
    lex = learn_entity_lexicon(POSTS, extractor=learner(), min_posts=2)
    assert lex.entries == {
        "星桥电子": ("ORG", 1, ""),  # one post, but written with its stock code
        "杭州云帆数据科技股份有限公司": ("ORG", 1, ""),  # a full company name
        "云帆数据": ("ORG", 1, "杭州云帆数据科技股份有限公司"),  # its short form in that post
    }
    assert "远川资本" in learn_entity_lexicon(POSTS, extractor=learner(), min_posts=1).entries
    with pytest.raises(ValueError, match="min_posts must be at least 1"):
        learn_entity_lexicon(POSTS, extractor=learner(), min_posts=0)


def test_round_trip_and_use(tmp_path):
    lex = learn_entity_lexicon(POSTS, extractor=learner())
    path = lex.save(tmp_path / "lexicon.tsv")
    assert path.read_text(encoding="utf-8").splitlines()[0] == "name\tlabel\tposts\tcanonical"
    assert EntityLexicon.load(path).entries == lex.entries
    text = "星桥电子股价上涨，云帆数据回应。"
    # Without the lexicon the model misses 星桥电子 here; with it both names are organisations,
    # the short form kept as written because its full name is not in this post.
    assert [o.name for o in learner()(text).organisations] == ["云帆数据"]
    words = {"云帆数据": ("ORG", "company")}
    with_lex = EntityExtractor(FakeTagger(words), entity_lexicon=path)(text)
    assert [(o.name, o.mentions[0].start) for o in with_lex.organisations] == [("星桥电子", 0), ("云帆数据", 9)]
    # With the full name in the post the short form resolves to it.
    text = "杭州云帆数据科技股份有限公司公告称，云帆数据订单饱满。"
    e = EntityExtractor(FakeTagger({}), entity_lexicon=lex)(text)
    assert [o.name for o in e.organisations] == ["杭州云帆数据科技股份有限公司"]


def test_save_is_atomic_and_creates_the_folder(tmp_path, monkeypatch):
    lex = EntityLexicon({"星桥电子": ("ORG", 2, ""), "星桥": ("ORG", 1, "星桥电子")})
    path = lex.save(tmp_path / "new" / "lexicon.tsv")
    assert path.read_text(encoding="utf-8") == lex.to_tsv() == "name\tlabel\tposts\tcanonical\n星桥电子\tORG\t2\t\n星桥\tORG\t1\t星桥电子\n"
    # A failed write leaves the old file whole and no temporary file behind (the name is unique, not "<name>.tmp").
    import newsnlp._util as util

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(util.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        EntityLexicon({}).save(path)
    monkeypatch.undo()
    assert EntityLexicon.load(path).entries == lex.entries
    assert sorted(p.name for p in path.parent.iterdir()) == ["lexicon.tsv"]


def test_learn_commands_share_their_wiring(tmp_path, capsys):
    import argparse

    from newsnlp.cli.common import USAGE_ERROR, add_command_group, add_learn_parser, run_reporting_errors, write_output

    parser = argparse.ArgumentParser(prog="newsnlp")
    group = add_command_group(parser.add_subparsers(), "entities", help="h", description="d")
    add_learn_parser(group, help="h", description="d", output_help="o")
    args = parser.parse_args(["entities", "learn", "posts", "-o", "out.tsv"])
    assert (args.entities_command, args.archive, args.output) == ("learn", "posts", "out.tsv")
    with pytest.raises(SystemExit):
        parser.parse_args(["entities"])  # the action is required
    assert "required: ACTION" in capsys.readouterr().err

    def missing():
        raise FileNotFoundError("archive nowhere does not exist")

    assert run_reporting_errors("entities learn", missing) is None and USAGE_ERROR == 2
    assert capsys.readouterr().err == "newsnlp entities learn: archive nowhere does not exist\n"
    with pytest.raises(KeyError):
        run_reporting_errors("entities learn", lambda: {}["x"])  # not an input error: raised
    assert write_output(tmp_path / "a" / "b.tsv", "x\n").read_text(encoding="utf-8") == "x\n"


def test_lexicon_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="newsnlp entities learn"):
        EntityLexicon.load(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("tag\tcount\n", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="not an entity lexicon"):
        EntityLexicon.load(bad)
    bad.write_text("name\tlabel\tposts\tcanonical\n星桥电子\tORG\tmany\t\n", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="line 2"):
        EntityLexicon.load(bad)
    with pytest.raises(TypeError, match="entity_lexicon must be a path"):
        EntityExtractor(FakeTagger({}), entity_lexicon=["星桥电子"])


@pytest.mark.skipif(not SHIPPED.is_file(), reason="models/ner not built")
def test_cli_learn_and_analyzer(tmp_path, capsys):
    from newsnlp.cli.main import main

    archive = tmp_path / "posts"
    archive.mkdir()
    for i, text in enumerate(POSTS):
        (archive / f"2024-01-0{i + 1}-post.md").write_text(f"---\ntitle: 第{i + 1}篇\n---\n{text}\n", encoding="utf-8")
    out = tmp_path / "lexicon.tsv"
    assert main(["entities", "learn", str(archive), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    lex = EntityLexicon.load(out)
    assert "星桥电子" in lex.entries  # stock-coded in the first post
    analyzer = Analyzer(entity_lexicon=out)
    names = [o.name for o in analyzer.extract_entities("星桥电子盘中走高。").organisations]
    assert "星桥电子" in names
    assert main(["entities", "learn", str(tmp_path / "nowhere"), "-o", str(out)]) == 2


def test_tag_command_passes_the_lexicon_to_worker_analyzers(tmp_path):
    from newsnlp.batch import _analyzer_spec, _build_analyzer
    from newsnlp.cli.main import build_parser

    args = build_parser().parse_args(["tag", str(tmp_path), "--entity-lexicon", "lex.tsv"])
    assert args.entity_lexicon == "lex.tsv"
    kind, value = _analyzer_spec(Analyzer(entity_lexicon="lex.tsv"))
    assert kind == "analyzer" and value["entity_lexicon"] == "lex.tsv"
    assert _build_analyzer((kind, value)).entity_lexicon == "lex.tsv"
