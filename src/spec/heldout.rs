//! numpy's held-out workload draw, reproduced bit for bit.
//!
//! AlgoPerf v0.5 picked one held-out variant per workload group with
//!
//! ```python
//! rng = numpy.random.default_rng(seed)
//! for pool in groups:
//!     index = rng.integers(len(pool))
//! ```
//!
//! To re-derive (or audit) that set without Python, this module ports the three
//! pieces of numpy that the snippet runs through, following numpy's own sources:
//!
//! 1. [`SeedSequence`] (`numpy/random/bit_generator.pyx`): the seed, split into 32-bit
//!    words, is hashed into a 4-word pool; `generate_state(4, uint64)` hashes the pool
//!    out again into four `u64` words.
//! 2. PCG64 (`numpy/random/src/pcg64/pcg64.{h,c}`, `_pcg64.pyx`): a 128-bit LCG with
//!    the XSL-RR output function, seeded by `pcg64_set_seed` with
//!    `initstate = w[0] << 64 | w[1]` and `initseq = w[2] << 64 | w[3]`.
//! 3. `Generator.integers(high)` (`_bounded_integers.pyx.in` →
//!    `random_bounded_uint64_fill` in `src/distributions/distributions.c`): Lemire's
//!    nearly-divisionless rejection method, on 32-bit draws when the range fits in
//!    32 bits and on 64-bit draws otherwise.
//!
//! Two details of numpy are easy to miss and both change the draw:
//!
//! - A 32-bit draw takes the *low* half of a fresh 64-bit PCG64 output and keeps the
//!   high half in the bit generator; the next 32-bit draw, even from a later
//!   `integers` call, uses that buffered half. 64-bit draws bypass (and keep) the
//!   buffer. So six small draws consume only three 64-bit outputs.
//! - `integers(1)` (range 0) returns 0 without consuming anything.
//!
//! Everything here is checked against real numpy by `tests/it/heldout_numpy.rs`, whose
//! table is written by `scripts/heldout_numpy_table.py`.

use thiserror::Error;

// SeedSequence constants, as in numpy/random/bit_generator.pyx.
const POOL_SIZE: usize = 4;
const INIT_A: u32 = 0x43b0_d7e5;
const MULT_A: u32 = 0x931e_8875;
const INIT_B: u32 = 0x8b51_f9dd;
const MULT_B: u32 = 0x58f3_8ded;
const MIX_MULT_L: u32 = 0xca01_f9dd;
const MIX_MULT_R: u32 = 0x4973_f715;
const XSHIFT: u32 = 16;

/// PCG64's LCG multiplier (`PCG_DEFAULT_MULTIPLIER_128` in numpy's pcg64.h).
const PCG_MULT: u128 = (2_549_297_995_355_413_924u128 << 64) | 4_865_540_595_714_422_341u128;

/// numpy's `hashmix`: the hash constant is advanced on every call, so the order of
/// calls is part of the algorithm.
fn hashmix(value: u32, hash_const: &mut u32) -> u32 {
    let mut value = value ^ *hash_const;
    *hash_const = hash_const.wrapping_mul(MULT_A);
    value = value.wrapping_mul(*hash_const);
    value ^ (value >> XSHIFT)
}

/// numpy's `mix`: combines a pool word with a hashed word.
fn mix(x: u32, y: u32) -> u32 {
    let result = MIX_MULT_L
        .wrapping_mul(x)
        .wrapping_sub(MIX_MULT_R.wrapping_mul(y));
    result ^ (result >> XSHIFT)
}

/// numpy's `_int_to_uint32_array`: a non-negative integer as 32-bit words, least
/// significant first, with no leading zero words -- except that 0 is one word `[0]`.
/// (So 2**32 is `[0, 1]` and hashes differently from 2**32 - 1, `[0xffff_ffff]`.)
pub fn entropy_words(entropy: u128) -> Vec<u32> {
    if entropy == 0 {
        return vec![0];
    }
    let mut words = Vec::with_capacity(4);
    let mut rest = entropy;
    while rest > 0 {
        // Truncation to the low 32 bits is the point here.
        words.push((rest & 0xffff_ffff) as u32);
        rest >>= 32;
    }
    words
}

