"""The analysis options every command shares: one parser, one :class:`~newsnlp.config.AnalyzerConfig`.

``newsnlp analyze`` and ``newsnlp tag`` (and any command that builds an Analyzer) call
:func:`add_analyzer_arguments` on their parser and :func:`config_from_args` on the parsed
arguments, so every option reaches every stage the same way in every command.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_analyzer_arguments(parser)
    >>> config = config_from_args(parser.parse_args(["--top-k", "3", "--summary-max-chars", "60"]))
    >>> config.keywords.top_k, config.summary.max_chars
    (3, 60)
"""

from __future__ import annotations

import argparse
from typing import Any

from .._util import positive_int_arg
from ..config import DTYPES, AnalyzerConfig

__all__ = ["ANALYZER_OPTIONS", "add_analyzer_arguments", "config_from_args"]

#: argparse ``dest`` -> the flat :class:`AnalyzerConfig` option it sets (``None`` = not given).
ANALYZER_OPTIONS = {
    "summary_model": "summary_model",
    "summary_max_chars": "max_chars",
    "summary_max_sentences": "max_sentences",
    "num_beams": "num_beams",
    "max_new_tokens": "max_new_tokens",
    "max_input_tokens": "max_input_tokens",
    "summary_batch_size": "summary_batch_size",
    "dtype": "dtype",
    "top_k": "top_k",
    "tags_k": "tags_k",
    "idf": "idf",
    "tag_vocabulary": "tag_vocabulary",
    "ner_model": "ner_model",
    "gazetteer": "gazetteer",
    "entity_lexicon": "entity_lexicon",
    "place_head": "place_head",
    "user_dict": "user_dict",
    "device": "device",
}


def add_analyzer_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the analysis options (models, counts, budgets, archive data) to ``parser``, as one group.

    Every default is "not given": the :class:`~newsnlp.config.AnalyzerConfig` default applies.
    """
    g = parser.add_argument_group("analysis options", "the models and options of every stage (default: the shipped models)")
    g.add_argument("--summary-model", default=None, metavar="MODEL",
                   help="local dir or hub id of a seq2seq model (default: shipped extractive model)")
    g.add_argument("--summary-max-chars", type=positive_int_arg, default=None, metavar="N",
                   help="summary budget in characters (default: adapts to the article, at most 120)")
    g.add_argument("--summary-max-sentences", type=positive_int_arg, default=None, metavar="N",
                   help="at most N sentences in the summary")
    g.add_argument("--num-beams", type=positive_int_arg, default=None, metavar="N",
                   help="beam width of the abstractive summariser (default 4)")
    g.add_argument("--max-new-tokens", type=positive_int_arg, default=None, metavar="N",
                   help="most tokens the abstractive summariser writes (default 64)")
    g.add_argument("--max-input-tokens", type=positive_int_arg, default=None, metavar="N",
                   help="input tokens per abstractive model call (default: the model's limit)")
    g.add_argument("--summary-batch-size", type=positive_int_arg, default=None, metavar="N",
                   help="articles per abstractive generate call (default 8)")
    g.add_argument("--dtype", choices=DTYPES, default=None,
                   help="abstractive model weights' precision (default float32; bfloat16/float16 halve GPU memory)")
    g.add_argument("--top-k", type=positive_int_arg, default=None, metavar="N", help="keywords per article (default 10)")
    g.add_argument("--tags-k", type=positive_int_arg, default=None, metavar="N", help="tags per article (default 5)")
    g.add_argument("--idf", default=None, metavar="PATH",
                   help="IDF table to rank keywords with, from `newsnlp idf build` (default: the shipped news table)")
    g.add_argument("--tag-vocabulary", default=None, metavar="PATH",
                   help="file of known tags, one a line (from `newsnlp tags learn`): preferred as tags")
    g.add_argument("--ner-model", default=None, metavar="MODEL", help="local dir or hub id of a token-classification model")
    g.add_argument("--gazetteer", default=None, metavar="PATH",
                   help="company gazetteer folder or companies.tsv, or none (default: the shipped one)")
    g.add_argument("--entity-lexicon", default=None, metavar="PATH",
                   help="archive entity lexicon from `newsnlp entities learn` (its names are organisations in every post)")
    g.add_argument("--place-head", default=None, metavar="HEAD",
                   help="model head giving the places: auto (default: msra when the model has it), news or msra")
    g.add_argument("--user-dict", default=None, metavar="PATH",
                   help="jieba user dictionary (used by keywords, entities and the summary trimmers)")
    g.add_argument("--device", default=None, help="auto (default), cpu or cuda:N (transformers back-ends)")
    g.add_argument("--allow-download", action="store_true",
                   help="let transformers download a hub id that is not in the local cache (default: offline)")


def config_from_args(args: argparse.Namespace, base: AnalyzerConfig | None = None) -> AnalyzerConfig:
    """The :class:`~newsnlp.config.AnalyzerConfig` of the parsed options (those not given keep ``base``'s).

    Raises:
        ValueError, TypeError: an option value the configuration refuses (the message says why).
    """
    options: dict[str, Any] = {}
    for dest, flat in ANALYZER_OPTIONS.items():
        value = getattr(args, dest, None)
        if value is None:
            continue
        if dest == "gazetteer" and value.lower() in ("none", "shipped"):
            value = None if value.lower() == "none" else "shipped"
        options[flat] = value
    if getattr(args, "allow_download", False):
        options["local_files_only"] = False
    return (base or AnalyzerConfig()).replace(**options)
