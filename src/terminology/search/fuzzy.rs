//! Edit distances, in one implementation: the bounded optimal-string-alignment distance
//! (insertions, deletions, substitutions and adjacent transpositions) of the typo-tolerant
//! search, with a cheap letter-set prefilter, and the plain Levenshtein distance that "did you
//! mean" hints use ([`levenshtein`]). Both are the same dynamic programme ([`bounded`]); only
//! whether an adjacent transposition counts as one edit differs, so the two never drift apart.
//!
//! Invariant: [`within`] returns the exact OSA distance when it is ≤ `max`, otherwise `None`.

/// A 32-bit set of the letters and digits in a word (bit per letter a–z; digits share bit 26+).
#[must_use]
pub(crate) fn letter_mask(word: &str) -> u32 {
    word.bytes().fold(0, |mask, b| {
        mask | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            b'0'..=b'9' => 1 << (26 + (b - b'0') % 6),
            _ => 1 << 31,
        }
    })
}

/// The OSA distance between `a` and `b` if it is at most `max`.
#[must_use]
pub fn within(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    bounded::<u8, true>(a, b, max)
}

/// The Levenshtein distance between two strings, counted in characters (insertions, deletions
/// and substitutions; a transposition is two edits): "kitten" → "sitting" is 3.
#[must_use]
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded::<char, false>(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The edit distance between `a` and `b` if it is at most `max` (`usize::MAX` for no bound),
/// over three rows of the dynamic programme. With `TRANSPOSITIONS` an adjacent transposition
/// is one edit (optimal string alignment), without it the result is the Levenshtein distance.
/// Gives up (`None`) as soon as a whole row exceeds `max`.
fn bounded<T: PartialEq, const TRANSPOSITIONS: bool>(
    a: &[T],
    b: &[T],
    max: usize,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    // Three rows: two back (for transpositions), previous, current.
    let mut back: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur: Vec<usize> = vec![0; width];
    for (i, ca) in a.iter().enumerate() {
        let mut row_min = usize::MAX;
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let deletion = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insertion = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let substitution = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(cost);
            let mut best = deletion.min(insertion).min(substitution);
            if TRANSPOSITIONS
                && i > 0
                && j > 0
                && a.get(i - 1) == Some(cb)
                && b.get(j - 1) == Some(ca)
            {
                best = best.min(
                    back.get(j - 1)
                        .copied()
                        .unwrap_or(usize::MAX)
                        .saturating_add(1),
                );
            }
            if let Some(cell) = cur.get_mut(j + 1) {
                *cell = best;
            }
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut back, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|d| *d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(within(b"diabetis", b"diabetes", 2), Some(1));
        assert_eq!(within(b"fibrilation", b"fibrillation", 2), Some(1));
        assert_eq!(within(b"pnuemonia", b"pneumonia", 2), Some(1));
        assert_eq!(within(b"hypertenshun", b"hypertension", 2), Some(2));
        assert_eq!(within(b"kidney", b"turkey", 2), None);
        assert_eq!(within(b"abc", b"abc", 0), Some(0));
    }

    #[test]
    fn levenshtein_counts_a_transposition_twice() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("aeg", "age"), 2);
        assert_eq!(within(b"aeg", b"age", 2), Some(1));
    }

    #[test]
    fn masks_differ_little_for_typos() {
        let d = (letter_mask("diabetis") ^ letter_mask("diabetes")).count_ones();
        assert!(d <= 2);
    }
}
