//! Sequencing: which paired lines are out of the order the rubric mandates.
//!
//! `Strict` keeps the longest run of paired lines in key order (a longest increasing
//! subsequence of their key positions, earliest on ties) and marks the others; `FirstListed`
//! marks the key's first code only when it is not the first counted line; `Any` marks none.

use super::pairing::Pairing;
use crate::grading::rubric::Sequencing;

/// The submitted lines (indices) out of the mandated order, in counted order.
pub(super) fn out_of_order(
    sequencing: Sequencing,
    counted: &[usize],
    pairing: &Pairing,
) -> Vec<usize> {
    let matched: Vec<(usize, usize)> = counted
        .iter()
        .filter_map(|&i| pairing.of(i).map(|(k, _)| (i, k)))
        .collect();
    match sequencing {
        Sequencing::Any => Vec::new(),
        Sequencing::Strict => {
            let keys: Vec<usize> = matched.iter().map(|(_, k)| *k).collect();
            let keep = longest_increasing(&keys);
            matched
                .iter()
                .enumerate()
                .filter(|(pos, _)| !keep.contains(pos))
                .map(|(_, (i, _))| *i)
                .collect()
        }
        Sequencing::FirstListed => matched
            .iter()
            .filter(|(i, k)| *k == 0 && counted.first() != Some(i))
            .map(|(i, _)| *i)
            .collect(),
    }
}

/// Indices (into `seq`) of one longest strictly increasing subsequence; earliest on ties.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let n = seq.len();
    let mut len = vec![1usize; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            let (Some(a), Some(b)) = (seq.get(j), seq.get(i)) else {
                continue;
            };
            let cand = len.get(j).copied().unwrap_or(0) + 1;
            if a < b && cand > len.get(i).copied().unwrap_or(0) {
                if let Some(l) = len.get_mut(i) {
                    *l = cand;
                }
                if let Some(p) = prev.get_mut(i) {
                    *p = Some(j);
                }
            }
        }
    }
    let mut best: Option<usize> = None;
    for (i, l) in len.iter().enumerate() {
        if best.is_none_or(|b| *l > len.get(b).copied().unwrap_or(0)) {
            best = Some(i);
        }
    }
    let mut out = Vec::new();
    while let Some(i) = best {
        out.push(i);
        best = prev.get(i).copied().flatten();
    }
    out.reverse();
    out
}