/// numpy's `SeedSequence` with the default pool size (4 words) and no spawn key: the
/// step that turns a user seed into well-mixed bit-generator state, so that seeds that
/// differ by one bit still give unrelated streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedSequence {
    pool: [u32; POOL_SIZE],
}

impl SeedSequence {
    /// `SeedSequence(entropy)` for a non-negative integer seed.
    pub fn new(entropy: u128) -> Self {
        Self::from_entropy_words(&entropy_words(entropy))
    }

    /// `SeedSequence` from already-split 32-bit entropy words (what numpy builds from
    /// an int, or from a sequence of ints). Words beyond the pool size are mixed in
    /// too, as numpy does, so any length works.
    pub fn from_entropy_words(entropy: &[u32]) -> Self {
        let mut pool = [0u32; POOL_SIZE];
        let mut hash_const = INIT_A;
        // Fill the pool with the hashed entropy (hashing zeros past its end).
        for (i, slot) in pool.iter_mut().enumerate() {
            let word = entropy.get(i).copied().unwrap_or(0);
            *slot = hashmix(word, &mut hash_const);
        }
        // Mix every pool word into every other one so late words affect early ones.
        for i_src in 0..POOL_SIZE {
            for i_dst in 0..POOL_SIZE {
                if i_src != i_dst {
                    let hashed = hashmix(pool[i_src], &mut hash_const);
                    pool[i_dst] = mix(pool[i_dst], hashed);
                }
            }
        }
        // Entropy longer than the pool is folded into every pool word.
        for &word in entropy.iter().skip(POOL_SIZE) {
            for slot in pool.iter_mut() {
                let hashed = hashmix(word, &mut hash_const);
                *slot = mix(*slot, hashed);
            }
        }
        SeedSequence { pool }
    }

    /// The mixed entropy pool (numpy's `SeedSequence.pool`), exposed for checking
    /// against numpy.
    pub fn pool(&self) -> [u32; POOL_SIZE] {
        self.pool
    }

    /// `generate_state(n_words, np.uint32)`: the pool words, cycled and hashed with
    /// a second running constant.
    pub fn generate_state_u32(&self, n_words: usize) -> Vec<u32> {
        let mut hash_const = INIT_B;
        self.pool
            .iter()
            .cycle()
            .take(n_words)
            .map(|&word| {
                let mut value = word ^ hash_const;
                hash_const = hash_const.wrapping_mul(MULT_B);
                value = value.wrapping_mul(hash_const);
                value ^ (value >> XSHIFT)
            })
            .collect()
    }

    /// `generate_state(n_words, np.uint64)`: twice as many 32-bit words, paired
    /// little-endian (the first word of each pair is the low half).
    pub fn generate_state_u64(&self, n_words: usize) -> Vec<u64> {
        self.generate_state_u32(2 * n_words)
            .chunks_exact(2)
            .map(|pair| u64::from(pair[0]) | (u64::from(pair[1]) << 32))
            .collect()
    }
}

/// numpy's PCG64 bit generator state: the LCG plus the one-word buffer that
/// `next_uint32` uses to hand out the two halves of a 64-bit output.
#[derive(Clone, Debug)]
struct Pcg64 {
    state: u128,
    inc: u128,
    has_uint32: bool,
    uinteger: u32,
}

