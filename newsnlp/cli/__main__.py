"""``python -m newsnlp.cli``: the same as the ``newsnlp`` command."""

import sys

from .main import main

sys.exit(main())
