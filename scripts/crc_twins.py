#!/usr/bin/env python3
"""Writes N trial files of one length and one CRC-32 but different bytes
(issue 26 item 15: `check`'s copy search was quadratic in such files).

usage: crc_twins.py OUT N   (OUT gets subs/sub/study_0/alpha_jax/trial_k/; score it
with a spec whose one workload is `alpha`, metric `validation/loss`)

CRC-32 is affine in the message bits for a fixed length, so 12 padding
characters from '@'..'O' (0x40 | a free nibble: 48 free bits) are solved
for over GF(2) to give every file the CRC of the first.
"""
import os
import sys
import zlib

PADS = 12
HEADER = "global_step,accumulated_submission_time,score,validation/loss,pad\n"


def text(i, pad):
    t = 1000 + i
    return f"{HEADER}10,500,500,3.0,AAAAAAAAAAAA\n20,{t},{t},0.9,{pad}\n"


def pad_of(nibbles):
    return "".join(chr(0x40 | n) for n in nibbles)


def crc(i, nibbles):
    return zlib.crc32(text(i, pad_of(nibbles)).encode())


def solve(i, target):
    base = crc(i, [0] * PADS)
    cols = []
    for bit in range(4 * PADS):
        nib = [0] * PADS
        nib[bit // 4] = 1 << (bit % 4)
        cols.append(crc(i, nib) ^ base)
    want = target ^ base
    # Gaussian elimination over GF(2): rows are (column vector, chosen bits).
    basis = []  # (vector, combination)
    for bit, v in enumerate(cols):
        combo = 1 << bit
        for bv, bc in basis:
            if v ^ bv < v:
                v, combo = v ^ bv, combo ^ bc
        if v:
            basis.append((v, combo))
            basis.sort(reverse=True)
    combo = 0
    for bv, bc in basis:
        if want ^ bv < want:
            want, combo = want ^ bv, combo ^ bc
    if want:
        return None
    nib = [0] * PADS
    for bit in range(4 * PADS):
        if combo >> bit & 1:
            nib[bit // 4] |= 1 << (bit % 4)
    return nib


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    target = crc(0, [0] * PADS)
    for i in range(n):
        nib = solve(i, target)
        assert nib is not None, i
        body = text(i, pad_of(nib))
        assert zlib.crc32(body.encode()) == target
        d = os.path.join(out, "subs", "sub", "study_0", "alpha_jax", f"trial_{i + 1}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "eval_measurements.csv"), "w") as f:
            f.write(body)


main()