impl Pcg64 {
    /// `pcg64_set_seed(seed = words[0..2], inc = words[2..4])`, each pair read as
    /// `high << 64 | low`, then `pcg_setseq_128_srandom_r`.
    fn from_state_words(words: [u64; 4]) -> Self {
        let initstate = (u128::from(words[0]) << 64) | u128::from(words[1]);
        let initseq = (u128::from(words[2]) << 64) | u128::from(words[3]);
        let mut rng = Pcg64 {
            state: 0,
            inc: (initseq << 1) | 1,
            has_uint32: false,
            uinteger: 0,
        };
        rng.step();
        rng.state = rng.state.wrapping_add(initstate);
        rng.step();
        rng
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULT).wrapping_add(self.inc);
    }

    /// `pcg64_next64`: advance, then XSL-RR on the *new* state.
    fn next_u64(&mut self) -> u64 {
        self.step();
        // The two casts take the high and low 64 bits; the rotation is the top 6 bits.
        let high = (self.state >> 64) as u64;
        let low = self.state as u64;
        let rot = (self.state >> 122) as u32;
        (high ^ low).rotate_right(rot)
    }

    /// `pcg64_next32`: the low half of a fresh 64-bit output, keeping the high half
    /// for the next call.
    fn next_u32(&mut self) -> u32 {
        if self.has_uint32 {
            self.has_uint32 = false;
            return self.uinteger;
        }
        let next = self.next_u64();
        self.has_uint32 = true;
        self.uinteger = (next >> 32) as u32;
        (next & 0xffff_ffff) as u32
    }
}

/// Why a draw cannot be done the way numpy would do it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeldoutError {
    /// numpy raises `ValueError: high <= 0` for `integers(0)`: an empty pool has no
    /// index to draw.
    #[error("pool {group} is empty: numpy's integers(0) raises, there is no index to draw")]
    EmptyPool {
        /// Position of the pool in the draw order.
        group: usize,
    },
    /// numpy raises `ValueError: high is out of bounds for int64` above 2**63.
    #[error("pool {group} has {size} entries, more than numpy's int64 draw allows (2**63)")]
    PoolTooLarge {
        /// Position of the pool in the draw order.
        group: usize,
        /// The pool size.
        size: u64,
    },
}

/// Largest `high` that numpy accepts for `integers(high)` with dtype int64.
const INT64_HIGH_MAX: u64 = 1 << 63;

/// numpy's `default_rng(seed)`: `Generator(PCG64(SeedSequence(seed)))`, with the
/// parts of `Generator` that AlgoPerf's held-out draw uses.
#[derive(Clone, Debug)]
pub struct NumpyRng {
    bitgen: Pcg64,
}

impl NumpyRng {
    /// `numpy.random.default_rng(seed)` for a non-negative integer seed (numpy splits
    /// the seed into 32-bit words, so every `u128` is accepted and distinct).
    pub fn new(seed: u128) -> Self {
        let words = SeedSequence::new(seed).generate_state_u64(4);
        let words = [words[0], words[1], words[2], words[3]];
        NumpyRng {
            bitgen: Pcg64::from_state_words(words),
        }
    }

    /// `bit_generator.random_raw()`: one raw 64-bit PCG64 output. Like numpy's, it
    /// neither uses nor clears the buffered 32-bit half.
    pub fn next_raw(&mut self) -> u64 {
        self.bitgen.next_u64()
    }

    /// numpy `Generator.integers(high)` (low = 0, endpoint = False, dtype int64).
    /// high >= 1.
    ///
    /// numpy raises for `high == 0` and for `high > 2**63`; this function does not
    /// fail: `high == 0` is treated like `high == 1` (returns 0, draws nothing), and
    /// `high > 2**63` gives what numpy's `integers(high, dtype=np.uint64)` gives (same
    /// C routine). Use [`NumpyRng::try_integers`] to get numpy's refusals instead.
    pub fn integers(&mut self, high: u64) -> u64 {
        self.bounded_closed(high.saturating_sub(1))
    }

    /// [`NumpyRng::integers`] with numpy's argument checks: `None` exactly where
    /// numpy's int64 `integers(high)` raises (`high == 0` or `high > 2**63`), and then
    /// nothing is drawn.
    pub fn try_integers(&mut self, high: u64) -> Option<u64> {
        if high == 0 || high > INT64_HIGH_MAX {
            return None;
        }
        Some(self.integers(high))
    }

