"""newsnlp.batch.plan: the resume rules, decided from the journal entry and the article alone (no files)."""

from __future__ import annotations

import pytest

from newsnlp.batch.plan import Known, decide, hand_written, to_prune, versions_digest

V1 = versions_digest({"newsnlp": "0.1.0", "ner": "sha256:1111"})
V2 = versions_digest({"newsnlp": "0.1.0", "ner": "sha256:2222"})


def test_versions_digest_ignores_key_order_and_shares_one_string_per_versions():
    cache: dict[str, str] = {}
    a = versions_digest({"newsnlp": "0.1.0", "ner": "x"}, cache)
    b = versions_digest({"ner": "x", "newsnlp": "0.1.0"}, cache)
    assert a == b and a is b and len(a) == 16
    assert versions_digest({"newsnlp": "0.2.0", "ner": "x"}, cache) != a
    assert versions_digest(None) is None and versions_digest(["not", "a", "dict"]) is None


@pytest.mark.parametrize(
    "known, content_hash, kwargs, action",
    [
        (None, "h1", {}, "analyse"),  # new article
        (Known({"h1"}, 0, V1), "h2", {}, "analyse"),  # changed article
        (Known({"h1"}, 0, V1), "h1", {}, "skip"),  # unchanged, same versions
        (Known({"h1", "w1"}, 0, V1), "w1", {}, "skip"),  # unchanged since newsnlp wrote its front matter
        (Known({"h1"}, 0, V1), "h1", {"force": True}, "analyse"),
        (Known({"h1"}, 0, V2), "h1", {}, "refresh"),  # other model versions
        (Known({"h1"}, 0, None), "h1", {}, "refresh"),  # a record without versions
        (Known({"h1"}, 0, V2), "h1", {"refresh_stale": False}, "keep_stale"),
        (Known({"h1"}, 0, V2), "h1", {"refresh_stale": False, "force": True}, "analyse"),
        (Known({"h1"}, 0, V2), "h2", {"refresh_stale": False}, "analyse"),  # changed beats stale
    ],
)
def test_decide(known, content_hash, kwargs, action):
    assert decide(known, content_hash, versions=V1, **kwargs) == action


def test_to_prune_drops_only_ids_no_longer_in_a_fully_walked_archive():
    assert to_prune(["a", "c", "b"], {"a"}, walked=True, unreadable_rows=0, archive="_posts") == (["b", "c"], None)
    assert to_prune(["a"], {"a", "new"}, walked=True, unreadable_rows=0, archive="_posts") == ([], None)
    # An interrupted run did not see the whole archive: nothing is pruned, and no reason is needed.
    assert to_prune(["a", "b"], {"a"}, walked=False, unreadable_rows=0, archive="_posts") == ([], None)


def test_to_prune_refuses_when_the_archive_is_empty_or_has_unreadable_rows():
    gone, why = to_prune(["a", "b"], set(), walked=True, unreadable_rows=0, archive="_posts")
    assert gone == [] and why == "_posts holds no article, so every record would go; is that the right archive?"
    gone, why = to_prune(["a", "b"], {"a", "#7"}, walked=True, unreadable_rows=1, archive="in.jsonl")
    assert gone == [] and why.startswith("1 row(s) of in.jsonl could not be read")
    # Unreadable rows do not matter when nothing would be pruned anyway.
    assert to_prune(["a"], {"a", "#2"}, walked=True, unreadable_rows=1, archive="in.jsonl") == ([], None)


def test_hand_written_values_are_those_newsnlp_did_not_write():
    values = {"summary": "新摘要", "tags": ["工会"], "keywords": ["宁波"]}
    current = {"summary": "旧摘要", "tags": ["编辑的标签"], "keywords": ["宁波"], "layout": "post"}
    ours = {"summary": "旧摘要", "tags": ["上次的标签"]}
    # summary: newsnlp's own old value, updated; tags: the editor's, kept; keywords: already equal.
    assert hand_written(values, current, ours) == ["tags"]
    # Without a previous record every differing value already there is someone else's.
    assert hand_written(values, current, {}) == ["summary", "tags"]
    assert hand_written(values, {}, {}) == []
