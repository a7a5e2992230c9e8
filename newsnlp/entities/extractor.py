"""Entities of a news article: an NER model's spans plus news-aware rules.

The model (``newsnlp.entities.backends.bilstm_crf.NERTagger``, or a transformers token-classification model
through ``newsnlp.entities.backends.transformer_tagger``) finds PERSON, ORG, TITLE and LOC spans. Cheap regular
expressions on top of it

* add organisations the model missed when a place or a level prefix anchors them
  (``宁波市总工会``, ``市发改委``, ``中共浙江省委``);
* find programmes: ``《》`` documents, quoted names with their head noun
  (“十件实事”项目 -> ``十件实事项目``), quoted schemes (“工惠保”) and a few unquoted forms;
* link officials to their title(s) and organisation, in both orders and with compound
  titles (``宁波市人大常委会副主任、市总工会主席李谦``, ``浙江省委袁家军书记``,
  ``汤建民（市发改委主任）``);
* resolve short forms of organisations to the full name the article uses
  (``市总工会`` -> ``宁波市总工会``, ``省发改委`` -> ``浙江省发展和改革委员会``,
  ``恒川股份`` -> ``宁波恒川汽车零部件股份有限公司``).

Every offset indexes ``article.text``. The rule tables (:data:`TITLE_LEXICON`,
:data:`ORG_SUFFIXES`, :data:`PROGRAMME_HEADS`, ...) are plain tuples in :mod:`.rules`; pass
your own to :class:`EntityExtractor` to change them. docs/entities.md describes the rules.

This module loads the model and assembles the result; each job has its own module:

- :mod:`.rules`: the rule tables and the patterns built from them;
- :mod:`.candidates`: candidate mentions and how overlaps are resolved;
- :mod:`.spans`: repair of the model's spans (:class:`~.spans.ModelSpanRepair`);
- :mod:`.persons`: person-name rules;
- :mod:`.organisations`: organisation rules (:class:`~.organisations.OrganisationFinder`) and
  short form -> full name (:class:`~.organisations.OrgResolver`);
- :mod:`.officials`: title chains -> officials (:class:`~.officials.TitleChainParser`);
- :mod:`.programmes`: programmes (:class:`~.programmes.ProgrammeFinder`);
- :mod:`.scoring`: comparing with labelled articles.
"""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any, Iterable, Sequence

from ..article import Article, as_article
from ..protocols import NERTagger
from ..types import Entities, Entity, Mention, Official, Span
from .candidates import Candidate, cut_at_punctuation, resolve_overlaps, strip_quotes, trim
from .gazetteer import Gazetteer
from .lexicon import as_lexicon
from .officials import TitleChainParser, foreign_leader_candidates, title_candidates
from .organisations import OrganisationFinder, OrgResolver, is_attribution, level_split, not_an_organisation, org_subtype, short_form_of
from .persons import listed_names
from .programmes import ProgrammeFinder
from .rules import (
    COMPANY_TITLES, ORG_SUFFIXES, PROGRAMME_HEADS, SCHEME_CUES, TITLE_LEXICON, RulePatterns, title_words,
)
from .scoring import entity_labels, score_entity_labels
from .spans import ModelSpanRepair, strip_channel, strip_session

__all__ = [
    "EntityExtractor",
    "TITLE_LEXICON",
    "ORG_SUFFIXES",
    "PROGRAMME_HEADS",
    "SCHEME_CUES",
    "COMPANY_TITLES",
    "entity_labels",
    "score_entity_labels",
    "short_form_of",
    "assemble_entities",
]

#: The mention label of the news head's places (CLUENER addresses) when the places come from another head.
ADDRESS = "ADDRESS"

#: The 0.1 name of the tagger interface (now :class:`newsnlp.protocols.NERTagger`).
Tagger = NERTagger


def _takes_keyword(function: Any, name: str) -> bool:
    """Whether ``function`` (or None) accepts the keyword argument ``name``."""
    if function is None:
        return False
    import inspect

    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


