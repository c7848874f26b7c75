"""Type stubs of the Rust extension (python/src/lib.rs). Use the wrappers in
``algoperf_engine``; these are their building blocks."""

from typing import List, Optional, Sequence, Tuple

__version__: str

class EngineError(Exception):
    """An error of the scoring engine; the message is the engine's."""

class SpecError(EngineError):
    """A problem in a spec or targets file."""

    file: Optional[str]
    """The file of the first problem."""
    line: int
    """1-based line of the first problem; 0 when it has no position."""
    column: int
    """1-based column (characters) of the first problem; 0 without a position."""
    errors: List[Tuple[str, int, int, str, Optional[str]]]
    """Every problem: (file, line, column, message, expected)."""

def score_files(
    spec: str,
    submissions: str,
    source: str = "csv",
    include: Sequence[str] = ...,
    exclude: Sequence[str] = ...,
    strict: bool = False,
) -> Tuple[List[Tuple[str, bytes]], str, List[Tuple[str, str, bool]]]: ...
def speedup_json(spec: str, submissions: str, base: str, comparison: str) -> str: ...
def explain(
    spec: str, submissions: str, submission: str, workload: str, source: str = "csv"
) -> str: ...
def heldout_sample(spec: str, seed: Optional[int] = None) -> List[str]: ...
def check_spec_json(path: str) -> str: ...
def run_cli(argv: List[str]) -> int: ...
