"""jieba's dictionary is read once per process, cached on disk, and shared copy-on-write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsnlp.text import jieba_dict as _jieba_dict
from newsnlp.text.jieba_dict import CACHE_ENV, default_tables


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """A process with no tables yet and an empty cache folder (the shared tables come back after)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    saved = _jieba_dict._TABLES
    _jieba_dict._forget()
    yield tmp_path / "cache"
    _jieba_dict._TABLES = saved


def test_tables_are_jiebas_own():
    import jieba
    import jieba.posseg

    tables = default_tables()
    tok = jieba.Tokenizer()
    tok.initialize()
    assert tables.total == tok.total
    assert tables.freq == tok.FREQ
    own_tags = jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
    assert tables.word_tags == own_tags
    assert tables.word_tags["工会"] == "n"


def test_first_process_builds_and_writes_the_cache_later_ones_read_it(fresh_cache):
    built = default_tables()
    assert built.source == "built"
    files = list(fresh_cache.iterdir())
    assert [f.name for f in files] == [_jieba_dict.cache_path(built.digest).name]
    assert "jieba0.42" in files[0].name and built.digest[:24] in files[0].name
    assert default_tables() is built  # once per process
    _jieba_dict._forget()
    cached = default_tables()
    assert cached.source == "cache"
    assert (cached.freq, cached.total, cached.word_tags) == (built.freq, built.total, built.word_tags)
    # The tag table shares the prefix table's word objects (one copy of each word).
    word = next(w for w in cached.word_tags if len(w) > 1)
    assert next(k for k in cached.freq if k == word) is next(k for k in cached.word_tags if k == word)


def test_a_broken_or_stale_cache_file_is_rebuilt(fresh_cache):
    first = default_tables()
    path = _jieba_dict.cache_path(first.digest)
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a crash of another writer
    _jieba_dict._forget()
    again = default_tables()
    assert again.source == "built" and again.freq == first.freq
    import marshal

    path.write_bytes(marshal.dumps((_jieba_dict.CACHE_FORMAT, "0" * 64, {}, 0, {})))  # another dictionary's
    _jieba_dict._forget()
    assert default_tables().source == "built"
    assert not [p for p in fresh_cache.iterdir() if p.suffix == ".tmp"]


def test_an_unwritable_cache_folder_only_costs_the_rebuild(fresh_cache, monkeypatch):
    blocker = fresh_cache.parent / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    tables = default_tables()
    assert tables.source == "built" and tables.word_tags["工会"] == "n"


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "x"))
    assert _jieba_dict.cache_dir() == tmp_path / "x"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if not sys.platform.startswith("win"):
        assert _jieba_dict.cache_dir() == tmp_path / "xdg" / "newsnlp"


def test_words_added_to_one_tokenizer_reach_no_other(tmp_path):
    from newsnlp.text.posseg import default_tokenizer, fast_pos_tokenizer
    from newsnlp.text.segmentation import Segmenter

    tables = default_tables()
    n_words, n_tags = len(tables.freq), len(tables.word_tags)
    plain = default_tokenizer()
    assert plain.FREQ is tables.freq
    user = tmp_path / "user.txt"
    user.write_text("骑手驿站 5 nz\n", encoding="utf-8")
    seg = Segmenter(user_dict=user, words=["新就业形态"])
    text = "新就业形态劳动者来到骑手驿站"
    assert seg.cut(text) == ["新就业形态", "劳动者", "来到", "骑手驿站"]
    assert [(t.text, t.pos) for t in seg.pos_tag(text)][-1] == ("骑手驿站", "nz")
    assert seg.tokenizer.FREQ is not tables.freq
    # The shared tables and tokenizers built on them are unchanged.
    assert (len(tables.freq), len(tables.word_tags)) == (n_words, n_tags)
    assert "骑手驿站" not in tables.freq and "骑手驿站" not in tables.word_tags
    assert "骑手驿站" not in plain.lcut(text)
    assert ("骑手驿站", "nz") not in [(p.word, p.flag) for p in fast_pos_tokenizer().cut(text)]
    plain.add_word("劳动者来到", 10)  # add_word on a tokenizer of its own copies first
    assert plain.FREQ is not tables.freq and "劳动者来到" not in tables.freq


def test_keywords_see_user_dictionary_tags(tmp_path):
    from newsnlp.keywords.extractor import KeywordExtractor
    from newsnlp.text.segmentation import Segmenter

    user = tmp_path / "user.txt"
    user.write_text("骑手驿站 5 nz\n", encoding="utf-8")
    kx = KeywordExtractor.load(segmenter=Segmenter(user_dict=user))
    tokens = kx._segment("骑手驿站覆盖全县")
    assert ("骑手驿站", 0, 4, "nz") in tokens
    assert "骑手驿站" not in default_tables().word_tags


def test_jieba_posseg_imported_through_newsnlp_works_as_jiebas(tmp_path):
    """jieba.posseg's own module-level tokenizer gets the table newsnlp read (not a second read)."""
    text = "宁波市总工会主席李谦出席会议。ABC公司3.5亿元"
    script = (
        "import json, sys, jieba, jieba.posseg as ps\n"
        "print(json.dumps([[p.word, p.flag] for p in ps.lcut(sys.argv[1])]))\n"
    )
    via_newsnlp = (
        "import json, sys\n"
        "from newsnlp.text.posseg import fast_pos_tokenizer\n"
        "fast = fast_pos_tokenizer()\n"
        "import jieba, jieba.posseg as ps\n"
        "from newsnlp.text.jieba_dict import default_tables\n"
        "assert ps.dt.word_tag_tab == default_tables().word_tags\n"
        "assert ps.dt.word_tag_tab is not default_tables().word_tags\n"
        "assert 'get_dict_file' not in vars(jieba.dt)\n"
        "print(json.dumps([[p.word, p.flag] for p in ps.lcut(sys.argv[1])]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    runs = [
        subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, env=env, check=True)
        for code in (script, via_newsnlp)
    ]
    plain, through = (json.loads(r.stdout) for r in runs)
    assert through == plain
    assert ["李谦", "nr"] in plain
