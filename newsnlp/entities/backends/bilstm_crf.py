"""Character BiLSTM-CRF tagger for persons, organisations, titles and places in Chinese text.

The network reads, for every character, a character embedding, the embeddings of the two
character bigrams around it, and the jieba word boundary (B/M/E/S) and part of speech of the
word that holds it. A shared BiLSTM feeds one linear + CRF head per training corpus
("domain"), because the corpora disagree on what an entity is (CLUENER tags long addresses,
MSRA tags short place names). News text is read with the CLUENER head by default.

A model directory may also hold an ensemble of such networks trained apart (``config.json``
lists ``"members"``); their emissions and CRF scores are averaged before Viterbi decoding.

Training builds the networks in torch; a loaded tagger runs them in numpy by default
(:class:`NumpyNetwork`, the same tags), so predicting never imports torch. Nothing heavy is
imported at module import: numpy and jieba load when a tagger is built.

The features and tag schemes (windows, :class:`~.features.FeatureExtractor`, BIOES) live in
:mod:`.features` and are re-exported here; this module holds the networks (torch for training,
:class:`NumpyNetwork` for inference) and :class:`NERTagger`, a :class:`newsnlp.protocols.NERTagger`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

from ...errors import ModelLoadError, ModelNotFoundError
from ...types import NERLabel, NERSpan  # noqa: F401  (their 0.1 home; re-exported)
from .features import (  # noqa: F401  (the features' 0.1 home: re-exported)
    BOS, EOS, MAX_WINDOW, PAD, UNK, FeatureExtractor, allowed_ends, allowed_starts, allowed_transitions, bioes_tags,
    check_texts, normalize_char, spans_to_tags, split_windows, tags_to_spans,
)


WEIGHTS_FILE = "model.pt"
CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.json"


# ---------------------------------------------------------------------------
# Network (torch is imported only here)

_NETWORK_CLASS = None
# At inference the BiLSTM runs as two unpacked one-direction runs (see _lstm_by_direction).
_BY_DIRECTION = True


def build_network(config: dict[str, Any]) -> Any:
    """Build an untrained network (a ``torch.nn.Module``) from a model config (see ``config.json``).

    A config with ``"members"`` describes an ensemble: one network per member, each built
    from the shared config with the member's ``dims`` laid over it (see :func:`member_config`).
    """
    global _NETWORK_CLASS
    if _NETWORK_CLASS is None:
        _NETWORK_CLASS = _define_network()
    single, ensemble = _NETWORK_CLASS
    members = config.get("members")
    if members:
        return ensemble([single(member_config(config, i)) for i in range(len(members))])
    return single(config)


def member_config(config: dict[str, Any], index: int) -> dict[str, Any]:
    """The config of ensemble member ``index``: the shared config with its ``dims`` overrides.

    Example:
        >>> cfg = {"dims": {"char": 100, "hidden": 128}, "members": [{"dims": {}}, {"dims": {"hidden": 160}}]}
        >>> member_config(cfg, 1)["dims"]
        {'char': 100, 'hidden': 160}
    """
    member = config["members"][index]
    out = {k: v for k, v in config.items() if k != "members"}
    out["dims"] = {**config["dims"], **member.get("dims", {})}
    return out


def viterbi(scores, emissions, mask) -> list[list[int]]:
    """Viterbi best tag ids per sequence (lists trimmed to each sequence's length).

    ``scores`` is ``(transitions, start, end)`` of a CRF, constraints included; ``emissions``
    is (B, T, K) and ``mask`` (B, T) marks the real steps of right-padded rows.

    The recursion runs in numpy (float32, the same additions as a torch loop would
    do, first index on ties): per-step torch calls cost more than the arithmetic.
    """
    trans, start, end = (x.detach().cpu().numpy() for x in scores)
    em = emissions.detach().cpu().float().numpy()
    return viterbi_arrays((trans, start, end), em, mask.detach().cpu().numpy())


def viterbi_arrays(scores, em, keep_all) -> list[list[int]]:
    """:func:`viterbi` on numpy arrays: ``scores`` (K, K), (K,), (K,); ``em`` (B, T, K) float32."""
    import numpy as np

    trans, start, end = scores
    batch, length, k = em.shape
    # Rows longest first: at step t only a prefix of rows is still inside its
    # sequence; the rest keep their score and point to themselves (as padding does).
    n_steps = keep_all.sum(1)
    rank = np.argsort(-n_steps, kind="stable")
    em = em[rank]
    active = (n_steps[rank][None, :] > np.arange(length)[:, None]).sum(1)  # rows alive at t
    score = start[None, :] + em[:, 0]
    pointers = np.empty((max(length - 1, 0), batch, k), dtype=np.intp)
    pointers[:] = np.arange(k)
    # total[b, j, i]: score of tag i followed by tag j (reduce over the last axis).
    trans_t = np.ascontiguousarray(trans.T)[None, :, :]
    flat = (np.arange(batch * k) * k).reshape(batch, k)  # where row (b, j) starts in total
    for t in range(1, length):
        n = int(active[t])
        if n == 0:
            break
        total = score[:n, None, :] + trans_t
        arg = total.argmax(axis=2)
        score[:n] = total.ravel().take(flat[:n] + arg) + em[:n, t]
        pointers[t - 1, :n] = arg
    score = score + end[None, :]
    last = score.argmax(axis=1)
    path = np.empty((batch, length), dtype=np.intp)
    path[:, length - 1] = last
    index = np.arange(batch)
    for t in range(length - 2, -1, -1):
        last = pointers[t][index, last]
        path[:, t] = last
    path[rank] = path.copy()
    lengths = keep_all.sum(1).tolist()
    return [row[:n] for row, n in zip(path.tolist(), lengths)]


def _define_network():
    import torch
    from torch import nn

    class CRF(nn.Module):
        """Linear-chain CRF with BIOES constraints, batched over right-padded sequences."""

        def __init__(self, tags: list[str]):
            super().__init__()
            k = len(tags)
            self.transitions = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))
            big = -1e4
            self.register_buffer(
                "trans_mask", (~torch.tensor(allowed_transitions(tags))).float() * big, persistent=False
            )
            self.register_buffer(
                "start_mask", (~torch.tensor(allowed_starts(tags))).float() * big, persistent=False
            )
            self.register_buffer("end_mask", (~torch.tensor(allowed_ends(tags))).float() * big, persistent=False)

        def _scores(self):
            return (
                self.transitions + self.trans_mask,
                self.start + self.start_mask,
                self.end + self.end_mask,
            )

        def nll(self, emissions, tags, mask):
            """Summed negative log-likelihood of ``tags`` (B, T) under ``emissions`` (B, T, K)."""
            trans, start, end = self._scores()
            batch, length, _ = emissions.shape
            maskf = mask.float()
            idx = torch.arange(batch)
            gold = start[tags[:, 0]] + emissions[idx, 0, tags[:, 0]]
            for t in range(1, length):
                step = trans[tags[:, t - 1], tags[:, t]] + emissions[idx, t, tags[:, t]]
                gold = gold + step * maskf[:, t]
            lengths = mask.sum(1)
            last = tags[idx, lengths - 1]
            gold = gold + end[last]

            alpha = start.unsqueeze(0) + emissions[:, 0]
            for t in range(1, length):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + emissions[:, t]
                alpha = torch.where(mask[:, t : t + 1], nxt, alpha)
            log_z = torch.logsumexp(alpha + end.unsqueeze(0), dim=1)
            return (log_z - gold).sum()

        def decode(self, emissions, mask) -> list[list[int]]:
            """Viterbi best tag ids per sequence (lists trimmed to each sequence's length)."""
            return viterbi(self._scores(), emissions, mask)

    class BiLSTMCRF(nn.Module):
        """Char + bigram + jieba features -> BiLSTM -> one emission layer and CRF per domain."""

        def __init__(self, config: dict[str, Any]):
            super().__init__()
            dims = config["dims"]
            self.domains = list(config["domains"])
            self.encoder_of = encoder_domains(config)
            self.char_emb = nn.Embedding(config["n_chars"], dims["char"], padding_idx=0)
            self.bigram_emb = nn.Embedding(config["n_bigrams"], dims["bigram"], padding_idx=0)
            self.seg_emb = nn.Embedding(5, dims["seg"], padding_idx=0)
            self.pos_emb = nn.Embedding(config["n_pos"], dims["pos"], padding_idx=0)
            self.domain_emb = nn.Embedding(len(self.domains), dims["domain"])
            in_dim = dims["char"] + 2 * dims["bigram"] + dims["seg"] + dims["pos"] + dims["domain"]
            self.dropout = nn.Dropout(config.get("dropout", 0.5))
            self.lstm = nn.LSTM(
                in_dim,
                dims["hidden"],
                num_layers=config.get("layers", 1),
                batch_first=True,
                bidirectional=True,
                dropout=config.get("dropout", 0.5) if config.get("layers", 1) > 1 else 0.0,
            )
            self.heads = nn.ModuleDict()
            self.crfs = nn.ModuleDict()
            for name in self.domains:
                tags = bioes_tags(config["domains"][name]["labels"])
                self.heads[name] = nn.Linear(2 * dims["hidden"], len(tags))
                self.crfs[name] = CRF(tags)

        def emissions(self, batch: dict[str, "torch.Tensor"], domain: str, input_domain: str | None = None):
            """(B, T, K) emissions of ``domain``'s head; the LSTM reads ``input_domain``'s corpus
            vector (default: the one the head was trained on, :func:`encoder_domains`)."""
            chars = batch["chars"]
            bigrams = batch["bigrams"]  # (B, T+1)
            dom = torch.full_like(chars, self.domains.index(input_domain or self.encoder_of[domain]))
            x = torch.cat(
                [
                    self.char_emb(chars),
                    self.bigram_emb(bigrams[:, :-1]),
                    self.bigram_emb(bigrams[:, 1:]),
                    self.seg_emb(batch["seg"]),
                    self.pos_emb(batch["pos"]),
                    self.domain_emb(dom),
                ],
                dim=-1,
            )
            x = self.dropout(x)
            if not self.training and _BY_DIRECTION and self.lstm.num_layers == 1 and self.lstm.bias:
                return self.heads[domain](self._lstm_by_direction(x, batch["mask"]))
            lengths = batch["mask"].sum(1).cpu()
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=chars.shape[1])
            return self.heads[domain](self.dropout(out))

        def _lstm_by_direction(self, x, mask):
            """The BiLSTM output as two plain (unpacked) runs, one per direction.

            Right padding never reaches an earlier step of a forward run, so the forward
            direction reads the padded batch as it is and the backward one reads each row
            reversed within its length. Cheaper than a packed run (the input projection is
            one matrix product); padded positions come out as zeros, as after unpacking.
            """
            lstm = self.lstm
            batch, length, _ = x.shape
            steps = torch.arange(length, device=x.device).unsqueeze(0)
            n = mask.sum(1, keepdim=True)
            index = torch.where(steps < n, n - 1 - steps, steps).unsqueeze(2)  # reverse each row
            zeros = x.new_zeros(1, batch, lstm.hidden_size)
            forward_params = [lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0]
            backward_params = [
                lstm.weight_ih_l0_reverse, lstm.weight_hh_l0_reverse, lstm.bias_ih_l0_reverse, lstm.bias_hh_l0_reverse
            ]
            # torch.lstm(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
            fwd = torch.lstm(x, (zeros, zeros), forward_params, True, 1, 0.0, False, False, True)[0]
            reverse = x.gather(1, index.expand_as(x))
            bwd = torch.lstm(reverse, (zeros, zeros), backward_params, True, 1, 0.0, False, False, True)[0]
            bwd = bwd.gather(1, index.expand_as(bwd))
            return torch.cat([fwd, bwd], dim=2) * mask.unsqueeze(2)

        def loss(self, batch, domain: str):
            return self.crfs[domain].nll(self.emissions(batch, domain), batch["tags"], batch["mask"])

        def decode(self, batch, domain: str, input_domain: str | None = None) -> list[list[int]]:
            return self.crfs[domain].decode(self.emissions(batch, domain, input_domain), batch["mask"])

    class Ensemble(nn.Module):
        """Networks trained apart, read as one: emissions and CRF scores are averaged.

        Averaging both keeps Viterbi exact for the averaged model: a path's score is linear in
        the emissions and transition scores, so the ensemble decodes the mean of the members'
        path scores. Members must share the vocabulary and the domains (tag sets).
        """

        def __init__(self, members: list[nn.Module]):
            super().__init__()
            self.members = nn.ModuleList(members)
            self.domains = list(members[0].domains)

        def emissions(self, batch, domain: str, input_domain: str | None = None):
            total = self.members[0].emissions(batch, domain, input_domain)
            for member in self.members[1:]:
                total = total + member.emissions(batch, domain, input_domain)
            return total / len(self.members)

        def scores(self, domain: str):
            parts = [member.crfs[domain]._scores() for member in self.members]
            return tuple(sum(p[i] for p in parts) / len(parts) for i in range(3))

        def decode(self, batch, domain: str, input_domain: str | None = None) -> list[list[int]]:
            return viterbi(self.scores(domain), self.emissions(batch, domain, input_domain), batch["mask"])

    return BiLSTMCRF, Ensemble


# ---------------------------------------------------------------------------
# Inference without torch: the same networks in numpy


def read_state_dict(path: str | Path) -> dict[str, Any]:
    """Read a state dict written by ``torch.save`` into numpy arrays, without importing torch.

    ``torch.save`` writes a zip archive: ``<name>/data.pkl`` pickles the dict, each tensor
    as ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)``, and every
    storage is a raw little-endian file ``<name>/data/<key>``. Only those globals are
    accepted (as ``torch.load(weights_only=True)`` would); anything else raises
    ``ValueError``. Tensors come back as numpy arrays of the stored dtype and values.

    Example:
        >>> state = read_state_dict("models/ner/model.pt")
        >>> state["members.0.char_emb.weight"].shape
        (3905, 100)
    """
    import collections
    import pickle
    import zipfile

    import numpy as np

    dtypes = {
        "HalfStorage": np.float16, "FloatStorage": np.float32, "DoubleStorage": np.float64,
        "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
        "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
    }

    def rebuild(storage, offset, size, stride, *_ignored):
        itemsize = storage.dtype.itemsize
        if not size:
            return storage[offset : offset + 1].reshape(()).copy()
        view = np.lib.stride_tricks.as_strided(
            storage[offset:], shape=tuple(size), strides=tuple(st * itemsize for st in stride)
        )
        return np.array(view)

    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path} is not a torch.save zip archive ({exc})") from None
    with archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        if len(pickles) != 1:
            raise ValueError(f"{path} is not a torch.save zip archive (no single data.pkl)")
        prefix = pickles[0][: -len("data.pkl")]
        byteorder = prefix + "byteorder"
        if byteorder in archive.namelist() and archive.read(byteorder).strip() != b"little":
            raise ValueError(f"{path} holds big-endian tensors; load it with torch")
        storages: dict[str, Any] = {}

        class StateUnpickler(pickle.Unpickler):
            def find_class(self, module, name):
                if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                    return rebuild
                if (module, name) == ("collections", "OrderedDict"):
                    return collections.OrderedDict
                if module == "torch" and name in dtypes:
                    return dtypes[name]
                raise ValueError(f"{path} holds {module}.{name}, not a plain tensor state dict")

            def persistent_load(self, pid):
                kind, dtype, key, _location, numel = pid
                if kind != "storage":
                    raise ValueError(f"{path}: unknown persistent id {kind!r}")
                if key not in storages:
                    raw = archive.read(f"{prefix}data/{key}")
                    storages[key] = np.frombuffer(raw, dtype=dtype, count=numel)
                return storages[key]

        import io

        state = StateUnpickler(io.BytesIO(archive.read(pickles[0]))).load()
    if not isinstance(state, dict):
        raise ValueError(f"{path} does not hold a state dict")
    return dict(state)