class EntityExtractor:
    """Find organisations, officials, programmes, persons and places in an article.

    Args:
        tagger: an :class:`~newsnlp.protocols.NERTagger`: ``predict(texts) -> list[list[NERSpan]]`` (the shipped
            :class:`~newsnlp.entities.backends.bilstm_crf.NERTagger`, a
            :class:`~newsnlp.entities.backends.transformer_tagger.TransformersNER`, or your own).
        segmenter: kept for API symmetry with the other stages; the rules are regular
            expressions and do not segment.
        title_lexicon: titles an official can hold (default :data:`TITLE_LEXICON`).
        programme_heads: head nouns that make a quoted name a programme (default
            :data:`PROGRAMME_HEADS`).
        scheme_cues: endings that make a quoted name a scheme on its own (default
            :data:`SCHEME_CUES`).
        gazetteer: a :class:`~newsnlp.entities.gazetteer.Gazetteer` of company names (``None``: only
            the stock-code and ``*ST`` patterns, no name list; :meth:`load` passes the
            shipped one).
        entity_lexicon: an archive lexicon (:class:`~newsnlp.entities.lexicon.EntityLexicon` or the
            path of one written by ``newsnlp entities learn``): its names are matched in every
            text like gazetteer names.
        place_head: which head of the model gives the places. ``"msra"``: the MSRA head
            (People's Daily's LOC convention: every country, province and city), decoded in
            the same pass as the news head by a tagger with ``predict_heads``; the news head's
            places stay as ``ADDRESS`` mentions (CLUENER's address convention, long street
            addresses too). ``"news"``: the news head's places, one head only (faster).
            ``"auto"`` (default): ``"msra"`` when the tagger has an ``msra`` head (the shipped
            model has), else ``"news"``. Organisations, officials, programmes and persons do
            not depend on it. docs/entities.md compares them.

    Example:
        >>> extractor = EntityExtractor.load()
        >>> e = extractor("宁波市人大常委会副主任、市总工会主席李谦出席会议。")
        >>> (e.officials[0].name, e.officials[0].organisation)
        ('李谦', '宁波市总工会')
    """

    def __init__(
        self,
        tagger: NERTagger,
        *,
        segmenter: Any = None,
        title_lexicon: Iterable[str] = TITLE_LEXICON,
        programme_heads: Iterable[str] = PROGRAMME_HEADS,
        scheme_cues: Iterable[str] = SCHEME_CUES,
        gazetteer: Any = None,
        entity_lexicon: Any = None,
        place_head: str = "auto",
    ) -> None:
        if not hasattr(tagger, "predict"):
            raise TypeError(
                f"tagger must have a predict(texts) method returning NER spans, got {type(tagger).__name__}; "
                "use EntityExtractor.load() for the shipped model"
            )
        self.tagger = tagger
        self.segmenter = segmenter
        self.title_words = title_words(title_lexicon)
        self.programme_heads = tuple(programme_heads)
        self.scheme_cues = tuple(scheme_cues)
        if gazetteer is None:
            gazetteer = Gazetteer([])
        elif not hasattr(gazetteer, "find"):
            raise TypeError(
                f"gazetteer must be a newsnlp.entities.gazetteer.Gazetteer, got {type(gazetteer).__name__}; "
                "load one with Gazetteer.load(path) or pass None"
            )
        heads = list(getattr(tagger, "domains", None) or [])
        if place_head == "auto":
            place_head = "msra" if "msra" in heads else "news"
        elif place_head != "news" and place_head not in heads:
            raise ValueError(
                f"place_head {place_head!r} is not a head of this model (heads: "
                f"{', '.join(heads) or 'none'}); use 'auto', 'news' or one of those"
            )
        self.place_head = place_head
        # predict_heads(..., shared_encoder=True) when the tagger takes it: one LSTM run for
        # both heads (NERTagger does; a user's tagger with an older predict_heads may not).
        predict_heads = getattr(tagger, "predict_heads", None)
        self._shared_encoder = {"shared_encoder": True} if _takes_keyword(predict_heads, "shared_encoder") else {}
        self.entity_lexicon = as_lexicon(entity_lexicon)
        if self.entity_lexicon is not None and len(self.entity_lexicon):
            gazetteer = Gazetteer(list(gazetteer.entries.values()) + self.entity_lexicon.gazetteer_entries())
        self.gazetteer = gazetteer
        self._compile()

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        segmenter: Any = None,
        device: str = "auto",
        local_files_only: bool = True,
        gazetteer: Any = "shipped",
        entity_lexicon: Any = None,
        place_head: str = "auto",
    ) -> "EntityExtractor":
        """Build an extractor on the shipped NER model or a transformers model, offline.

        Args:
            model: ``None`` for the shipped model (``models/ner``); a directory holding a
                newsnlp NER model (``config.json`` + ``vocab.json`` + ``model.pt``); or a local
                directory / hub id of a transformers token-classification model.
            segmenter: passed on to the extractor (see the class docs).
            device: for transformers models: ``"auto"``, ``"cpu"``, ``"cuda:0"`` ...
            local_files_only: for transformers models: never download (default).
            gazetteer: ``"shipped"`` for ``models/gazetteer``, a folder / ``companies.tsv``
                path, a :class:`~newsnlp.entities.gazetteer.Gazetteer`, or ``None`` for none.
            entity_lexicon: an archive lexicon or its path (see the class docs).
            place_head: which head of the model gives the places (see the class docs).

        Returns:
            The extractor; the model is loaded now.

        Raises:
            ModelNotFoundError: the model is not available offline.

        Example:
            >>> EntityExtractor.load()("浙江省委袁家军书记调研。").officials[0].title
            '书记'
        """
        from pathlib import Path

        from .backends.bilstm_crf import CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE, NERTagger

        if model is None:
            tagger: Any = NERTagger.load()
        elif all((Path(model) / f).is_file() for f in (CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE)):
            tagger = NERTagger.load(model)
        else:
            from .backends.transformer_tagger import TransformersNER

            tagger = TransformersNER(model, device=device, local_files_only=local_files_only)
        from .gazetteer import Gazetteer, default_gazetteer

        if isinstance(gazetteer, str) and gazetteer == "shipped":
            gazetteer = default_gazetteer()
        elif isinstance(gazetteer, (str, Path)):
            gazetteer = Gazetteer.load(gazetteer)
        return cls(tagger, segmenter=segmenter, gazetteer=gazetteer, entity_lexicon=entity_lexicon, place_head=place_head)

    # ------------------------------------------------------------------ rules
    def _compile(self) -> None:
        # The patterns depend on this extractor's tables; the finders that need only them are built once.
        self.patterns = RulePatterns.compile(self.title_words, self.programme_heads, self.scheme_cues)
        self._span_repair = ModelSpanRepair(self.patterns)
        self._programme_finder = ProgrammeFinder(self.patterns)

    # ------------------------------------------------------------------ public call
    def __call__(self, article: Any) -> Entities:
        """Return the entities of one article.

        Args:
            article: an :class:`~newsnlp.article.Article` or article text.

        Returns:
            :class:`~newsnlp.types.Entities`; offsets index ``article.text``.

        Raises:
            TypeError: ``article`` is neither text nor an Article.

        Example:
            >>> e = EntityExtractor.load()("汤建民（市发改委主任）接受采访。")
            >>> e.officials[0].title
            '市发改委主任'
        """
        article = article if isinstance(article, Article) else as_article(article)
        text = article.text
        if not text.strip():
            return Entities()
        spans, places = self._predict([text])[0]
        return self.from_spans(text, spans, places=places)

    def extract_many(self, articles: Iterable[Any]) -> list[Entities]:
        """Return the entities of many articles, running the model over all of them at once.

        The same result as ``[extractor(a) for a in articles]``, faster: the network reads
        the windows of every article in shared batches.

        Args:
            articles: :class:`~newsnlp.article.Article` objects or article texts.

        Returns:
            One :class:`~newsnlp.types.Entities` per article, in order.

        Raises:
            TypeError: an item is neither text nor an Article.

        Example:
            >>> found = EntityExtractor.load().extract_many(["宁波市总工会主席李谦出席会议。", "浙江省发展改革委召开会议。", ""])
            >>> [[o.name for o in e.organisations] for e in found]
            [['宁波市总工会'], ['浙江省发展改革委'], []]
        """
        texts = [(a if isinstance(a, Article) else as_article(a)).text for a in articles]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        out = [Entities() for _ in texts]
        if todo:
            for i, (spans, places) in zip(todo, self._predict([texts[i] for i in todo])):
                out[i] = self.from_spans(texts[i], spans, places=places)
        return out

    #: The batch method of every stage (:data:`newsnlp.protocols.BATCH_METHOD`): the same as
    #: :meth:`extract_many`.
    pipe = extract_many

    def _predict(self, texts: list[str]) -> list[tuple[list[Any], list[Any] | None]]:
        """Per text, the news head's spans and the place head's LOC spans (``None``: news places).

        A tagger with ``predict_heads`` (the shipped one) reads the texts once for both heads,
        and when it takes ``shared_encoder`` its place head reads the news head's LSTM run (one
        run for both: the places cost about one CRF decode more; see
        :meth:`~newsnlp.entities.backends.bilstm_crf.NERTagger.predict_heads`); any other
        tagger is called once per head.
        """
        if self.place_head == "news":
            return [(spans, None) for spans in self.tagger.predict(texts)]
        if hasattr(self.tagger, "predict_heads"):
            heads = self.tagger.predict_heads(texts, domains=(None, self.place_head), **self._shared_encoder)
            spans, places = heads[None], heads[self.place_head]
        else:
            spans, places = self.tagger.predict(texts), self.tagger.predict(texts, domain=self.place_head)
        return [(own, [s for s in other if str(s.label) == "LOC"]) for own, other in zip(spans, places)]

    def from_spans(self, text: str, spans: Iterable[Any], *, places: Iterable[Any] | None = None) -> Entities:
        """Apply the rules to model spans already computed for ``text``.

        Args:
            text: the article text the spans index.
            spans: objects with ``start``, ``end``, ``label`` and ``subtype`` (NERSpan).
            places: ``None``: the places are the LOC spans of ``spans`` (after the rules). Else
                the LOC spans of another head (MSRA's convention): they give the places, except
                where the rules read an organisation, person, title or programme, and the LOC
                spans of ``spans`` stay as ``ADDRESS`` mentions (CLUENER's address convention).
                Nothing else depends on them: organisations, officials and persons are the same.

        Returns:
            :class:`~newsnlp.types.Entities` for ``text``.

        Example:
            >>> class NoModel:  # any NERTagger; here one that finds nothing
            ...     def predict(self, texts, batch_size=64):
            ...         return [[] for _ in texts]
            >>> EntityExtractor(NoModel()).from_spans("宁波市总工会召开会议。", []).organisations[0].name
            '宁波市总工会'
        """
        organisations = OrganisationFinder(self.patterns, self.gazetteer)
        cands = self._span_repair.candidates(text, spans)
        cands = organisations.gazetteer_candidates(text, cands)
        cands += organisations.known_body_candidates(text)
        cands += self._programme_finder.candidates(text)
        cands += organisations.rule_candidates(text, cands)
        aliases = organisations.aliases(text, cands)
        cands += organisations.alias_candidates(text, aliases)
        cands += title_candidates(self.patterns, text)
        leaders = foreign_leader_candidates(text)
        if leaders:
            spans_of = {(c.start, c.end) for c in leaders}
            # A country the model read as a person (厄立特里亚总统…) is a place.
            cands = [c for c in cands if not (c.label == "PERSON" and any(a <= c.start < b for a, b in spans_of))]
            cands += leaders
        cands += listed_names(text, cands)
        mentions = resolve_overlaps(cands)
        mentions = [strip_session(text, strip_channel(text, c)) for c in mentions]
        mentions = [c for c in mentions if not (c.label == "ORG" and not_an_organisation(text[c.start : c.end]))]
        # Source and media attributions (（中证网）, 央视网消息, 据上海证券报报道) stay mentions but are
        # not the article's organisations (newsdev GUIDELINES; MSRA and CLUENER tag them as ORG spans).
        attributions = {c.start for c in mentions if c.label == "ORG" and is_attribution(text, c.start, c.end)}
        # A "person" the model also reads as a place or organisation elsewhere (嘉兴) is not one.
        other = {text[c.start : c.end] for c in mentions if c.label in ("LOC", "ORG")}
        mentions = [c for c in mentions if c.label != "PERSON" or text[c.start : c.end] not in other]
        place_cands = None if places is None else place_candidates(text, places)
        return assemble_entities(text, mentions, aliases, attributions, self.gazetteer, self.patterns,
                                 places=place_cands)


