"""``python -m algoperf_engine …`` = the ``algoperf-engine`` command."""

import sys

from ._cli import main

sys.exit(main())
