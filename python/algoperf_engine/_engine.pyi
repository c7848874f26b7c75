"""Type stubs of the Rust extension (python/src/lib.rs), checked against the
built module by ``stubtest`` in CI. Use the wrappers in ``algoperf_engine``;
these are their building blocks: each takes a command's options and returns
its text and its ``--format json`` document."""

from typing import Any, Dict, List, Optional, Sequence, Tuple, final

__version__: str
__all__ = [
    "EngineError",
    "SpecError",
    "Scored",
    "score",
    "explain",
    "speedup",
    "leaderboard",
    "stability",
    "compare",
    "check",
    "heldout_sample",
    "check_spec",
    "targets_derive",
    "schema",
    "compat_check_workloads",
    "compat_write",
    "run_cli",
    "__version__",
]

# A warning row is (code, summary, location, strict_fatal).

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

@final
class Scored:
    """A scored leaderboard (the main job's result)."""

    @property
    def submissions(self) -> List[str]: ...
    @property
    def workloads(self) -> List[str]: ...
    @property
    def time_to_targets(self) -> List[List[float]]: ...
    @property
    def scores(self) -> List[float]: ...
    @property
    def tau_axis(self) -> List[float]: ...
    @property
    def profile(self) -> List[List[float]]: ...
    @property
    def warnings(self) -> List[Tuple[str, str, str, bool]]: ...
    @property
    def curve_workloads(
        self,
    ) -> Optional[Tuple[bool, List[Tuple[str, str, Optional[str], float, float]]]]: ...
    @property
    def curve_trials(self) -> List[Tuple[str, str, int, str, str, bool, float]]: ...
    @property
    def curve_points(self) -> List[Tuple[str, str, str, str, bool, float, float]]: ...
    @property
    def curve_ecdf(self) -> List[Tuple[str, str, float, float]]: ...
    @property
    def written(self) -> Optional[Tuple[str, int]]: ...
    def to_json(self) -> str: ...
    def table(self) -> str: ...
    def files(self) -> List[Tuple[str, bytes]]: ...
    def write(self, folder: str) -> int: ...
    def write_page(
        self, path: str, info_dir: Optional[str] = None, html_stability: Optional[int] = None
    ) -> None: ...
    def page(self, info_dir: Optional[str] = None, html_stability: Optional[int] = None) -> str: ...

def score(
    spec: str,
    submissions: Optional[str] = None,
    load_results: Optional[str] = None,
    read: Dict[str, Any] = ...,
    output_dir: Optional[str] = None,
    html: Optional[str] = None,
    info_dir: Optional[str] = None,
    html_stability: Optional[int] = None,
    save_results: Optional[str] = None,
    target_relaxations: Optional[str] = None,
    curves: bool = False,
) -> Scored: ...
def explain(
    spec: str,
    submission: str,
    workload: str,
    submissions: Optional[str] = None,
    load_results: Optional[str] = None,
    read: Dict[str, Any] = ...,
) -> Tuple[str, str]: ...
def speedup(
    spec: str,
    base: str,
    comparison: Optional[str] = None,
    submissions: Optional[str] = None,
    load_results: Optional[str] = None,
    read: Dict[str, Any] = ...,
) -> Tuple[str, str, List[Tuple[str, str, str, bool]]]: ...
def leaderboard(
    spec: str,
    submissions: Optional[str] = None,
    load_results: Optional[str] = None,
    read: Dict[str, Any] = ...,
    info_dir: Optional[str] = None,
) -> Tuple[str, str, List[Tuple[str, str, str, bool]]]: ...
def stability(
    spec: str,
    submissions: Optional[str] = None,
    load_results: Optional[str] = None,
    read: Dict[str, Any] = ...,
    method: str = "bootstrap",
    over: str = "studies",
    resamples: int = 10000,
    seed: int = 0,
    level: float = 0.95,
    plot: Optional[str] = None,
) -> Tuple[str, str, List[Tuple[str, str, str, bool]]]: ...
def compare(
    spec: str,
    submissions: str,
    spec_b: Optional[str] = None,
    submissions_b: Optional[str] = None,
    read: Dict[str, Any] = ...,
) -> Tuple[str, str, List[Tuple[str, str, str, bool]]]: ...
def check(
    spec: str,
    paths: Sequence[str],
    source: str = "csv",
    info_dir: Optional[str] = None,
    require_info: bool = False,
) -> Tuple[str, str, str, bool, bool]: ...
def heldout_sample(spec: str, seed: Optional[int] = None) -> str: ...
def check_spec(path: str) -> Tuple[str, str]: ...
def targets_derive(
    spec: str,
    submissions: str,
    toml: Optional[str] = None,
    json_path: Optional[str] = None,
    budgets_json: Optional[str] = None,
    read: Dict[str, Any] = ...,
) -> Tuple[str, str, List[Tuple[str, str, str, bool]]]: ...
def schema(name: str) -> str: ...
def compat_write(
    spec: str,
    tree: Optional[str],
    inputs: List[str],
    out: str,
    files: List[Tuple[str, bytes]],
) -> None: ...
def compat_check_workloads(
    spec: str, directory: str, submissions: List[str], profiles: bool
) -> None: ...
def run_cli(argv: List[str]) -> int: ...