    /// `random_bounded_uint64_fill(off = 0, rng, cnt = 1, use_masked = false)`: a value
    /// in the closed range `[0, rng]`.
    fn bounded_closed(&mut self, rng: u64) -> u64 {
        if rng == 0 {
            // Nothing to choose: numpy returns `off` without touching the generator.
            0
        } else if rng < 0xffff_ffff {
            u64::from(self.lemire_u32(rng as u32))
        } else if rng == 0xffff_ffff {
            // Lemire32 cannot express a range of 2**32 (rng + 1 wraps to 0); numpy
            // returns the raw (buffered) 32-bit draw.
            u64::from(self.bitgen.next_u32())
        } else if rng == u64::MAX {
            // Same for Lemire64 and a range of 2**64 (unreachable from `integers`).
            self.bitgen.next_u64()
        } else {
            self.lemire_u64(rng)
        }
    }

    /// numpy's `buffered_bounded_lemire_uint32`: `[0, rng]` from 32-bit draws, which
    /// come from the bit generator's half-word buffer.
    fn lemire_u32(&mut self, rng: u32) -> u32 {
        let rng_excl = rng + 1; // rng < u32::MAX, checked by the caller.
        let mut m = u64::from(self.bitgen.next_u32()) * u64::from(rng_excl);
        let mut leftover = (m & 0xffff_ffff) as u32;
        if leftover < rng_excl {
            // (2**32 - rng_excl) % rng_excl, the count of biased low products.
            let threshold = (u32::MAX - rng) % rng_excl;
            while leftover < threshold {
                m = u64::from(self.bitgen.next_u32()) * u64::from(rng_excl);
                leftover = (m & 0xffff_ffff) as u32;
            }
        }
        (m >> 32) as u32
    }

    /// numpy's `bounded_lemire_uint64`: `[0, rng]` from 64-bit draws, with the 128-bit
    /// product (numpy's `__uint128_t` path).
    fn lemire_u64(&mut self, rng: u64) -> u64 {
        let rng_excl = rng + 1; // rng < u64::MAX, checked by the caller.
        let mut m = u128::from(self.bitgen.next_u64()) * u128::from(rng_excl);
        let mut leftover = m as u64;
        if leftover < rng_excl {
            let threshold = (u64::MAX - rng) % rng_excl;
            while leftover < threshold {
                m = u128::from(self.bitgen.next_u64()) * u128::from(rng_excl);
                leftover = m as u64;
            }
        }
        (m >> 64) as u64
    }
}

/// A pool size as numpy's `high`. `usize` is at most 64 bits on every target Rust
/// supports today; a wider one saturates (and is then out of numpy's range anyway).
fn pool_high(size: usize) -> u64 {
    u64::try_from(size).unwrap_or(u64::MAX)
}

/// An index drawn below a pool size always fits back into `usize`.
fn pool_index(index: u64, size: usize) -> usize {
    usize::try_from(index).unwrap_or(size.saturating_sub(1))
}

/// One index per pool size, drawn in order from one generator: what AlgoPerf's sampling does.
///
/// An empty pool (size 0) has no index; numpy would raise there. This function gives
/// 0 for it and draws nothing, so callers that can see empty pools should use
/// [`try_draw_indices`].
pub fn draw_indices(seed: u128, pool_sizes: &[usize]) -> Vec<usize> {
    let mut rng = NumpyRng::new(seed);
    pool_sizes
        .iter()
        .map(|&size| pool_index(rng.integers(pool_high(size)), size))
        .collect()
}

/// [`draw_indices`] with numpy's checks: fails where AlgoPerf's numpy code would raise
/// (an empty pool, or one larger than 2**63), naming the first offending pool.
pub fn try_draw_indices(seed: u128, pool_sizes: &[usize]) -> Result<Vec<usize>, HeldoutError> {
    for (group, &size) in pool_sizes.iter().enumerate() {
        let high = pool_high(size);
        if high == 0 {
            return Err(HeldoutError::EmptyPool { group });
        }
        if high > INT64_HIGH_MAX {
            return Err(HeldoutError::PoolTooLarge { group, size: high });
        }
    }
    Ok(draw_indices(seed, pool_sizes))
}

