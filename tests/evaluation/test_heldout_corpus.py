"""Consistency checks for the held-out labelled set in ``benchmarks/data/heldout``.

The held-out set has the same layout and label rules as the main sample
(``docs/labelling.md``), so it is checked by the same code: the checks of
``tests/test_sample_corpus.py`` are called here with that module's corpus
globals (``DATA``, ``LABELS``, ``ROWS``, ``PARSED``) pointed at the held-out
set for the duration of each test. Only what differs is written here: the
length mix of the held-out set (3 flash items, 8 medium articles, 3 features)
and that its ids never collide with the main sample's.
"""

from __future__ import annotations

import json

import pytest

import test_sample_corpus as sample
from test_sample_corpus import BEATS, body_length, parse_post

DATA = sample.DATA / "heldout"
POSTS = DATA / "posts"
LABELS = DATA / "labels.jsonl"

with LABELS.open(encoding="utf-8") as _handle:
    ROWS = [json.loads(line) for line in _handle if line.strip()]
POST_FILES = sorted(POSTS.glob("*.md"))
PARSED = {path.stem: parse_post(path) for path in POST_FILES}

# The main sample's checks, under names pytest does not collect a second time.
check_rows_and_posts_match = sample.test_every_label_row_has_a_post_and_every_post_has_a_row
check_labels_file_written_sorted = sample.test_labels_file_is_sorted_and_written_without_ascii_escapes
check_archive_format = sample.test_post_follows_the_archive_format
check_row_well_formed = sample.test_label_row_is_well_formed
check_entities_occur = sample.test_labelled_entities_occur_in_the_article
check_order_of_first_mention = sample.test_labels_are_listed_in_order_of_first_mention


@pytest.fixture
def heldout(monkeypatch):
    """Point the main sample's checks at the held-out set for one test."""
    monkeypatch.setattr(sample, "DATA", DATA)
    monkeypatch.setattr(sample, "LABELS", LABELS)
    monkeypatch.setattr(sample, "ROWS", ROWS)
    monkeypatch.setattr(sample, "PARSED", PARSED)


def test_heldout_set_is_not_empty_and_is_read_from_its_own_folder():
    assert len(POST_FILES) == 14
    assert all(path.parent == POSTS for path in POST_FILES)
    assert LABELS.is_file()


def test_every_label_row_has_a_post_and_every_post_has_a_row(heldout):
    check_rows_and_posts_match()


def test_labels_file_is_sorted_and_written_without_ascii_escapes(heldout):
    check_labels_file_written_sorted()


def test_length_mix():
    """3 flash items (< 150 characters), 8 medium (300–1,500), 3 features (> 2,000)."""
    lengths = {stem: body_length(post["body_text"]) for stem, post in PARSED.items()}
    classes = {
        "flash": sum(n < 150 for n in lengths.values()),
        "medium": sum(300 <= n <= 1500 for n in lengths.values()),
        "feature": sum(n > 2000 for n in lengths.values()),
    }
    assert classes == {"flash": 3, "medium": 8, "feature": 3}, sorted(lengths.items(), key=lambda kv: kv[1])


def test_beats_are_known_and_several_are_covered():
    beats = [row["beat"] for row in ROWS]
    assert set(beats) <= BEATS, sorted(set(beats) - BEATS)
    assert len(set(beats)) >= 5, beats


def test_ids_are_new_and_never_collide_with_the_main_sample():
    sample_ids = {path.stem for path in sample.POST_FILES}
    assert not sample_ids & set(PARSED)
    # written after the entity rules were frozen on the 2024 sample posts
    assert all(stem.startswith("2025-") for stem in PARSED)


@pytest.mark.parametrize("path", POST_FILES, ids=lambda p: p.stem)
def test_post_follows_the_archive_format(path):
    check_archive_format(path)


@pytest.mark.parametrize("path", POST_FILES, ids=lambda p: p.stem)
def test_category_value_is_quoted(path):
    raw = path.read_text(encoding="utf-8")
    category = parse_post(path)["meta"]["categories"]
    assert f'categories: "{category}"' in raw


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_label_row_is_well_formed(heldout, row):
    check_row_well_formed(row)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_labelled_entities_occur_in_the_article(heldout, row):
    check_entities_occur(row)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_labels_are_listed_in_order_of_first_mention(heldout, row):
    check_order_of_first_mention(row)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_officials_are_listed_in_order_of_first_mention(row):
    text = PARSED[row["id"]]["text"]
    names = [official["name"] for official in row["officials"]]
    assert names == sorted(names, key=text.find)
