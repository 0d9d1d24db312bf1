//! The codes of a checked list, indexed once so that every pair check is near-linear: each
//! distinct code once (first occurrence), its compact key computed once, the keys in sorted
//! order (a code range of a note covers one contiguous run of them), and a minimum segment tree
//! for "the first listed code after position j inside a range".

use std::collections::HashMap;

use super::refs::CodeRange;
use crate::terminology::codeset::Entry;
use crate::terminology::layout::partition;

/// The distinct codes of a list in list order, with their keys and a sorted index.
pub(super) struct Listed<'a> {
    /// (position in the list, entry, compact key), first occurrences in list order.
    pub(super) items: Vec<(usize, &'a Entry, String)>,
    /// Indices into `items`, sorted by key.
    sorted: Vec<usize>,
    /// Where each item sits in `sorted`.
    rank: Vec<usize>,
}

/// The first `n` bytes of a key (all of it when shorter).
fn head(key: &str, n: usize) -> &str {
    key.get(..n.min(key.len())).unwrap_or(key)
}

impl<'a> Listed<'a> {
    /// Indexes the found codes (position, entry), keeping each key's first occurrence.
    pub(super) fn new(present: &[(usize, &'a Entry)]) -> Self {
        let mut first: HashMap<String, ()> = HashMap::with_capacity(present.len());
        let mut items = Vec::with_capacity(present.len());
        for (i, e) in present {
            let key = e.key();
            if first.insert(key.clone(), ()).is_none() {
                items.push((*i, *e, key));
            }
        }
        let mut sorted: Vec<usize> = (0..items.len()).collect();
        sorted.sort_by(|a, b| {
            let ka = items.get(*a).map_or("", |x| x.2.as_str());
            let kb = items.get(*b).map_or("", |x| x.2.as_str());
            ka.cmp(kb)
        });
        let mut rank = vec![0; items.len()];
        for (r, t) in sorted.iter().enumerate() {
            if let Some(slot) = rank.get_mut(*t) {
                *slot = r;
            }
        }
        Self {
            items,
            sorted,
            rank,
        }
    }

    fn key_at(&self, r: usize) -> &str {
        self.sorted
            .get(r)
            .and_then(|t| self.items.get(*t))
            .map_or("", |x| x.2.as_str())
    }

    /// The run of sorted ranks whose keys a range covers (`CodeRange::covers`): keys whose head
    /// is at least `low` and at most `high` form one contiguous run in key order.
    pub(super) fn covered(&self, range: &CodeRange) -> std::ops::Range<usize> {
        let n = self.sorted.len();
        let lo = partition(n, |r| {
            head(self.key_at(r), range.low.len()) < range.low.as_str()
        });
        let hi = partition(n, |r| {
            head(self.key_at(r), range.high.len()) <= range.high.as_str()
        });
        lo..hi.max(lo)
    }

    /// The run of sorted ranks whose keys start with `prefix`.
    pub(super) fn prefix_run(&self, prefix: &str) -> std::ops::Range<usize> {
        let n = self.sorted.len();
        let lo = partition(n, |r| head(self.key_at(r), prefix.len()) < prefix);
        let hi = partition(n, |r| head(self.key_at(r), prefix.len()) <= prefix);
        lo..hi.max(lo)
    }

    /// How many distinct listed keys start with `prefix`.
    pub(super) fn count_with_prefix(&self, prefix: &str) -> usize {
        self.prefix_run(prefix).len()
    }

    /// The item at a sorted rank.
    pub(super) fn item_at(&self, rank: usize) -> Option<usize> {
        self.sorted.get(rank).copied()
    }

    /// The sorted rank of item `t`.
    pub(super) fn rank(&self, t: usize) -> usize {
        self.rank.get(t).copied().unwrap_or(0)
    }
}

/// A minimum segment tree over sorted ranks holding item indices (`usize::MAX` when empty).
pub(super) struct MinTree {
    size: usize,
    tree: Vec<usize>,
}

impl MinTree {
    pub(super) fn new(n: usize) -> Self {
        let size = n.next_power_of_two().max(1);
        Self {
            size,
            tree: vec![usize::MAX; 2 * size],
        }
    }

    /// Puts `value` at rank `at`.
    pub(super) fn set(&mut self, at: usize, value: usize) {
        let mut i = at + self.size;
        if let Some(slot) = self.tree.get_mut(i) {
            *slot = value;
        }
        while i > 1 {
            i /= 2;
            let l = self.tree.get(2 * i).copied().unwrap_or(usize::MAX);
            let r = self.tree.get(2 * i + 1).copied().unwrap_or(usize::MAX);
            if let Some(slot) = self.tree.get_mut(i) {
                *slot = l.min(r);
            }
        }
    }

    /// The smallest value at ranks in `run` (`None` when all empty).
    pub(super) fn min(&self, run: std::ops::Range<usize>) -> Option<usize> {
        let (mut lo, mut hi) = (run.start + self.size, run.end + self.size);
        let mut best = usize::MAX;
        while lo < hi {
            if lo % 2 == 1 {
                best = best.min(self.tree.get(lo).copied().unwrap_or(usize::MAX));
                lo += 1;
            }
            if hi % 2 == 1 {
                hi -= 1;
                best = best.min(self.tree.get(hi).copied().unwrap_or(usize::MAX));
            }
            lo /= 2;
            hi /= 2;
        }
        (best != usize::MAX).then_some(best)
    }
}
