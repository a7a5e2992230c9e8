"""NER taggers behind :class:`newsnlp.entities.EntityExtractor`; the only entity modules that may import torch
or transformers (inside functions).

Every tagger is a :class:`newsnlp.protocols.NERTagger`: ``predict(texts, batch_size=...)`` takes a list of
texts and returns, for each text in order, a list of :class:`newsnlp.types.NERSpan` (``start``, ``end``,
``label`` in PERSON / ORG / TITLE / LOC, ``subtype``, ``text``; offsets index the text given). The
extractor treats every tagger alike through that one method; a tagger with several heads may also list
them in ``domains`` and take ``predict(texts, domain=...)`` (``EntityExtractor(place_head=...)``).

- :mod:`.bilstm_crf`: the shipped character BiLSTM-CRF (numpy inference, torch for training);
- :mod:`.features`: its features and tag schemes (windows, characters, bigrams, jieba, BIOES), pure Python;
- :mod:`.transformer_tagger`: any Hugging Face token-classification model (:class:`TransformersNER`).
"""
