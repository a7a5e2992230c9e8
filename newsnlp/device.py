"""Which torch device a back-end runs on: one check and one wording for every model that can use a GPU.

The only module outside the back-ends that touches torch, and only inside :func:`resolve_device`.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["DEVICE_FORMS", "DEVICE_RE", "resolve_device"]

DEVICE_FORMS = "'auto', 'cpu', 'cuda', 'cuda:N' (N = GPU index) or 'mps'"
DEVICE_RE = re.compile(r"cpu|mps|cuda(?::(\d+))?")


def resolve_device(device: Any = "auto") -> str:
    """Turn a device request into a torch device string, checking that it exists.

    Args:
        device: ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"``, ``"cuda:N"``,
            ``"mps"``, or a ``torch.device``.

    Returns:
        ``"cpu"``, ``"cuda:N"`` or ``"mps"``.

    Raises:
        ValueError: an unknown form, or a GPU that this machine does not have.

    Example:
        >>> resolve_device("cpu")
        'cpu'
    """
    if device is None:
        device = "auto"
    if not isinstance(device, str):
        if type(device).__name__ == "device" and hasattr(device, "type"):  # a torch.device
            device = str(device)
        else:
            raise ValueError(f"device must be one of {DEVICE_FORMS}, got {device!r}")
    name = device.strip().lower()
    match = DEVICE_RE.fullmatch(name)
    if name != "auto" and match is None:
        raise ValueError(f"device must be one of {DEVICE_FORMS}, got {device!r}")
    import torch

    if name == "auto":
        return "cuda:0" if torch.cuda.is_available() else "cpu"
    if name == "cpu":
        return "cpu"
    if name == "mps":
        if not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise ValueError("device 'mps' was asked for but torch reports no MPS device; use device='cpu' or 'auto'")
        return "mps"
    index = int(match.group(1) or 0)
    if not torch.cuda.is_available():
        raise ValueError(
            f"device {device!r} was asked for but this torch ({torch.__version__}) sees no CUDA GPU; "
            "use device='cpu' (or 'auto'), or install a CUDA build of torch on a GPU machine"
        )
    count = torch.cuda.device_count()
    if index >= count:
        raise ValueError(f"device {device!r} does not exist: this machine has {count} CUDA device(s), cuda:0..cuda:{count - 1}")
    return f"cuda:{index}"
