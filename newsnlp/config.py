"""One typed configuration for the whole analysis: :class:`AnalyzerConfig` and its stage parts.

Layer 1: imports only :mod:`newsnlp._util`. Every option of every stage lives here once, so it
reaches every place that builds an :class:`~newsnlp.Analyzer`: the worker processes and Ray actors
of ``tag_archive`` (they rebuild the Analyzer from :meth:`AnalyzerConfig.to_dict`), the
``Dataset.map`` helpers and every CLI command (:mod:`newsnlp.cli.options` builds one from the
shared options).

- :class:`TextConfig`: segmentation (the jieba user dictionary, used by keywords, entities and
  the summary trimmers alike);
- :class:`SummaryConfig`: the summariser and the summary budget of a full analysis;
- :class:`KeywordConfig`: how many keywords and tags, the IDF table, the archive's known tags;
- :class:`EntityConfig`: the NER model, gazetteer, archive lexicon and place head.

Each part is a frozen dataclass checked when built: a wrong value raises ``ValueError`` (or
``TypeError`` for a wrong type) naming the option, what was given and what is valid; an unknown
option raises naming the closest valid one. Options that name files are kept as ``str`` (lists of
files as tuples), so :meth:`AnalyzerConfig.to_dict` is JSON and ``from_dict(to_dict(c)) == c``;
in-memory tables (an ``EntityLexicon``, a ``TagVocabulary``, a ``Gazetteer``, an ``IDFTable``)
are kept as given, and then the dict is picklable but not JSON.

Example:
    >>> config = AnalyzerConfig.from_kwargs(top_k=20, max_chars=80)
    >>> config.keywords.top_k, config.summary.max_chars
    (20, 80)
    >>> AnalyzerConfig.from_dict(config.to_dict()) == config
    True
    >>> config.changed()
    {'summary': {'max_chars': 80}, 'keywords': {'top_k': 20}}
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, Mapping

from ._util import check_positive_int

__all__ = [
    "AnalyzerConfig", "EntityConfig", "KeywordConfig", "SummaryConfig", "TextConfig", "FLAT_OPTIONS", "option_digest",
]

DTYPES = ("float32", "bfloat16", "float16")
DEVICE_FORMS = "'auto', 'cpu', 'cuda', 'cuda:N' (N = GPU index) or 'mps'"
_DEVICE_RE = re.compile(r"auto|cpu|mps|cuda(?::\d+)?")


# --------------------------------------------------------------------------- value checks

def _unknown(where: str, names: Any, valid: Any) -> str:
    parts = []
    for name in sorted(names):
        close = difflib.get_close_matches(str(name), list(valid), n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"{where} got unknown option(s) {', '.join(parts)}; valid options are {', '.join(valid)}"


def _optional_positive(name: str, value: Any) -> None:
    if value is not None:
        check_positive_int(name, value)


def _path(name: str, value: Any, *, fix: str) -> str | None:
    """``None``, or a path given as ``str``/``PathLike`` -> ``str``."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{name} must be a path, got {type(value).__name__} {value!r:.60}; {fix}")


def _paths(name: str, value: Any, *, fix: str) -> str | tuple[str, ...] | None:
    """One path (``str``) or several (a tuple of ``str``, in order)."""
    if not isinstance(value, (str, bytes, os.PathLike)) and hasattr(value, "__iter__") and not isinstance(value, Mapping):
        value = tuple(value)  # any iterable of paths (the Segmenter takes one), in order
        if any(v is None for v in value):
            raise TypeError(f"{name} must be a path or a list of paths, got {value!r:.60}; {fix}")
        return tuple(_path(name, v, fix=fix) for v in value)  # type: ignore[misc]
    return _path(name, value, fix=fix)