def place_candidates(text: str, spans: Iterable[Any]) -> list[Candidate]:
    """LOC candidates of another head's spans, trimmed and cut at punctuation as model spans are.

    Example:
        >>> from newsnlp.types import NERSpan
        >>> text = "代表团访问法国、德国。"
        >>> [(c.start, c.end) for c in place_candidates(text, [NERSpan(5, 10, "LOC", None, text[5:10])])]
        [(5, 7)]
    """
    out = []
    for s in spans:
        start, end = int(s.start), int(s.end)
        if str(s.label) != "LOC" or not 0 <= start < end <= len(text):
            continue  # as ModelSpanRepair: a span outside the text is no mention
        start, end = trim(text, start, end)
        if start < end:
            start, end = cut_at_punctuation(text, start, end)
        if start < end:
            out.append(Candidate(start, end, "LOC", None, "model"))
    return out


#: Mentions a place of another head may not overlap (a place inside a name is no place) ...
_PLACE_BLOCKERS = frozenset({"ORG", "PERSON", "TITLE", "PROGRAMME"})
#: ... except the place's own government (中国政府, 台湾当局: MSRA tags the country, not an ORG).
_PLACE_GOVERNMENT = frozenset({"政府", "当局", "军方", "地方政府"})


def _stays_place(text: str, place: Candidate, c: Candidate) -> bool:
    """Whether ``place`` stays a place under the mention ``c`` that overlaps it: ``c`` is that
    place read as an organisation (a country's team) or the place's government (日本政府)."""
    if c.label != "ORG" or c.start != place.start:
        return False
    return c.end == place.end or text[place.end : c.end] in _PLACE_GOVERNMENT