class NumpyNetwork:
    """The inference path of :func:`build_network`'s networks, in numpy (no torch).

    The same arithmetic as the torch modules in evaluation mode: embeddings concatenated,
    a one-layer BiLSTM run as two one-direction passes (as ``_lstm_by_direction``), the
    linear head, members' emissions and CRF scores averaged, and the numpy Viterbi
    (:func:`viterbi_arrays`). float32 throughout; sums may round differently from torch's
    kernels in the last bits, which ``tests/test_ner_numpy.py`` checks never changes a tag.
    Only one-layer LSTMs with biases are supported (:meth:`supports`).
    """

    def __init__(self, config: dict[str, Any], state: dict[str, Any]):
        import numpy as np

        self.np = np
        self.domains = list(config["domains"])
        self.encoder_of = encoder_domains(config)
        n_members = len(config.get("members") or [])
        prefixes = [f"members.{i}." for i in range(n_members)] if n_members else [""]
        f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
        self.members = []
        for prefix in prefixes:
            g = lambda name: f32(state[prefix + name])  # noqa: E731
            # Embedding tables stay in the stored dtype (float16 in shipped models): only the
            # rows a batch reads are widened, exactly, when concatenated with float32 below.
            e = lambda name: state[prefix + name]  # noqa: E731
            member = {
                "char": e("char_emb.weight"), "bigram": e("bigram_emb.weight"), "seg": g("seg_emb.weight"),
                "pos": g("pos_emb.weight"), "domain": g("domain_emb.weight"),
                "heads": {d: (np.ascontiguousarray(g(f"heads.{d}.weight").T), g(f"heads.{d}.bias")) for d in self.domains},
                "crf": {d: (g(f"crfs.{d}.transitions"), g(f"crfs.{d}.start"), g(f"crfs.{d}.end")) for d in self.domains},
                "lstm": [],
            }
            for suffix in ("", "_reverse"):
                w_ih, w_hh = g(f"lstm.weight_ih_l0{suffix}"), g(f"lstm.weight_hh_l0{suffix}")
                bias = g(f"lstm.bias_ih_l0{suffix}") + g(f"lstm.bias_hh_l0{suffix}")
                # torch's gate order is (i, f, g, o); put the three sigmoid gates first and
                # halve their rows (exact: a power of two) so that one tanh over all four
                # gates gives sigmoid(x) = (1 + tanh(x / 2)) / 2 for them and tanh for g.
                hid = w_hh.shape[1]
                order = np.r_[0 : 2 * hid, 3 * hid : 4 * hid, 2 * hid : 3 * hid]
                scale = np.ones((4 * hid, 1), dtype=np.float32)
                scale[: 3 * hid] = 0.5
                member["lstm"].append(
                    (f32((w_ih[order] * scale).T), f32((w_hh[order] * scale).T), f32(bias[order] * scale[:, 0]))
                )
            self.members.append(member)
        # Members with the same hidden size step together (one product per step for all).
        self._groups: dict[int, list[int]] = {}
        for index, member in enumerate(self.members):
            self._groups.setdefault(member["lstm"][0][1].shape[0], []).append(index)
        self._recurrent = {
            hidden: np.stack([run[1] for m in indices for run in self.members[m]["lstm"]])
            for hidden, indices in self._groups.items()
        }
        # CRF scores with the BIOES constraints, averaged over members as Ensemble.scores does.
        self._scores = {}
        for d in self.domains:
            tags = bioes_tags(config["domains"][d]["labels"])
            big = np.float32(-1e4)
            masks = (
                (~np.array(allowed_transitions(tags))).astype(np.float32) * big,
                (~np.array(allowed_starts(tags))).astype(np.float32) * big,
                (~np.array(allowed_ends(tags))).astype(np.float32) * big,
            )
            parts = [tuple(m["crf"][d][i] + masks[i] for i in range(3)) for m in self.members]
            if len(parts) == 1:
                self._scores[d] = parts[0]
            else:
                self._scores[d] = tuple(sum(p[i] for p in parts) / np.float32(len(parts)) for i in range(3))

    @staticmethod
    def supports(config: dict[str, Any]) -> bool:
        """Whether a model config can run here (one-layer LSTM, the only kind trained so far)."""
        return config.get("layers", 1) == 1

    # (step, row) pairs whose inputs are embedded and projected at once: bounds the memory
    # of a batch of long windows (2048 rows: 32 steps of 64 windows, 16 MiB for 4 runs).
    _CHUNK_ROWS = 2048
    # At most this many windows (all heads together) are stepped as one stacked batch by
    # decode_heads: below it the per-step calls dominate and stacking saves about 15% (batches
    # of 2 to 4 windows, two heads); at 64 windows per head a stack of 128 was slower.
    _STACK_ROWS = 64

    def _inputs(self, member, batch, domain_index, windows, positions):
        """The concatenated embeddings (rows, D) float32 of ``(window, position)`` pairs.

        ``domain_index`` is one domain for the whole batch, or an array of one per window
        (:meth:`decode_heads` stacks a batch once per head).
        """
        np = self.np
        chars, bigrams = batch["chars"], batch["bigrams"]
        if isinstance(domain_index, int):
            dom = member["domain"][domain_index]
            dom_rows = np.broadcast_to(dom, (len(windows),) + dom.shape)
        else:
            dom_rows = member["domain"][domain_index[windows]]
        return np.concatenate(
            [member["char"][chars[windows, positions]], member["bigram"][bigrams[windows, positions]],
             member["bigram"][bigrams[windows, positions + 1]], member["seg"][batch["seg"][windows, positions]],
             member["pos"][batch["pos"][windows, positions]], dom_rows],
            axis=-1, dtype=np.float32,
        )

    def _lstm_group(self, hidden, indices, batch, domain_index, order, active, reverse_index):
        """Both directions of some members' LSTMs (hidden size ``hidden``), stepped together.

        Rows are taken longest first (``order``); at step ``t`` only the first ``active[t]``
        rows are computed (the others are past their window's end, where outputs are masked
        anyway), and only their inputs are embedded and projected. Every value computed is
        the same float32 arithmetic, element for element, as stepping every row: rows of a
        product do not depend on one another. The input projection runs per chunk of steps,
        the recurrent product per step for all runs at once (one BLAS call each).
        Gate columns were reordered to (i, f, o, g) at load: one sigmoid covers three gates.

        Returns ``out`` (T, R, B, H): run ``2m`` (forward) and ``2m + 1`` (reversed) of the
        m-th member in ``indices``, rows in ``order``, zero where not computed.
        """
        np = self.np
        n_rows, length = batch["mask"].shape
        members = [self.members[m] for m in indices]
        u = self._recurrent[hidden]  # (R, H, 4H)
        n = 2 * len(members)
        # Packed (step, row) pairs, step-major: step t holds rows order[:active[t]].
        steps = np.repeat(np.arange(length), active)
        rank = np.concatenate([np.arange(k) for k in active.tolist()]) if length else np.zeros(0, dtype=np.intp)
        windows = order[rank]
        backward = reverse_index[windows, steps]
        offsets = np.concatenate([[0], np.cumsum(active)]).tolist()
        h = np.zeros((n, n_rows, hidden), dtype=np.float32)
        c = np.zeros((n, n_rows, hidden), dtype=np.float32)
        out = np.zeros((length, n, n_rows, hidden), dtype=np.float32)  # out[t] is h after step t
        gates_buffer = np.empty(n * n_rows * 4 * hidden, dtype=np.float32)
        product_buffer = np.empty(n * n_rows * hidden, dtype=np.float32)
        # As many steps per chunk as fit in its rows: a small batch is projected at once. Every
        # product has at least two rows when the batch has (a one-row product is numpy's
        # matrix-vector product, whose sums may round differently); a batch of one window keeps
        # 32-step chunks, so that its one-row products are exactly where they always were.
        chunk_rows = self._CHUNK_ROWS if n_rows > 1 else 32
        k = -1
        t0 = 0
        while t0 < length:
            t1 = t0 + 1
            while t1 < length and offsets[t1 + 1] - offsets[t0] <= chunk_rows:
                t1 += 1
            first, last = offsets[t0], offsets[t1]
            projected = np.empty((n, last - first, 4 * hidden), dtype=np.float32)
            w_rows, f_rows, b_rows = windows[first:last], steps[first:last], backward[first:last]
            for m, member in enumerate(members):
                (wf, _, bf), (wb, _, bb) = member["lstm"]
                np.add(self._inputs(member, batch, domain_index, w_rows, f_rows) @ wf, bf, out=projected[2 * m])
                np.add(self._inputs(member, batch, domain_index, w_rows, b_rows) @ wb, bb, out=projected[2 * m + 1])
            for t in range(t0, t1):
                if offsets[t + 1] - offsets[t] != k:
                    # Views for this many rows (k changes only when a window ends).
                    k = offsets[t + 1] - offsets[t]
                    gates = gates_buffer[: n * k * 4 * hidden].reshape(n, k, 4 * hidden)
                    sig = gates[..., : 3 * hidden]
                    in_gate, forget_gate, out_gate = (sig[..., i * hidden : (i + 1) * hidden] for i in range(3))
                    cell_input = gates[..., 3 * hidden :]
                    product = product_buffer[: n * k * hidden].reshape(n, k, hidden)
                    cell = c[:, :k]
                np.matmul(h[:, :k], u, out=gates)
                gates += projected[:, offsets[t] - first : offsets[t + 1] - first]
                np.tanh(gates, out=gates)
                sig += 1.0
                sig *= 0.5
                cell *= forget_gate
                np.multiply(in_gate, cell_input, out=product)
                cell += product
                h = out[t]
                state = h[:, :k]
                np.tanh(cell, out=state)
                state *= out_gate
            t0 = t1
        return out

    def emissions(self, batch: dict[str, Any], domain: str):
        """(B, T, K) float32 emissions, the mean over members (as ``Ensemble.emissions``)."""
        return self._head_emissions(self._encode(batch, self.domains.index(self.encoder_of[domain])), domain, slice(None))

    def _head_emissions(self, outputs: list[Any], domain: str, rows: slice):
        """One head's emissions (mean over members) of the encoder outputs' ``rows``."""
        np = self.np
        total = None
        for member, out in zip(self.members, outputs):
            w, b = member["heads"][domain]
            em = out[rows] @ w + b
            total = em if total is None else total + em
        if len(self.members) > 1:
            total = total / np.float32(len(self.members))
        return total

    def _encode(self, batch: dict[str, Any], d: Any) -> list[Any]:
        """Each member's (B, T, 2H) BiLSTM output; ``d`` is a domain index or one per window."""
        np = self.np
        mask = batch["mask"]
        n_rows, length = mask.shape
        steps = np.arange(length)[None, :]
        n = mask.sum(1, keepdims=True)
        reverse_index = np.where(steps < n, n - 1 - steps, steps)
        lengths = n[:, 0]
        order = np.argsort(-lengths, kind="stable")
        # Rows computed at each step: those still inside their window, but never fewer than
        # min(2, B), so that the recurrent product stays a matrix product (as with every row).
        active = np.maximum((lengths[order][None, :] > np.arange(length)[:, None]).sum(1), min(2, n_rows))
        unsort = np.empty_like(order)
        unsort[order] = np.arange(n_rows)
        keep = mask[:, :, None].astype(np.float32)
        outputs: list[Any] = [None] * len(self.members)
        for hidden, indices in self._groups.items():
            out = self._lstm_group(hidden, indices, batch, d, order, active, reverse_index)
            # Each member's (B, T, 2H) output gathered in one pass per direction: row i, step t
            # of run r is row ((t * R) + r) * B + (rank of window i) of the flat output.
            runs, flat = out.shape[1], out.reshape(-1, hidden)
            for j, m in enumerate(indices):
                both = np.empty((n_rows, length, 2 * hidden), dtype=np.float32)
                forward_rows = (steps * runs + 2 * j) * n_rows + unsort[:, None]
                backward_rows = (reverse_index * runs + 2 * j + 1) * n_rows + unsort[:, None]
                np.take(flat, forward_rows, axis=0, out=both[..., :hidden], mode="clip")
                np.take(flat, backward_rows, axis=0, out=both[..., hidden:], mode="clip")
                both *= keep
                outputs[m] = both
        return outputs

    def decode(self, batch: dict[str, Any], domain: str) -> list[list[int]]:
        """Viterbi best tag ids per window (lists trimmed to each window's length)."""
        return viterbi_arrays(self._scores[domain], self.emissions(batch, domain), batch["mask"])

    def decode_heads(
        self, batch: dict[str, Any], domains: Sequence[str], *, shared_encoder: bool = False
    ) -> dict[str, list[list[int]]]:
        """:meth:`decode` for several heads, with one LSTM run per encoding they read: ``{domain: paths}``.

        The domain embedding is an input of the LSTM, so a head reads the run made with its
        corpus vector (:func:`encoder_domains`: its own unless it was trained on another's);
        heads that read the same one share that run. With ``shared_encoder=True`` every head
        reads the first domain's run (the first head's paths are exactly :meth:`decode`'s; the
        others read an encoding made for another corpus, see :meth:`NERTagger.predict_heads`).

        Several runs of a small batch are stacked (one copy of the batch per run, each with its
        corpus vector) and stepped as one batch: one product per step instead of one per run,
        the same values. Each row's arithmetic is that of :meth:`decode` (rows of a product do
        not depend on one another; every product keeps at least two rows), so the paths are
        the same. Past :attr:`_STACK_ROWS` stacked rows the runs go one after the other (bigger
        arrays cost more than the calls saved), and a batch of one window too: its products
        are one-row ones, which round differently from the two-row products of a stack.
        """
        np = self.np
        domains = list(dict.fromkeys(domains))
        n_rows = batch["mask"].shape[0]
        reads = {d: self.encoder_of[domains[0]] if shared_encoder else self.encoder_of[d] for d in domains}
        runs = list(dict.fromkeys(reads.values()))
        if len(runs) == 1:
            encoded = {runs[0]: (self._encode(batch, self.domains.index(runs[0])), slice(None))}
        elif n_rows == 1 or n_rows * len(runs) > self._STACK_ROWS:
            encoded = {r: (self._encode(batch, self.domains.index(r)), slice(None)) for r in runs}
        else:
            stacked = {key: np.concatenate([value] * len(runs)) for key, value in batch.items()}
            rows = np.repeat(np.array([self.domains.index(r) for r in runs], dtype=np.intp), n_rows)
            outputs = self._encode(stacked, rows)
            encoded = {r: (outputs, slice(i * n_rows, (i + 1) * n_rows)) for i, r in enumerate(runs)}
        out = {}
        for domain in domains:
            outputs, part = encoded[reads[domain]]
            out[domain] = viterbi_arrays(self._scores[domain], self._head_emissions(outputs, domain, part), batch["mask"])
        return out