/// A held-out seed in a JSON document: a number when it fits in 64 bits
/// (every published seed does), else its decimal digits as a string (JSON
/// readers lose integers past 64 bits, or past 53).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub u128);

impl serde::Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match u64::try_from(self.0) {
            Ok(n) => s.serialize_u64(n),
            Err(_) => s.serialize_str(&self.0.to_string()),
        }
    }
}

impl schemars::JsonSchema for Seed {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Seed".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "numpy's default_rng seed: an integer, or its decimal digits when it does not fit in 64 bits.",
            "oneOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": "^[0-9]+$"}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // All expected numbers below were printed by numpy 2.4.6.

    #[test]
    fn entropy_words_split_like_numpy() {
        assert_eq!(entropy_words(0), vec![0]);
        assert_eq!(entropy_words(0xffff_ffff), vec![0xffff_ffff]);
        assert_eq!(entropy_words(1 << 32), vec![0, 1]);
        assert_eq!(entropy_words((1 << 64) + 3), vec![3, 0, 1]);
        assert_eq!(entropy_words(u128::MAX), vec![u32::MAX; 4]);
    }

    #[test]
    fn seed_sequence_matches_numpy() {
        // np.random.SeedSequence(0).pool / .generate_state(4, np.uint64)
        let seq = SeedSequence::new(0);
        assert_eq!(
            seq.pool(),
            [4_265_667_335, 1_328_953_910, 1_320_288_413, 3_365_567_143]
        );
        assert_eq!(
            seq.generate_state_u64(4),
            vec![
                15_793_235_383_387_715_774,
                12_390_638_538_380_655_177,
                2_361_836_109_651_742_017,
                3_188_717_715_514_472_916,
            ]
        );
        // np.random.SeedSequence(3438810845).generate_state(4, np.uint64)
        assert_eq!(
            SeedSequence::new(3_438_810_845).generate_state_u64(4),
            vec![
                6_579_266_161_424_566_971,
                2_133_399_712_469_022_412,
                15_043_737_168_554_318_523,
                16_928_292_722_924_537_761,
            ]
        );
        // np.random.SeedSequence(2**100 + 11).generate_state(8): a four-word seed.
        assert_eq!(
            SeedSequence::new((1u128 << 100) + 11).generate_state_u32(8),
            vec![
                3_015_987_859,
                1_297_770_545,
                3_956_029_782,
                2_495_592_197,
                241_819_038,
                345_446_684,
                2_547_691_952,
                1_490_016_997,
            ]
        );
    }

    #[test]
    fn pcg64_raw_output_matches_numpy() {
        // np.random.PCG64(3438810845).random_raw(2)
        let mut rng = NumpyRng::new(3_438_810_845);
        assert_eq!(rng.next_raw(), 7_940_519_552_660_140_273);
        assert_eq!(rng.next_raw(), 17_358_456_384_040_657_752);
    }

    #[test]
    fn v05_heldout_draw() {
        // pools_v05.json: seed 3438810845, pool sizes in group order.
        assert_eq!(
            draw_indices(3_438_810_845, &[5, 6, 3, 3, 3, 3]),
            vec![1, 2, 2, 2, 1, 1]
        );
    }

    #[test]
    fn size_one_draws_nothing() {
        let mut a = NumpyRng::new(7);
        let mut b = NumpyRng::new(7);
        assert_eq!(a.integers(1), 0);
        assert_eq!(a.integers(0), 0);
        assert_eq!(a.integers(10), b.integers(10));
    }

    #[test]
    fn numpy_refusals_are_reported() {
        let mut rng = NumpyRng::new(1);
        assert_eq!(rng.try_integers(0), None);
        assert_eq!(rng.try_integers((1 << 63) + 1), None);
        assert!(rng.try_integers(1 << 63).is_some());
        assert_eq!(
            try_draw_indices(1, &[3, 0, 2]),
            Err(HeldoutError::EmptyPool { group: 1 })
        );
        assert_eq!(
            try_draw_indices(3_438_810_845, &[5, 6, 3, 3, 3, 3]),
            Ok(vec![1, 2, 2, 2, 1, 1])
        );
    }
}
