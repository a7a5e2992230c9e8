"""NER taggers behind :class:`newsnlp.entities.EntityExtractor`; the only entity modules that may import torch
or transformers (inside functions).

- :mod:`.bilstm_crf`: the shipped character BiLSTM-CRF (numpy inference, torch for training).
- :mod:`.transformer_tagger`: any Hugging Face token-classification model (:class:`TransformersNER`).
"""
