"""The stage protocols and the one batching rule (newsnlp/protocols.py): batch when the back-end can,
else item by item; a failing batch is redone item by item so only the item at fault raises."""

from __future__ import annotations

import pytest

from newsnlp import Analyzer
from newsnlp.protocols import (
    BATCH_METHOD, EntityExtractor, KeywordRanker, NERTagger, Summarizer, batch_method, run_batch, stream_batch,
)


class Doubler:
    def __init__(self, fail_batch: bool = False, fail_on: int | None = None) -> None:
        self.calls: list[str] = []
        self.fail_batch, self.fail_on = fail_batch, fail_on

    def __call__(self, x: int, *, plus: int = 0) -> int:
        self.calls.append("one")
        if x == self.fail_on:
            raise ValueError(f"bad item {x}")
        return 2 * x + plus

    def pipe(self, xs: list[int], *, plus: int = 0) -> list[int]:
        self.calls.append("batch")
        if self.fail_batch or self.fail_on in xs:
            raise RuntimeError("the batch failed")
        return [2 * x + plus for x in xs]


def test_a_batch_goes_through_the_batch_method_once_with_the_options():
    stage = Doubler()
    assert run_batch(stage, [1, 2, 3], plus=1) == [3, 5, 7]
    assert stage.calls == ["batch"]
    assert BATCH_METHOD == "pipe" and batch_method(stage) == stage.pipe


def test_one_item_and_stages_without_a_batch_method_go_item_by_item():
    stage = Doubler()
    assert run_batch(stage, [4]) == [8] and stage.calls == ["one"]
    assert run_batch(lambda x: x + 1, [1, 2]) == [2, 3]
    assert run_batch(stage, []) == []


def test_a_failing_batch_is_redone_item_by_item_and_the_item_at_fault_raises():
    stage = Doubler(fail_batch=True)
    assert run_batch(stage, [1, 2]) == [2, 4]  # the batch failed, every item alone did not
    stage = Doubler(fail_on=3)
    seen = []
    with pytest.raises(ValueError, match="bad item 3"):
        for result in stream_batch(stage, [1, 2, 3, 4]):
            seen.append(result)
    assert seen == [2, 4]  # the results before the failing item were yielded


def test_the_0_1_batch_names_still_batch():
    class Old:
        def __call__(self, x):
            return x

        def extract_many(self, xs):
            return [x * 10 for x in xs]

    assert run_batch(Old(), [1, 2]) == [10, 20]


def test_the_shipped_back_ends_are_the_stage_protocols():
    nlp = Analyzer()
    assert isinstance(nlp._summarizer(None), Summarizer)
    assert isinstance(nlp.keyword_extractor, KeywordRanker)
    extractor = nlp._entity_extractor(None)
    assert isinstance(extractor, EntityExtractor)
    assert isinstance(extractor.tagger, NERTagger)


def test_analyze_many_falls_back_item_by_item_when_a_stage_batch_fails(monkeypatch):
    texts = ["宁波市总工会召开会议。", "", "杭州市中级人民法院开庭。"]
    nlp = Analyzer()
    expected = [nlp(t) for t in texts]
    extractor = nlp._entity_extractor(None)

    def broken(_articles):
        raise MemoryError("a batch too big for the device")

    monkeypatch.setattr(extractor, "extract_many", broken)
    assert nlp.analyze_many(texts) == expected
