//! The seeded random source and the few sampling helpers generation uses.
//!
//! Determinism: ChaCha8 is portable (same stream on every platform); each patient's stream is
//! seeded from SHA-256 of (scenario id, scenario seed, patient index), so patients are independent
//! of each other and of the order they are generated in. Only integer draws and `f64` arithmetic
//! with explicit rounding reach the output.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

use crate::patient::spec::{Range, Weighted};

/// The generator's random source.
pub type SimRng = ChaCha8Rng;

/// The 64-bit seed of patient `index` of `scenario_id` under scenario seed `seed`.
pub(crate) fn patient_seed(scenario_id: &str, seed: u64, index: u32) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(b"ehr-sim patient v1\0");
    hasher.update(scenario_id.as_bytes());
    hasher.update([0]);
    hasher.update(seed.to_le_bytes());
    hasher.update(index.to_le_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// A random source for one patient.
pub(crate) fn rng_for(patient_seed: u64) -> SimRng {
    SimRng::seed_from_u64(patient_seed)
}

/// A uniform draw in `[range.min, range.max]`, rounded to `decimals` places.
pub(crate) fn in_range(rng: &mut SimRng, range: Range, decimals: u8) -> f64 {
    let (lo, hi) = if range.min <= range.max {
        (range.min, range.max)
    } else {
        (range.max, range.min)
    };
    let scale = 10f64.powi(i32::from(decimals));
    // Draw an integer number of steps so the result is exactly representable after rounding.
    let lo_steps = (lo * scale).round() as i64;
    let hi_steps = (hi * scale).round() as i64;
    let steps = if hi_steps > lo_steps {
        rng.random_range(lo_steps..=hi_steps)
    } else {
        lo_steps
    };
    steps as f64 / scale
}

/// A uniform whole number in `[range.min, range.max]`.
pub(crate) fn whole_in_range(rng: &mut SimRng, range: Range) -> u32 {
    let value = in_range(rng, range, 0);
    if value <= 0.0 { 0 } else { value as u32 }
}

/// A uniform whole number in an inclusive pair `(lo, hi)` (order-tolerant).
pub(crate) fn in_pair(rng: &mut SimRng, pair: (u32, u32)) -> u32 {
    let (lo, hi) = if pair.0 <= pair.1 {
        pair
    } else {
        (pair.1, pair.0)
    };
    rng.random_range(lo..=hi)
}

/// True with probability `p` (clamped to [0, 1]), drawn in millionths so it is exact.
pub(crate) fn chance(rng: &mut SimRng, p: f64) -> bool {
    let millionths = (p.clamp(0.0, 1.0) * 1_000_000.0).round() as u32;
    rng.random_range(0..1_000_000u32) < millionths
}

/// One of the weighted choices (weights are relative); `None` for an empty or all-zero list.
pub(crate) fn pick<'a, T>(rng: &mut SimRng, choices: &'a [Weighted<T>]) -> Option<&'a T> {
    pick_index(rng, choices, |c| Some(c.weight))
        .and_then(|i| choices.get(i))
        .map(|c| &c.value)
}

/// The index of one of `items`, each weighted by `weight` (relative; `None` leaves the item
/// out); `None` when no weight is left. Weights count in millionths, so the draw is an exact
/// integer operation.
pub(crate) fn pick_index<T>(
    rng: &mut SimRng,
    items: &[T],
    weight: impl Fn(&T) -> Option<f64>,
) -> Option<usize> {
    let millionths = |item: &T| weight(item).map(|w| (w.max(0.0) * 1_000_000.0).round() as u64);
    let total: u64 = items.iter().filter_map(millionths).sum();
    if total == 0 {
        return None;
    }
    let mut draw = rng.random_range(0..total);
    for (i, item) in items.iter().enumerate() {
        let Some(w) = millionths(item) else {
            continue;
        };
        if draw < w {
            return Some(i);
        }
        draw -= w;
    }
    None
}

/// One element of a non-empty slice, uniformly.
pub(crate) fn one_of<'a, T>(rng: &mut SimRng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.random_range(0..items.len()))
    }
}

/// `n` random decimal digits.
pub fn digits(rng: &mut SimRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_index_and_scenario() {
        let a = patient_seed("s", 7, 0);
        assert_eq!(a, patient_seed("s", 7, 0));
        assert_ne!(a, patient_seed("s", 7, 1));
        assert_ne!(a, patient_seed("t", 7, 0));
        assert_ne!(a, patient_seed("s", 8, 0));
    }

    #[test]
    fn in_range_respects_bounds_and_decimals() {
        let mut rng = rng_for(1);
        for _ in 0..1000 {
            let v = in_range(
                &mut rng,
                Range {
                    min: 36.5,
                    max: 37.2,
                },
                1,
            );
            assert!((36.5..=37.2).contains(&v));
            assert_eq!((v * 10.0).round() / 10.0, v);
        }
    }

    #[test]
    fn pick_follows_weights() {
        let choices = vec![
            Weighted {
                weight: 0.0,
                value: "never",
            },
            Weighted {
                weight: 1.0,
                value: "always",
            },
        ];
        let mut rng = rng_for(3);
        for _ in 0..100 {
            assert_eq!(pick(&mut rng, &choices), Some(&"always"));
        }
        let empty: Vec<Weighted<&str>> = Vec::new();
        assert_eq!(pick(&mut rng, &empty), None);
    }

    #[test]
    fn chance_extremes() {
        let mut rng = rng_for(5);
        assert!((0..100).all(|_| chance(&mut rng, 1.0)));
        assert!((0..100).all(|_| !chance(&mut rng, 0.0)));
    }
}