def _path_or_table(name: str, value: Any, *, fix: str) -> Any:
    """A path (-> ``str``) or an in-memory table object (kept); plain data of another kind is refused."""
    if isinstance(value, (bool, int, float, bytes, dict, list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a path or a loaded table, got {type(value).__name__} {value!r:.60}; {fix}")
    if value is None or isinstance(value, (str, os.PathLike)):
        return _path(name, value, fix=fix)
    return value


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's field in __post_init__


def _plain(value: Any) -> Any:
    """The JSON form of a normalised option value: tuples become lists."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


class _Part:
    """Shared by the stage configs: ``to_dict``/``from_dict`` and the unknown-key check."""

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        """Build from a mapping of this part's options; unknown keys raise ``ValueError``."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__}.from_dict needs a mapping of options, got {type(data).__name__}")
        unknown = set(data) - set(cls.option_names())
        if unknown:
            raise ValueError(_unknown(f"{cls.__name__}.from_dict", unknown, cls.option_names()))
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Every option, JSON-safe (lists for tuples)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def changed(self) -> dict[str, Any]:
        """The options that differ from their defaults (JSON-safe)."""
        default = type(self)()
        return {k: v for k, v in self.to_dict().items() if v != _plain(getattr(default, k))}


# --------------------------------------------------------------------------- the stage configs

@dataclass(frozen=True)
class TextConfig(_Part):
    """Segmentation shared by every stage.

    Args:
        user_dict: jieba user dictionary path(s) (``word [freq] [pos]`` per line): keywords,
            entities and the summary trimmers all cut words with it.

    >>> TextConfig(user_dict=["a.txt", "b.txt"]).user_dict
    ('a.txt', 'b.txt')
    """

    user_dict: str | tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _set(self, "user_dict", _paths("user_dict", self.user_dict, fix="give a jieba user dictionary file or a list of them"))


@dataclass(frozen=True)
class SummaryConfig(_Part):
    """The summariser and the budget of the summary in a full analysis.

    Args:
        model: ``None`` for the shipped extractive summariser, or a local directory / hub id of
            a seq2seq model (BART-Chinese, mT5, Pegasus-Chinese) for abstracts.
        max_chars: summary budget in characters (``None``: the model's news default, which
            adapts to the article's length).
        max_sentences: at most this many sentences (``None``: no limit).
        num_beams, max_new_tokens, max_input_tokens, batch_size, dtype: options of the
            abstractive summariser (:class:`~newsnlp.summarization.abstractive.AbstractiveSummarizer`);
            the extractive one ignores them.

    >>> SummaryConfig(num_beams=0)
    Traceback (most recent call last):
    ...
    ValueError: num_beams must be a positive int, got 0
    """

    model: str | None = None
    max_chars: int | None = None
    max_sentences: int | None = None
    num_beams: int = 4
    max_new_tokens: int = 64
    max_input_tokens: int | None = None
    batch_size: int = 8
    dtype: Literal["float32", "bfloat16", "float16"] = "float32"

    def __post_init__(self) -> None:
        _set(self, "model", _path("summary model", self.model,
                                  fix="give a local model directory or a hub id (None for the shipped model)"))
        _optional_positive("max_chars", self.max_chars)
        _optional_positive("max_sentences", self.max_sentences)
        check_positive_int("num_beams", self.num_beams)
        check_positive_int("max_new_tokens", self.max_new_tokens)
        check_positive_int("batch_size", self.batch_size)
        _optional_positive("max_input_tokens", self.max_input_tokens)
        if self.max_input_tokens is not None and self.max_input_tokens < 8:
            raise ValueError(f"max_input_tokens must be at least 8 (a few words per chunk), got {self.max_input_tokens}")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(map(repr, DTYPES))}, got {self.dtype!r}")

    def abstractive_options(self) -> dict[str, Any]:
        """The keyword arguments of ``AbstractiveSummarizer`` set here."""
        return {
            "num_beams": self.num_beams, "max_new_tokens": self.max_new_tokens, "batch_size": self.batch_size,
            "dtype": self.dtype, "max_input_tokens": self.max_input_tokens,
        }


@dataclass(frozen=True)
class KeywordConfig(_Part):
    """Keywords and tags.

    Args:
        top_k: keywords per article in a full analysis (a maximum, not a quota).
        tags_k: tags per article in a full analysis.
        idf: an IDF table to rank with instead of the shipped one: the file (or folder) written by
            ``newsnlp idf build ARCHIVE -o OUT``, or an ``IDFTable``.
        tag_vocabulary: the archive's known tags, preferred as tags: a file (one tag a line, from
            ``newsnlp tags learn``), a list of tags, or a ``TagVocabulary``.

    >>> KeywordConfig(tag_vocabulary={"港股", "茅台"}).tag_vocabulary
    ('港股', '茅台')
    """

    top_k: int = 10
    tags_k: int = 5
    idf: Any = None
    tag_vocabulary: Any = None

    def __post_init__(self) -> None:
        check_positive_int("top_k", self.top_k)
        check_positive_int("tags_k", self.tags_k)
        _set(self, "idf", _path_or_table("idf", self.idf, fix="give the file or folder written by `newsnlp idf build`"))
        vocab = self.tag_vocabulary
        if isinstance(vocab, (set, frozenset)):
            vocab = tuple(sorted(vocab))
        if isinstance(vocab, (list, tuple)):
            bad = [t for t in vocab if not isinstance(t, str)]
            if bad:
                raise TypeError(f"tag_vocabulary must hold tags as str, got {bad[0]!r}")
            vocab = tuple(vocab)
        else:
            vocab = _path_or_table("tag_vocabulary", vocab,
                                   fix="give a file of known tags (one a line, from `newsnlp tags learn`) or a list of tags")
        _set(self, "tag_vocabulary", vocab)


@dataclass(frozen=True)
class EntityConfig(_Part):
    """Entity extraction.

    Args:
        model: ``None`` for the shipped NER model, or a local directory / hub id of a
            token-classification model.
        gazetteer: ``"shipped"`` (default) for ``models/gazetteer``, a folder / ``companies.tsv``
            path, a ``Gazetteer``, or ``None`` for none.
        entity_lexicon: an archive's entity lexicon (path or ``EntityLexicon``, from
            ``newsnlp entities learn``): its names are organisations in every article.
        place_head: which head of the model gives the places: ``"auto"`` (default: the MSRA
            head when the model has one, as the shipped one does, else the news head), ``"news"``
            or another head of the model (``"msra"``). docs/entities.md compares them.
    """

    model: str | None = None
    gazetteer: Any = "shipped"
    entity_lexicon: Any = None
    place_head: str = "auto"

    def __post_init__(self) -> None:
        _set(self, "model", _path("ner model", self.model,
                                  fix="give a local model directory or a hub id (None for the shipped model)"))
        _set(self, "gazetteer", _path_or_table("gazetteer", self.gazetteer,
                                               fix="give 'shipped', None, a folder or companies.tsv, or a Gazetteer"))
        _set(self, "entity_lexicon", _path_or_table("entity_lexicon", self.entity_lexicon,
                                                    fix="write one with `newsnlp entities learn ARCHIVE -o lexicon.tsv`"))
        if not isinstance(self.place_head, str) or not self.place_head:
            raise ValueError(f"place_head must be 'auto' or the name of a model head ('news', 'msra'), got {self.place_head!r}")


# --------------------------------------------------------------------------- the whole

_PARTS = {"text": TextConfig, "summary": SummaryConfig, "keywords": KeywordConfig, "entities": EntityConfig}

#: ``Analyzer(**kwargs)`` / :meth:`AnalyzerConfig.from_kwargs` names -> (part, option); part
#: ``None`` is an option of the whole.
FLAT_OPTIONS: dict[str, tuple[str | None, str]] = {
    "device": (None, "device"),
    "local_files_only": (None, "local_files_only"),
    "user_dict": ("text", "user_dict"),
    "summary_model": ("summary", "model"),
    "max_chars": ("summary", "max_chars"),
    "max_sentences": ("summary", "max_sentences"),
    "num_beams": ("summary", "num_beams"),
    "max_new_tokens": ("summary", "max_new_tokens"),
    "max_input_tokens": ("summary", "max_input_tokens"),
    "summary_batch_size": ("summary", "batch_size"),
    "dtype": ("summary", "dtype"),
    "top_k": ("keywords", "top_k"),
    "tags_k": ("keywords", "tags_k"),
    "idf": ("keywords", "idf"),
    "tag_vocabulary": ("keywords", "tag_vocabulary"),
    "ner_model": ("entities", "model"),
    "gazetteer": ("entities", "gazetteer"),
    "entity_lexicon": ("entities", "entity_lexicon"),
    "place_head": ("entities", "place_head"),
}

# Options that change no result (where the models run), left out of the records' versions.
_NOT_RESULTS = {("summary", "batch_size")}
# Options identified in the versions by their own key (a model name, a content digest).
_OWN_VERSION_KEY = {
    ("summary", "model"): "summary_model", ("entities", "model"): "ner_model",
    ("text", "user_dict"): "user_dict", ("keywords", "tag_vocabulary"): "tag_vocabulary",
    ("entities", "entity_lexicon"): "entity_lexicon", ("keywords", "idf"): "idf", ("entities", "gazetteer"): "gazetteer",
}


@dataclass(frozen=True)
class AnalyzerConfig:
    """Everything an :class:`~newsnlp.Analyzer` is built from, one part per stage.

    Args:
        text: segmentation (:class:`TextConfig`).
        summary: the summariser and the summary budget (:class:`SummaryConfig`).
        keywords: keywords and tags (:class:`KeywordConfig`).
        entities: entity extraction (:class:`EntityConfig`).
        device: ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda:N"`` or ``"mps"``, for the
            transformers back-ends.
        local_files_only: never download (default); ``False`` lets transformers fetch a hub id.

    Each part may also be given as a dict of its options.

    Example:
        >>> AnalyzerConfig(keywords={"top_k": 3}).keywords
        KeywordConfig(top_k=3, tags_k=5, idf=None, tag_vocabulary=None)
        >>> AnalyzerConfig.from_kwargs(top_kk=3)
        Traceback (most recent call last):
        ...
        TypeError: Analyzer() got unknown option(s) 'top_kk' (did you mean 'top_k'?); valid options are ...
    """

    text: TextConfig = field(default_factory=TextConfig)
    summary: SummaryConfig = field(default_factory=SummaryConfig)
    keywords: KeywordConfig = field(default_factory=KeywordConfig)
    entities: EntityConfig = field(default_factory=EntityConfig)
    device: str = "auto"
    local_files_only: bool = True

    def __post_init__(self) -> None:
        for name, cls in _PARTS.items():
            value = getattr(self, name)
            if isinstance(value, Mapping):
                value = cls.from_dict(value)
            if not isinstance(value, cls):
                raise TypeError(f"{name} must be a {cls.__name__} or a dict of its options, got {type(value).__name__}")
            _set(self, name, value)
        device = self.device
        if device is None:
            device = "auto"
        elif not isinstance(device, str) and type(device).__name__ == "device" and hasattr(device, "type"):
            device = str(device)  # a torch.device (checked by name: torch is not imported here)
        if not isinstance(device, str) or not _DEVICE_RE.fullmatch(device.strip().lower()):
            raise ValueError(f"device must be {DEVICE_FORMS}, got {self.device!r}")
        _set(self, "device", device.strip().lower())
        if not isinstance(self.local_files_only, bool):
            raise TypeError(f"local_files_only must be True or False, got {self.local_files_only!r}")

    # ------------------------------------------------------------------ building
    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> "AnalyzerConfig":
        """Build from the flat ``Analyzer(**kwargs)`` names (see :data:`FLAT_OPTIONS`).

        A part may also be given whole: ``from_kwargs(summary=SummaryConfig(...), top_k=3)``.

        Raises:
            TypeError: an unknown option (the message names the closest valid one).
            ValueError: a bad value.

        Example:
            >>> AnalyzerConfig.from_kwargs(summary_model="./bart", num_beams=2).summary.model
            './bart'
        """
        return cls().replace(**kwargs)

    def replace(self, **kwargs: Any) -> "AnalyzerConfig":
        """A copy with the given flat options (or whole parts) changed.

        Example:
            >>> AnalyzerConfig().replace(top_k=3, device="cpu").keywords.top_k
            3
        """
        unknown = set(kwargs) - set(FLAT_OPTIONS) - set(_PARTS)
        if unknown:
            raise TypeError(_unknown("Analyzer()", unknown, [*FLAT_OPTIONS, *_PARTS]))
        whole = {k: kwargs[k] for k in _PARTS if k in kwargs}
        top: dict[str, Any] = {}
        per_part: dict[str, dict[str, Any]] = {}
        for name, value in kwargs.items():
            if name in _PARTS:
                continue
            part, option = FLAT_OPTIONS[name]
            if part is None:
                top[option] = value
            else:
                per_part.setdefault(part, {})[option] = value
        changes: dict[str, Any] = dict(top)
        for part in _PARTS:
            base = whole.get(part, getattr(self, part))
            if isinstance(base, Mapping):
                base = _PARTS[part].from_dict(base)
            if part in per_part:
                base = dataclasses.replace(base, **per_part[part])
            changes[part] = base
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "AnalyzerConfig":
        """Build from :meth:`to_dict`'s form; missing keys take their defaults.

        Raises:
            ValueError: an unknown key, at the top or in a part (the message names the closest
                valid one), or a bad value.

        Example:
            >>> AnalyzerConfig.from_dict({"keywords": {"tags_k": 3}}).keywords.tags_k
            3
        """
        if isinstance(data, AnalyzerConfig):
            return data
        if not isinstance(data, Mapping):
            raise TypeError(f"AnalyzerConfig.from_dict needs a mapping, got {type(data).__name__}")
        valid = [f.name for f in fields(cls)]
        unknown = set(data) - set(valid)
        if unknown:
            raise ValueError(_unknown("AnalyzerConfig.from_dict", unknown, valid))
        values = dict(data)
        for name, part in _PARTS.items():
            if name in values:
                values[name] = part.from_dict(values[name])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Every option, nested by stage; JSON when the file options are paths (see the module docs).

        Example:
            >>> AnalyzerConfig().to_dict()["keywords"]
            {'top_k': 10, 'tags_k': 5, 'idf': None, 'tag_vocabulary': None}
        """
        out: dict[str, Any] = {name: getattr(self, name).to_dict() for name in _PARTS}
        out["device"] = self.device
        out["local_files_only"] = self.local_files_only
        return out

    def to_kwargs(self) -> dict[str, Any]:
        """The flat ``Analyzer(**kwargs)`` form of every option: ``Analyzer(**c.to_kwargs())`` has ``config == c``."""
        out = {}
        for flat, (part, option) in FLAT_OPTIONS.items():
            out[flat] = getattr(self if part is None else getattr(self, part), option)
        return out

    def changed(self) -> dict[str, Any]:
        """The options that differ from the defaults, nested like :meth:`to_dict`."""
        out: dict[str, Any] = {}
        for name in _PARTS:
            diff = getattr(self, name).changed()
            if diff:
                out[name] = diff
        for name in ("device", "local_files_only"):
            if getattr(self, name) != getattr(AnalyzerConfig, name):
                out[name] = getattr(self, name)
        return out

    # ------------------------------------------------------------------ records
    def versions(self) -> dict[str, Any]:
        """What the options add to each output record's ``versions`` block.

        The models by name, the option files and tables by content digest (a renamed copy gives
        the same results; an edited file does not), and under ``"config"`` every other option
        that changes results and differs from its default. With the defaults this is ``{}``, so
        records written before the configuration existed stay current.

        Example:
            >>> AnalyzerConfig().versions()
            {}
            >>> AnalyzerConfig.from_kwargs(top_k=3, device="cpu").versions()
            {'config': {'keywords': {'top_k': 3}}}
        """
        versions: dict[str, Any] = {}
        if self.summary.model:
            versions["summary_model"] = str(self.summary.model)
        if self.entities.model:
            versions["ner_model"] = str(self.entities.model)
        # Archive-specific data changes the results as much as a model does: a new user
        # dictionary, tag vocabulary, entity lexicon, IDF table or gazetteer makes older records stale.
        for (part, option), key in _OWN_VERSION_KEY.items():
            value = getattr(getattr(self, part), option)
            if option == "model" or value is None:
                continue
            if option == "gazetteer" and value == "shipped":
                continue
            versions[key] = option_digest(value)
        if self.entities.gazetteer is None:
            versions["gazetteer"] = "none"
        rest: dict[str, Any] = {}
        for name in _PARTS:
            diff = {k: v for k, v in getattr(self, name).changed().items()
                    if (name, k) not in _OWN_VERSION_KEY and (name, k) not in _NOT_RESULTS}
            if diff:
                rest[name] = diff
        if rest:
            versions["config"] = rest
        return versions


def option_digest(value: Any) -> str:
    """A short content digest of an option that is a file, a list of files or an in-memory table.

    >>> option_digest(["港股", "茅台"]) == option_digest(("港股", "茅台"))
    True
    """
    digest = hashlib.sha256()
    paths = value if isinstance(value, (list, tuple)) else [value]
    if paths and all(isinstance(p, (str, os.PathLike)) for p in paths) and (
        isinstance(value, (str, os.PathLike)) or all(Path(p).is_file() for p in paths)
    ):
        for path in map(Path, paths):
            try:
                if path.is_dir():  # a model folder (an IDF table's): its files, by name
                    for f in sorted(f for f in path.rglob("*") if f.is_file()):
                        digest.update(f.relative_to(path).as_posix().encode() + b"\0" + f.read_bytes())
                    continue
                digest.update(path.read_bytes())
            except OSError:  # not readable here: the Analyzer reports it when it loads the option
                digest.update(os.fsencode(str(path)))
            digest.update(b"\0")
    else:
        entries = getattr(value, "entries", value)
        if isinstance(entries, dict):
            entries = sorted(entries.items())
        try:
            items = list(entries)
        except TypeError:
            items = [repr(value)]
        digest.update(json.dumps(items, ensure_ascii=False, default=str).encode("utf-8"))
    return "sha256:" + digest.hexdigest()[:16]