def place_layers(text: str, cands: Sequence[Candidate], places: Sequence[Candidate]) -> list[Candidate]:
    """The resolved mentions with the places of another head: the rules' LOC mentions become ADDRESS.

    A place of the other head overlapping an organisation, person, title or programme is left
    out (except the place's government: 日本 of 日本政府 stays); a place a rule found (the country
    of a foreign leader) stays when no place of the other head overlaps it.

    Example:
        >>> text = "日本政府宣布，东京将举办博览会。"
        >>> cands = [Candidate(0, 4, "ORG", "gov", "model"), Candidate(7, 9, "LOC", None, "model")]
        >>> places = [Candidate(0, 2, "LOC", None, "model"), Candidate(7, 9, "LOC", None, "model")]
        >>> [(text[c.start : c.end], c.label) for c in place_layers(text, cands, places)]
        [('日本', 'LOC'), ('日本政府', 'ORG'), ('东京', 'LOC'), ('东京', 'ADDRESS')]
    """
    taken = [c for c in cands if c.label in _PLACE_BLOCKERS]
    kept = [p for p in places
            if not any(c.start < p.end and p.start < c.end and not _stays_place(text, p, c) for c in taken)]
    kept += [c for c in cands if c.label == "LOC" and c.source == "rule"
             and not any(p.start < c.end and c.start < p.end for p in kept)]
    addresses = [Candidate(c.start, c.end, ADDRESS, None, c.source) for c in cands if c.label == "LOC"]
    # A place and an address of the same span: the place first.
    return sorted([*(c for c in cands if c.label != "LOC"), *addresses, *kept],
                  key=lambda c: (c.start, c.end, c.label == ADDRESS))


