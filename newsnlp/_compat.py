"""Old import paths, kept for one release.

Release 0.1 was one flat folder (``newsnlp.extractive``, ``newsnlp.ner_model``, ...). Those modules
now live in stage packages; importing an old path gives the new module itself (the very same
object, so ``monkeypatch`` and ``isinstance`` keep working) and a :class:`DeprecationWarning`
naming the new path. ``newsnlp.keywords``, ``newsnlp.entities``, ``newsnlp.batch``, ``newsnlp.text``
and ``newsnlp.cli`` kept their names: they became packages that re-export the old names.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: old module path -> new module path (removed in 0.3)
OLD_PATHS = {
    "newsnlp._posseg": "newsnlp.text.posseg",
    "newsnlp._jieba_dict": "newsnlp.text.jieba_dict",
    "newsnlp._hub": "newsnlp.resources",
    "newsnlp._resources": "newsnlp.resources",
    "newsnlp.extractive": "newsnlp.summarization.extractive",
    "newsnlp.abstractive": "newsnlp.summarization.abstractive",
    "newsnlp.pegasus_tokenizer": "newsnlp.summarization.pegasus_tokenizer",
    "newsnlp.tagvocab": "newsnlp.keywords.vocabulary",
    "newsnlp.idf": "newsnlp.keywords.idf",
    "newsnlp.gazetteer": "newsnlp.entities.gazetteer",
    "newsnlp.entity_lexicon": "newsnlp.entities.lexicon",
    "newsnlp.ner_model": "newsnlp.entities.backends.bilstm_crf",
    "newsnlp.ner_transformers": "newsnlp.entities.backends.transformer_tagger",
    "newsnlp.ray": "newsnlp.batch.ray",
    "newsnlp.benchcli": "newsnlp.cli.bench",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec):  # noqa: D401 - importlib protocol
        return importlib.import_module(self.new)

    def exec_module(self, module) -> None:
        pass  # already executed under its new name


class OldPathFinder(importlib.abc.MetaPathFinder):
    """Resolve the 0.1 module paths to their new homes, with a deprecation warning."""

    def find_spec(self, fullname, path=None, target=None):
        new = OLD_PATHS.get(fullname)
        if new is None:
            return None
        warnings.warn(
            f"{fullname} moved to {new}; the old path will be removed in newsnlp 0.3",
            DeprecationWarning,
            stacklevel=3,
        )
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def install() -> None:
    if not any(isinstance(f, OldPathFinder) for f in sys.meta_path):
        sys.meta_path.append(OldPathFinder())