def encoder_domains(config: Mapping[str, Any]) -> dict[str, str]:
    """For each head, the domain whose corpus vector its LSTM run reads (``config["domains"][d]["encoder"]``).

    A head trained on another head's encoding (``python -m newsnlp.train.ner --train-heads msra
    --head-encoder msra=cluener``) names that domain; by default each head reads its own.

    Example:
        >>> encoder_domains({"domains": {"cluener": {}, "msra": {"encoder": "cluener"}}})
        {'cluener': 'cluener', 'msra': 'cluener'}
    """
    domains = config["domains"]
    out = {}
    for name, spec in domains.items():
        encoder = spec.get("encoder", name)
        if encoder not in domains:
            raise ValueError(f"head {name!r} reads the encoding of {encoder!r}, which is not a head of this model "
                             f"(heads: {', '.join(domains)})")
        out[name] = encoder
    return out


def collate_arrays(encoded: Sequence[dict[str, list[int]]]) -> dict[str, Any]:
    """:func:`collate` in numpy (no tags): right-padded int64 arrays and a bool ``mask``."""
    import numpy as np

    length = max(len(e["chars"]) for e in encoded)
    n = len(encoded)
    chars = np.zeros((n, length), dtype=np.int64)
    bigrams = np.zeros((n, length + 1), dtype=np.int64)
    seg = np.zeros((n, length), dtype=np.int64)
    pos = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=bool)
    for i, e in enumerate(encoded):
        m = len(e["chars"])
        chars[i, :m] = e["chars"]
        bigrams[i, : m + 1] = e["bigrams"]
        seg[i, :m] = e["seg"]
        pos[i, :m] = e["pos"]
        mask[i, :m] = True
    return {"chars": chars, "bigrams": bigrams, "seg": seg, "pos": pos, "mask": mask}