def assemble_entities(
    text: str, mentions: list[Candidate], aliases: dict[str, str], attributions: set[int], gazetteer: Any,
    patterns: RulePatterns, *, places: Sequence[Candidate] | None = None,
) -> Entities:
    """Turn the resolved mentions of one text into :class:`~newsnlp.types.Entities`.

    The title chains give the officials (and organisations named only inside a title); every
    organisation mention is grouped under its canonical name; attributions stay mentions only.

    Args:
        text: the text the mentions index.
        mentions: resolved, non-overlapping candidates.
        aliases: declared short name -> full name.
        attributions: starts of organisation mentions that are source attributions.
        gazetteer: the extractor's gazetteer (short -> full links).
        patterns: the extractor's :class:`~newsnlp.entities.rules.RulePatterns`.
        places: ``None``: the LOC mentions are the places. Else LOC candidates of another head
            (:func:`place_candidates`): they are the places and the LOC mentions become ADDRESS
            mentions (:func:`place_layers`); the two layers may overlap.

    Returns:
        The entities; offsets index ``text``.
    """
    resolver = OrgResolver(text, mentions, aliases, gazetteer)
    persons = [c for c in mentions if c.label == "PERSON"]
    officials, extra = TitleChainParser(text, mentions, resolver, patterns).officials(persons)
    if extra:
        kept = [c for c in mentions if not any(c.start < e.end and e.start < c.end for e in extra)]
        resolver.mentions = kept + extra
    cands = sorted(resolver.mentions, key=lambda c: (c.start, c.end))
    if places is not None:
        cands = place_layers(text, cands, places)
    found = tuple(Mention(text[c.start : c.end], c.label, c.start, c.end, c.subtype) for c in cands)

    def group(label: str, name_of) -> list[tuple[str, list[Span], list[str | None]]]:
        groups: dict[str, tuple[list[Span], list[str | None]]] = {}
        for c in cands:
            if c.label != label or (label == "ORG" and c.start in attributions):
                continue
            surface = text[c.start : c.end]
            spans, subtypes = groups.setdefault(name_of(c, surface), ([], []))
            spans.append(Span(surface, c.start, c.end))
            subtypes.append(c.subtype)
        return [(n, s, t) for n, (s, t) in groups.items()]

    # An official's organisation is always listed, even as a short form nothing resolves.
    official_orgs = {o.organisation for o in officials}
    organisations = []
    for name, spans, subtypes in group("ORG", lambda c, s: resolver.name_of(c.start, s)):
        if level_split(name) is not None and name not in official_orgs:
            continue  # 市政府 with nothing in the article to resolve it: a mention only
        known = [t for t in subtypes if t]
        subtype = Counter(known).most_common(1)[0][0] if known else org_subtype(name)
        organisations.append(Entity(name, tuple(spans), subtype))
    programmes = [Entity(n, tuple(s)) for n, s, _ in group("PROGRAMME", lambda c, s: c.name or strip_quotes(s))]
    person_groups = group("PERSON", lambda c, s: s)
    persons_out = [Entity(n, tuple(s)) for n, s, _ in person_groups]
    places = [Entity(n, tuple(s)) for n, s, _ in group("LOC", lambda c, s: s)]
    spans_by_person = {n: tuple(s) for n, s, _ in person_groups}
    officials_out = [
        Official(o.name, o.title, o.organisation, spans_by_person.get(o.name, ())) for o in officials
    ]
    officials_out.sort(key=lambda o: o.mentions[0].start if o.mentions else 0)
    return Entities(
        organisations=tuple(organisations),
        officials=tuple(officials_out),
        programmes=tuple(programmes),
        persons=tuple(persons_out),
        places=tuple(places),
        mentions=found,
    )


