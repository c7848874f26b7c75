#!/usr/bin/env python3
"""Write tests/data/heldout_numpy.json: what real numpy draws, for src/spec/heldout.rs to match.

AlgoPerf v0.5 drew its held-out workloads with

    rng = numpy.random.default_rng(seed)
    for pool in groups: rng.integers(len(pool))

src/spec/heldout.rs re-implements that chain (SeedSequence -> PCG64 -> Generator.integers)
in Rust. This script records numpy's own answers so tests/it/heldout_numpy.rs can check
the port row by row. Every large number is written as a decimal string, since seeds,
pool sizes and state words exceed 2**53 and JSON readers may go through doubles.

Run from the repository root:  python3 scripts/heldout_numpy_table.py
"""

import json
import os
import random

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                   "heldout_numpy.json")

# Seeds that matter (v0.5's seed, 0) and the boundaries of numpy's int -> uint32-word
# split (2**32 needs two words, 2**64 three, 2**96 four).
FIXED_SEEDS = [
    0, 1, 2, 42, 12345, 3438810845,
    2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**32 + 7,
    2**63 - 1, 2**63 + 5, 2**64 - 1, 2**64, 2**64 + 3,
    2**96, 2**100 + 11, 2**127 + 99, 2**128 - 1,
]


def pseudo_random_seeds():
    """40 deterministic seeds of assorted bit lengths (1..128 bits), all < 2**128."""
    gen = random.Random(20240905)
    bit_lengths = [8, 16, 24, 31, 32, 33, 40, 48, 56, 63, 64, 65, 72, 80, 95, 96, 97, 112,
                   127, 128]
    seeds = []
    for i in range(40):
        bits = bit_lengths[i % len(bit_lengths)]
        # Force the top bit so the seed really has `bits` bits.
        seeds.append(gen.getrandbits(bits) | (1 << (bits - 1)))
    return seeds


def pool_size_sequences():
    """(name, dtype, sizes): each row is drawn in order from one fresh generator."""
    gen = random.Random(7)
    small_50 = [gen.randint(1, 20) for _ in range(50)]
    return [
        # The v0.5 held-out draw itself.
        ("v05_pools", "int64", [5, 6, 3, 3, 3, 3]),
        # Size 1 consumes no randomness at all (rng == 0 in numpy's C code).
        ("ones_and_two", "int64", [1, 1, 2]),
        # Ranges wider than 32 bits take the 64-bit Lemire path.
        ("large", "int64", [1000, 2**31 + 5, 2**33 + 1]),
        # 50 small draws: 32-bit Lemire on the buffered halves of 64-bit outputs.
        ("small_50", "int64", small_50),
        # A 64-bit draw between 32-bit draws: the buffered upper half survives it.
        ("mixed_buffer", "int64", [3, 2**40, 3, 7, 2**40 + 1, 5, 1, 9]),
        # Range boundaries: rng = 2**32-2, 2**32-1 (raw uint32), 2**32 (64-bit path),
        # 2**63-1 (largest int64 range).
        ("boundaries", "int64", [2**32 - 1, 2**32, 2**32 + 1, 2**63, 2, 2**32]),
        # Sizes with a high Lemire rejection rate, to exercise the retry loops.
        ("reject32", "int64", [2**31 + 1] * 12),
        ("reject64", "int64", [2**62 + 1] * 6 + [3 * 2**61 + 1] * 6),
        # Beyond int64: what numpy's uint64 dtype gives (AlgoPerf never needs this).
        ("uint64", "uint64", [2**64 - 1, 2**63 + 3, 2**63 + 2**62 + 1, 6, 2**64 - 1]),
    ]


def draw(seed, dtype, sizes):
    rng = np.random.default_rng(seed)
    return [int(rng.integers(n, dtype=dtype)) for n in sizes]


def compact_json(table):
    """JSON with one line per top-level key and per list/dict entry, so diffs stay readable."""
    lines = ["{"]
    keys = list(table)
    for k_i, key in enumerate(keys):
        value = table[key]
        end = "," if k_i + 1 < len(keys) else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for i, item in enumerate(value):
                sep = "," if i + 1 < len(value) else ""
                lines.append(f"    {json.dumps(item)}{sep}")
            lines.append(f"  ]{end}")
        elif isinstance(value, dict):
            lines.append(f"  {json.dumps(key)}: {{")
            items = list(value.items())
            for i, (k, v) in enumerate(items):
                sep = "," if i + 1 < len(items) else ""
                lines.append(f"    {json.dumps(k)}: {json.dumps(v)}{sep}")
            lines.append(f"  }}{end}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{end}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == table
    return text


def main():
    seeds = FIXED_SEEDS + pseudo_random_seeds()
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**128 for s in seeds)

    state_seeds = [0, 1, 42, 3438810845, 2**32, 2**64 + 3, 2**100 + 11, 2**128 - 1]
    generate_state = []
    for s in state_seeds:
        ss = np.random.SeedSequence(s)
        generate_state.append({
            "seed": str(s),
            "pool": [str(int(w)) for w in ss.pool],
            "uint32x8": [str(int(w)) for w in ss.generate_state(8, np.uint32)],
            "uint64x4": [str(int(w)) for w in ss.generate_state(4, np.uint64)],
        })

    raw = []
    for s in [0, 42, 3438810845, 2**64 + 3]:
        bg = np.random.PCG64(s)
        raw.append({"seed": str(s),
                    "next_uint64": [str(int(v)) for v in bg.random_raw(6)]})

    sequences = {name: {"dtype": dtype, "pool_sizes": [str(n) for n in sizes]}
                 for name, dtype, sizes in pool_size_sequences()}
    draws = []
    for s in seeds:
        for name, dtype, sizes in pool_size_sequences():
            draws.append({
                "seed": str(s),
                "sequence": name,
                "indices": [str(i) for i in draw(s, dtype, sizes)],
            })

    # Sanity: the v0.5 draw must come out as published.
    assert draw(3438810845, "int64", [5, 6, 3, 3, 3, 3]) == [1, 2, 2, 2, 1, 1]

    table = {
        "_about": "numpy's own answers for src/spec/heldout.rs (default_rng(seed), then "
                  "integers(n) per pool size in order). Written by "
                  "scripts/heldout_numpy_table.py; numbers are decimal strings.",
        "numpy_version": np.__version__,
        "generate_state": generate_state,
        "pcg64_raw": raw,
        "sequences": sequences,
        "draws": draws,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(compact_json(table))
    print(f"wrote {len(draws)} draw rows for {len(seeds)} seeds "
          f"(numpy {np.__version__}) to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