def collate(encoded: Sequence[dict[str, list[int]]], tags: Sequence[list[int]] | None = None):
    """Pad encoded windows into a batch of tensors (``mask`` marks real characters)."""
    import torch

    length = max(len(e["chars"]) for e in encoded)
    n = len(encoded)
    chars = torch.zeros(n, length, dtype=torch.long)
    bigrams = torch.zeros(n, length + 1, dtype=torch.long)
    seg = torch.zeros(n, length, dtype=torch.long)
    pos = torch.zeros(n, length, dtype=torch.long)
    mask = torch.zeros(n, length, dtype=torch.bool)
    tag_tensor = torch.zeros(n, length, dtype=torch.long)
    for i, e in enumerate(encoded):
        m = len(e["chars"])
        chars[i, :m] = torch.tensor(e["chars"])
        bigrams[i, : m + 1] = torch.tensor(e["bigrams"])
        seg[i, :m] = torch.tensor(e["seg"])
        pos[i, :m] = torch.tensor(e["pos"])
        mask[i, :m] = True
        if tags is not None:
            tag_tensor[i, :m] = torch.tensor(tags[i])
    batch = {"chars": chars, "bigrams": bigrams, "seg": seg, "pos": pos, "mask": mask}
    if tags is not None:
        batch["tags"] = tag_tensor
    return batch


