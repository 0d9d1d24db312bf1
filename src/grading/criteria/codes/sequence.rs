//! Sequencing: which paired lines are out of the order the rubric mandates, and whether the
//! principal / first-listed diagnosis is one a guideline directs.
//!
//! `Strict` keeps the longest run of paired lines in key order (a longest increasing
//! subsequence of their key positions, found in O(n log n)) and marks the others;
//! `FirstListed` marks the key's first code only when neither it nor a code the key lets be
//! first (`may_be_first`) is the first counted line; `Any` marks none. Independently of the
//! rubric's sequencing, a key whose first code carries `first_by` (a guideline directs it)
//! makes any other first line a wrong principal diagnosis, rated by the severity table.

use super::pairing::Pairing;
use super::{Findings, KeyEntry, Lines};
use crate::grading::rubric::{CodeSettings, Sequencing};

/// True when the first counted line is paired with the key's first entry or with an entry
/// that may be listed first.
fn first_is_accepted(lines: &Lines, pairing: &Pairing, required: &[&KeyEntry]) -> bool {
    lines
        .counted
        .first()
        .and_then(|&i| pairing.of(i))
        .is_some_and(|(k, _)| k == 0 || required.get(k).is_some_and(|e| e.may_be_first))
}

/// Per submitted line, whether it is out of the mandated order.
pub(super) fn out_of_order(
    sequencing: Sequencing,
    lines: &Lines,
    pairing: &Pairing,
    required: &[&KeyEntry],
) -> Vec<bool> {
    let mut out = vec![false; lines.codes.len()];
    let matched: Vec<(usize, usize)> = lines
        .counted
        .iter()
        .filter_map(|&i| pairing.of(i).map(|(k, _)| (i, k)))
        .collect();
    match sequencing {
        Sequencing::Any => {}
        Sequencing::Strict => {
            let keys: Vec<usize> = matched.iter().map(|(_, k)| *k).collect();
            let mut keep = vec![false; matched.len()];
            for pos in longest_increasing(&keys) {
                if let Some(k) = keep.get_mut(pos) {
                    *k = true;
                }
            }
            for ((i, _), kept) in matched.iter().zip(keep) {
                if !kept && let Some(o) = out.get_mut(*i) {
                    *o = true;
                }
            }
        }
        Sequencing::FirstListed => {
            if !first_is_accepted(lines, pairing, required) {
                for (i, k) in &matched {
                    if *k == 0
                        && let Some(o) = out.get_mut(*i)
                    {
                        *o = true;
                    }
                }
            }
        }
    }
    out
}

/// A wrong principal / first-listed diagnosis where the key's first code is directed by a
/// guideline (`first_by`): recorded with its severity and rule.
pub(super) fn principal(
    lines: &Lines,
    pairing: &Pairing,
    required: &[&KeyEntry],
    settings: &CodeSettings,
    f: &mut Findings,
) {
    let Some(first_key) = required.first() else {
        return;
    };
    let Some(rule) = first_key.first_by.as_deref() else {
        return;
    };
    if first_is_accepted(lines, pairing, required) {
        return;
    }
    let given_first = lines
        .counted
        .first()
        .and_then(|&i| lines.codes.get(i))
        .map_or("nothing", String::as_str);
    let what = format!(
        "wrong principal/first-listed diagnosis: {} must be listed first, {given_first} was",
        first_key.code
    );
    let text = f.error(settings.severity.wrong_principal, &what, rule);
    f.details.push(text);
}

/// Indices (into `seq`) of one longest strictly increasing subsequence, by patience sorting.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    // tails[l] = index of the smallest tail of an increasing run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, v) in seq.iter().enumerate() {
        let at = tails.partition_point(|&t| seq.get(t).is_some_and(|tv| tv < v));
        if at > 0
            && let Some(p) = prev.get_mut(i)
        {
            *p = tails.get(at - 1).copied();
        }
        if at == tails.len() {
            tails.push(i);
        } else if let Some(t) = tails.get_mut(at) {
            *t = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev.get(i).copied().flatten();
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn longest_increasing_run() {
        assert_eq!(longest_increasing(&[1, 0, 2, 3]).len(), 3);
        assert_eq!(longest_increasing(&[3, 2, 1]).len(), 1);
        assert_eq!(longest_increasing(&[0, 1, 2]), vec![0, 1, 2]);
        assert!(longest_increasing(&[]).is_empty());
    }
}
