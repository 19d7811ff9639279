"""``python -m generator``: see :mod:`generator.cli`.

The process ends with ``os._exit`` once its output is flushed, as mypy does
(``--fast-exit``): tearing down the millions of objects a large build leaves
behind (half a second at 10,000 claims) is work nobody waits for. Every file a
command writes is closed before ``main()`` returns, and ``main()`` itself
returns normally, so tests and other callers are unaffected.
"""

import os
import sys

from generator.cli import main

code = main()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # output piped into `head` and the like: not an error
    pass
os._exit(code)