# ---------------------------------------------------------------------------
# Tagger


class NERTagger:
    """A loaded NER model: ``predict`` finds PERSON, ORG (with subtype), TITLE and LOC spans.

    Build one with :meth:`load`; it holds the network, the vocabulary and jieba, so reuse it.
    ``network`` is a torch module (training, ``backend="torch"``) or a :class:`NumpyNetwork`
    (the default at inference: torch is not imported).
    """

    def __init__(self, network: Any, config: dict[str, Any], vocab: dict[str, list[str]], path: Path | None = None):
        self.network = network
        self.config = config
        self.features = FeatureExtractor(vocab)
        self.path = path
        self.default_domain: str = config.get("default_domain", next(iter(config["domains"])))
        self._outputs: dict[str, dict[str, tuple[str, str | None] | None]] = {}
        for name, spec in config["domains"].items():
            mapping: dict[str, tuple[str, str | None] | None] = {}
            for label in spec["labels"]:
                target = spec["output"].get(label)
                mapping[label] = None if target is None else (target[0], target[1])
            self._outputs[name] = mapping
        self._tags = {name: bioes_tags(spec["labels"]) for name, spec in config["domains"].items()}

    @property
    def domains(self) -> list[str]:
        """The corpora the model has a head for; ``predict(domain=...)`` picks one."""
        return list(self.config["domains"])

    @property
    def backend(self) -> str:
        """``"numpy"`` or ``"torch"``: what :meth:`predict` runs on."""
        return "numpy" if isinstance(self.network, NumpyNetwork) else "torch"

    @classmethod
    def load(cls, path: str | Path | None = None, *, backend: Literal["auto", "numpy", "torch"] = "auto") -> "NERTagger":
        """Load a tagger from a model directory, offline.

        Args:
            path: a directory with ``config.json``, ``vocab.json`` and ``model.pt``;
                ``None`` loads the model shipped with newsnlp (``models/ner``).
            backend: ``"numpy"`` runs the network in numpy without importing torch (the
                same tags; about 2 s less to start and 300 MB less memory); ``"torch"``
                builds the torch modules (as training does); ``"auto"`` is numpy when the
                model is one it supports (one-layer LSTM, the only kind trained here), else torch.

        Returns:
            The loaded tagger, in evaluation mode on the CPU.

        Raises:
            ModelNotFoundError: the directory or one of its files is missing.
            ModelLoadError: the files exist but do not hold a compatible model.
            ValueError: ``backend`` is not one of the three, or ``"numpy"`` for a model it cannot run.

        Example:
            >>> tagger = NERTagger.load()
            >>> [s.text for s in tagger.predict(["宁波市总工会主席李谦出席会议。"])[0]]
            ['宁波市总工会', '主席', '李谦']
        """
        if path is None:
            from ...resources import models_dir

            try:
                directory = models_dir() / "ner"
            except ModelNotFoundError as exc:
                raise ModelNotFoundError(
                    f"the shipped NER model was not found ({exc}). Rebuild it with "
                    "`python -m newsnlp.train.ner` (the commands are in models/ner/MODEL_CARD.md) "
                    "or pass NERTagger.load(path=...) a model directory."
                ) from None
        else:
            directory = Path(path)
        missing = [name for name in (CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE) if not (directory / name).is_file()]
        if missing:
            raise ModelNotFoundError(
                f"NER model directory {str(directory)!r} lacks {', '.join(missing)}; a model directory "
                f"holds {CONFIG_FILE}, {VOCAB_FILE} and {WEIGHTS_FILE}. Rebuild it with "
                "`python -m newsnlp.train.ner` (the commands are in models/ner/MODEL_CARD.md) "
                "or pass the path of a trained model."
            )
        if backend not in ("auto", "numpy", "torch"):
            raise ValueError(f"backend must be 'auto', 'numpy' or 'torch', got {backend!r}")
        try:
            config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
            vocab = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(
                f"could not load the NER model in {str(directory)!r}: {exc}. The files may come "
                "from another version of newsnlp; rebuild them with `python -m newsnlp.train.ner`."
            ) from exc
        if backend == "numpy" and not NumpyNetwork.supports(config):
            raise ValueError(
                f"the NER model in {str(directory)!r} has a {config.get('layers')}-layer LSTM, which the numpy "
                "backend does not run; load it with backend='torch' (or 'auto')"
            )
        use_numpy = backend == "numpy" or (backend == "auto" and NumpyNetwork.supports(config))
        try:
            if use_numpy:
                try:
                    network: Any = NumpyNetwork(config, read_state_dict(directory / WEIGHTS_FILE))
                except ValueError:
                    if backend == "numpy":
                        raise
                    use_numpy = False  # a file this reader does not know: let torch read it
            if not use_numpy:
                import torch

                network = build_network(config)
                state = torch.load(directory / WEIGHTS_FILE, map_location="cpu", weights_only=True)
                network.load_state_dict({k: v.float() for k, v in state.items()})
                network.eval()
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise ModelLoadError(
                f"could not load the NER model in {str(directory)!r}: {exc}. The files may come "
                "from another version of newsnlp; rebuild them with `python -m newsnlp.train.ner`."
            ) from exc
        return cls(network, config, vocab, path=directory)

    def predict(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        *,
        domain: str | None = None,
    ) -> list[list[NERSpan]]:
        """Find entities in each text.

        Long texts are cut into windows of at most 250 characters (after sentence
        punctuation where possible); offsets always index the text given.

        Args:
            texts: the texts; an empty text gives ``[]``.
            batch_size: windows run through the network together.
            domain: which corpus convention to follow (see :attr:`domains`); ``None`` is the
                news convention (CLUENER), which also gives ORG subtypes.

        Returns:
            One list of :class:`NERSpan` per text, in text order.

        Raises:
            TypeError: ``texts`` is a single string or holds something other than strings.
            ValueError: ``domain`` or ``batch_size`` is not valid.

        Example:
            >>> tagger = NERTagger.load()
            >>> spans = tagger.predict(["宁波市总工会主席李谦出席会议。"])[0]
            >>> [(s.label, s.start, s.end) for s in spans if s.label == "PERSON"]
            [('PERSON', 8, 10)]
        """
        texts = check_texts(texts)
        domain = self._check(batch_size, [domain])[0]
        return self._decode(texts, batch_size, [domain])[domain]

    def predict_heads(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        *,
        domains: Sequence[str | None] = (None, "msra"),
        shared_encoder: bool = False,
    ) -> dict[str | None, list[list[NERSpan]]]:
        """Find entities in each text with several heads at once: ``{domain: spans per text}``.

        The same spans as one :meth:`predict` call per domain, for less: the windows are cut
        and their jieba features computed once, and (numpy backend) the heads' LSTM runs are
        stepped together as one batch (:meth:`NumpyNetwork.decode_heads`). With the torch
        backend the features are shared and each head runs the network on its own.

        Args:
            texts: the texts; an empty text gives ``[]`` for every head.
            batch_size: windows run through the network together (per head).
            domains: the heads (see :attr:`domains`); ``None`` is the news head. The keys of
                the result are these values as given.
            shared_encoder: ``False`` (default): each head as :meth:`predict` gives it (its own
                LSTM run: the corpus vector is an LSTM input). ``True``: one LSTM run, with the
                first domain's corpus vector, read by every head, for about the cost of one
                head. The first domain's spans are still exactly :meth:`predict`'s; the other
                heads read an encoding made for another corpus. Measured on the MSRA
                evaluation third, the shipped MSRA head reading the news encoding scores
                PER 87.9 / ORG 76.7 / LOC 84.5 against 86.6 / 75.8 / 84.0 on its own run
                (docs/entities.md); :class:`~newsnlp.entities.extractor.EntityExtractor` takes
                its MSRA places this way.

        Returns:
            For each domain given, one list of :class:`NERSpan` per text, in text order.

        Raises:
            TypeError: ``texts`` is a single string or holds something other than strings.
            ValueError: a domain or ``batch_size`` is not valid.

        Example:
            >>> tagger = NERTagger.load()
            >>> heads = tagger.predict_heads(["新华社北京电，国家主席出访法国。"], domains=(None, "msra"))
            >>> heads[None] == tagger.predict(["新华社北京电，国家主席出访法国。"])
            True
            >>> shared = tagger.predict_heads(["新华社北京电，国家主席出访法国。"], shared_encoder=True)
            >>> shared[None] == heads[None]
            True
        """
        texts = check_texts(texts)
        domains = list(domains)
        names = self._check(batch_size, domains)
        decoded = self._decode(texts, batch_size, list(dict.fromkeys(names)), shared_encoder=shared_encoder)
        return {given: [list(spans) for spans in decoded[name]] for given, name in zip(domains, names)}

    def _check(self, batch_size: int, domains: Sequence[str | None]) -> list[str]:
        """The domains' names (``None``: the default one), after checking the arguments."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        names = []
        for domain in domains:
            name = self.default_domain if domain is None else domain
            if name not in self.config["domains"]:
                raise ValueError(f"unknown domain {domain!r}; valid: {', '.join(self.domains)}")
            names.append(name)
        if not names:
            raise ValueError("domains must name at least one head; valid: " + ", ".join(self.domains))
        return names

    def _decode(
        self, texts: list[str], batch_size: int, domains: list[str], *, shared_encoder: bool = False
    ) -> dict[str, list[list[NERSpan]]]:
        """The spans of every text for each of ``domains`` (valid names, no repeats).

        ``shared_encoder``: every head reads the LSTM run of the first domain (see
        :meth:`predict_heads`)."""
        windows: list[tuple[int, int, int]] = []  # (text index, start, end)
        for index, text in enumerate(texts):
            for start, end in split_windows(text):
                windows.append((index, start, end))
        results: dict[str, list[list[NERSpan]]] = {d: [[] for _ in texts] for d in domains}
        if not windows:
            return results
        order = sorted(range(len(windows)), key=lambda w: windows[w][2] - windows[w][1])
        numpy_network = isinstance(self.network, NumpyNetwork)
        if numpy_network:
            import contextlib

            context: Any = contextlib.nullcontext()
            batcher: Any = collate_arrays
        else:
            import torch

            context, batcher = torch.inference_mode(), collate
        with context:
            for first in range(0, len(order), batch_size):
                chunk = order[first : first + batch_size]
                encoded = [self.features.encode(texts[windows[w][0]][windows[w][1] : windows[w][2]]) for w in chunk]
                batch = batcher(encoded)
                if len(domains) == 1:
                    paths_of = {domains[0]: self.network.decode(batch, domains[0])}
                elif numpy_network:
                    paths_of = self.network.decode_heads(batch, domains, shared_encoder=shared_encoder)
                else:
                    source = encoder_domains(self.config)[domains[0]] if shared_encoder else None
                    paths_of = {d: self.network.decode(batch, d, source) for d in domains}
                for domain, paths in paths_of.items():
                    tags, output = self._tags[domain], self._outputs[domain]
                    for w, path in zip(chunk, paths):
                        index, offset, _ = windows[w]
                        text = texts[index]
                        for start, end, label in tags_to_spans([tags[t] for t in path]):
                            target = output.get(label)
                            if target is None:
                                continue
                            s, e = start + offset, end + offset
                            results[domain][index].append(NERSpan(s, e, target[0], target[1], text[s:e]))  # type: ignore[arg-type]
        for per_text in results.values():
            for spans in per_text:
                spans.sort(key=lambda s: (s.start, s.end))
        return results