# The 0.1 module's other names (helpers and tables), for code that reached into it: each now lives in
# the module of its job, mostly under a public name. old name -> (module, name).
_OLD_NAMES = {
    '_CJK': ('.._util', 'CJK_RANGE'),
    '_is_cjk': ('.._util', 'is_cjk'),
    '_MEDIA_END': ('..text.news', 'MEDIA_NAME_END'),
    'COMPANY_SHORT_SUFFIXES': ('.rules', 'COMPANY_SHORT_SUFFIXES'),
    'COUNTRIES': ('.rules', 'COUNTRIES'),
    'DOCUMENT_HEADS': ('.rules', 'DOCUMENT_HEADS'),
    'KNOWN_BODIES': ('.rules', 'KNOWN_BODIES'),
    'KNOWN_PROGRAMMES': ('.rules', 'KNOWN_PROGRAMMES'),
    'MEDIA_NAMES': ('.rules', 'MEDIA_NAMES'),
    'ORG_SHORT_SUFFIXES': ('.rules', 'ORG_SHORT_SUFFIXES'),
    'ORG_SUBUNITS': ('.rules', 'ORG_SUBUNITS'),
    '_ANONYMISED_PERSON': ('.persons', 'ANONYMISED_PERSON'),
    '_ATTRIBUTION_AFTER': ('.organisations', '_ATTRIBUTION_AFTER'),
    '_ATTRIBUTION_BEFORE': ('.organisations', '_ATTRIBUTION_BEFORE'),
    '_BARE_BODIES': ('.rules', 'BARE_BODIES'),
    '_BODY_STOP': ('.rules', 'BODY_STOP'),
    '_BODY_VERBS': ('.organisations', '_BODY_VERBS'),
    '_CHAIN_STOP': ('.rules', 'CHAIN_STOP'),
    '_CHANNEL_TAIL': ('.spans', '_CHANNEL_TAIL'),
    '_CITIES': ('.rules', 'CITIES'),
    '_COMPANY_ANAPHORA': ('.rules', 'COMPANY_ANAPHORA'),
    '_COMPANY_ENDINGS': ('.rules', 'COMPANY_ENDINGS'),
    '_COMPOUND_SURNAMES': ('.rules', 'COMPOUND_SURNAMES'),
    '_Cand': ('.candidates', 'Candidate'),
    '_DEPARTMENT_ENDINGS': ('.rules', 'DEPARTMENT_ENDINGS'),
    '_DEPUTY_TITLES': ('.rules', 'DEPUTY_TITLES'),
    '_DROPPED_MODIFIERS': ('.rules', 'DROPPED_MODIFIERS'),
    '_FOREIGN_LEADER': ('.officials', '_FOREIGN_LEADER'),
    '_GENERIC_ORG': ('.organisations', '_GENERIC_ORG'),
    '_GENERIC_POLICY_BODY': ('.programmes', '_GENERIC_POLICY_BODY'),
    '_GOV_ENDINGS': ('.rules', 'GOV_ENDINGS'),
    '_INTERNAL_ORGAN': ('.spans', '_INTERNAL_ORGAN'),
    '_KNOWN_BODIES': ('.organisations', 'KNOWN_BODIES_RE'),
    '_LATIN_WORD': ('.persons', '_LATIN_WORD'),
    '_LAW_STOP': ('.programmes', '_LAW_STOP'),
    '_LAW_UNDER_REVIEW': ('.programmes', '_LAW_UNDER_REVIEW'),
    '_LEADER_TITLES': ('.rules', 'LEADER_TITLES'),
    '_LEVEL_CHARS': ('.rules', 'LEVEL_CHARS'),
    '_LIST_NAME': ('.persons', '_LIST_NAME'),
    '_LONG_PLACES': ('.rules', 'LONG_PLACES'),
    '_NATIONAL': ('.rules', 'NATIONAL'),
    '_NOT_NAME_END': ('.persons', '_NOT_NAME_END'),
    '_NOT_ORG_END': ('.organisations', '_NOT_ORG_END'),
    '_NOT_ORG_NAMES': ('.rules', 'NOT_ORG_NAMES'),
    '_NOT_PLACE': ('.rules', 'NOT_PLACE'),
    '_OPEN_CLOSE': ('.candidates', '_OPEN_CLOSE'),
    '_POLICY_HEAD': ('.programmes', '_POLICY_HEAD'),
    '_POLICY_NAME_STOP': ('.programmes', '_POLICY_NAME_STOP'),
    '_POLICY_STOP': ('.programmes', '_POLICY_STOP'),
    '_PRIORITY': ('.candidates', '_PRIORITY'),
    '_PROJECT_VERBS': ('.programmes', '_PROJECT_VERBS'),
    '_PROVINCES': ('.rules', 'PROVINCES'),
    '_SECTOR_TAIL': ('.spans', '_SECTOR_TAIL'),
    '_SESSION_PREFIX': ('.spans', '_SESSION_PREFIX'),
    '_SURNAMES': ('.rules', 'SURNAMES'),
    '_Segment': ('.officials', 'ChainSegment'),
    '_TITLE_MODIFIERS': ('.rules', 'TITLE_MODIFIERS'),
    '_UNIT_ENDINGS': ('.rules', 'UNIT_ENDINGS'),
    '_UNNAMED_UNITS': ('.rules', 'UNNAMED_UNITS'),
    '_UNQUOTED_NOTICE': ('.programmes', '_UNQUOTED_NOTICE'),
    '_UNQUOTED_PROGRAMME': ('.programmes', '_UNQUOTED_PROGRAMME'),
    '_VERB_PREFIX': ('.spans', '_VERB_PREFIX'),
    '_WEAK_BARE_TITLES': ('.rules', 'WEAK_BARE_TITLES'),
    '_ZONE_END': ('.spans', '_ZONE_END'),
    '_abbreviates': ('.organisations', '_abbreviates'),
    '_alternation': ('.rules', 'alternation'),
    '_anonymised_before': ('.organisations', 'anonymised_before'),
    '_bare_place_court': ('.organisations', 'bare_place_court'),
    '_common_place': ('.organisations', 'common_place'),
    '_company_core': ('.organisations', 'company_core'),
    '_company_preference': ('.organisations', 'company_preference'),
    '_cut_at_punctuation': ('.candidates', 'cut_at_punctuation'),
    '_gazetteer_short': ('.organisations', 'gazetteer_short'),
    '_generic_org': ('.organisations', 'generic_org'),
    '_is_attribution': ('.organisations', 'is_attribution'),
    '_is_name_like': ('.candidates', 'is_name_like'),
    '_is_subsequence': ('.organisations', '_is_subsequence'),
    '_join_latin_names': ('.persons', 'join_latin_names'),
    '_last_org_suffix_end': ('.candidates', 'last_suffix_end'),
    '_last_title_word': ('.officials', 'last_title_word'),
    '_level_split': ('.organisations', 'level_split'),
    '_listed_names': ('.persons', 'listed_names'),
    '_not_an_organisation': ('.organisations', 'not_an_organisation'),
    '_org_subtype': ('.organisations', 'org_subtype'),
    '_place_of': ('.organisations', 'place_of'),
    '_place_prefix': ('.organisations', 'place_prefix'),
    '_plausible_name': ('.persons', 'plausible_name'),
    '_plausible_place_start': ('.organisations', 'plausible_place_start'),
    '_policy_programmes': ('.programmes', 'policy_programmes'),
    '_policy_start': ('.programmes', 'policy_start'),
    '_prf': ('.scoring', '_prf'),
    '_resolve_overlaps': ('.candidates', 'resolve_overlaps'),
    '_strip_channel': ('.spans', 'strip_channel'),
    '_strip_quotes': ('.candidates', 'strip_quotes'),
    '_strip_session': ('.spans', 'strip_session'),
    '_suffix_compatible': ('.organisations', '_suffix_compatible'),
    '_title_words': ('.rules', 'title_words'),
    '_trim': ('.candidates', 'trim'),
}


def __getattr__(name: str) -> Any:
    try:
        module, new = _OLD_NAMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(module, __package__), new)
