"""The ``algoperf-engine`` console script installed by the wheel.

It runs the engine's own command line (``algoperf_engine::cli`` in Rust,
inside the extension): same flags, same output, same exit codes as the
binary built by ``cargo build``. One extra subcommand, ``compat``, is the
drop-in for the reference scoring command (see ``score_submissions``).
"""

from __future__ import annotations

import signal
import sys
from typing import List, Optional

from . import _engine


def main(argv: Optional[List[str]] = None) -> int:
    if argv is None:
        # The console script: Ctrl-C ends the run at once, as it ends the
        # binary (killed by SIGINT, status 130 in a shell), instead of
        # waiting for the engine to return to Python.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["compat"]:
        from . import score_submissions

        return score_submissions.main(args[1:])
    sys.stdout.flush()
    return _engine.run_cli(["algoperf-engine"] + args)


if __name__ == "__main__":
    sys.exit(main())
