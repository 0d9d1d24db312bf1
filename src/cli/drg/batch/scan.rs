//! The common batch line read in one pass, straight into a claim whose strings are used again
//! from line to line.
//!
//! The scan takes a strict subset of JSON: one object of the claim's known fields, strings
//! without escapes, whole numbers without sign, fraction or exponent, `null`, and lists of
//! codes. Anything else (an escape, a repeated or unknown key, another shape of value, a value a
//! rule refuses, more codes than a claim holds) makes it give up, and the line is read as a JSON
//! value, which takes what is valid and says what is not. So the scan decides nothing of its
//! own: a line it takes gives the claim the value reading gives (a test checks this on many
//! thousands of lines, valid and broken).

use chrono::NaiveDate;

use super::super::{discharge_of, sex_of};
use super::{age_years, los_days, status_number};
use crate::terminology::drg::group::json_plain_len;
use crate::terminology::drg::{Claim, DischargeStatus, Poa, Sex};

/// The most secondary diagnoses and procedures the scan takes (the most a claim holds); a line
/// with more is read as a value, and the grouper says it has too many.
const MAX_SDX: usize = 24;
const MAX_PCS: usize = 25;

/// A claim read line after line, its strings kept for the next line, and the strings of
/// codes a shorter line did not need.
pub(super) struct Scratch {
    pub(super) claim: Claim,
    spare: Vec<String>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            claim: Claim {
                pdx: String::new(),
                sdx: Vec::new(),
                pcs: Vec::new(),
                age: None,
                sex: Sex::U,
                discharge: DischargeStatus(1),
                discharge_date: None,
            },
            spare: Vec::new(),
        }
    }
}

/// How many fields a claim line may carry.
const FIELDS: usize = 9;

/// A field's number (in the order of `scan_into`'s match), by its name.
fn field(key: &[u8]) -> Option<usize> {
    Some(match key {
        b"pdx" => 0,
        b"sdx" => 1,
        b"poa" => 2,
        b"pcs" => 3,
        b"sex" => 4,
        b"age" => 5,
        b"discharge" => 6,
        b"discharge_date" => 7,
        b"los" => 8,
        _ => return None,
    })
}

/// A cursor over a line (checked as UTF-8 once, so that every string between two quotes is
/// text).
struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    /// Skips JSON white space and gives the next byte.
    fn next_token(&mut self) -> Option<u8> {
        while let Some(c) = self.peek() {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.at += 1;
            } else {
                return Some(c);
            }
        }
        None
    }

    /// Takes `c` after white space.
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next_token()? == c).then(|| self.at += 1)
    }

    /// A string without escapes or control characters (after white space), as text.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let rest = self.b.get(start..)?;
        let len = json_plain_len(rest);
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        // Both ends are at a quote, a character of its own in UTF-8.
        self.s.get(start..start + len)
    }

    /// `null` (after white space): `Some(true)` when taken, `Some(false)` when the value is
    /// something else.
    fn null(&mut self) -> Option<bool> {
        if self.next_token()? != b'n' {
            return Some(false);
        }
        let rest = self.b.get(self.at..)?;
        if !rest.starts_with(b"null") {
            return None;
        }
        self.at += 4;
        Some(true)
    }

    /// A whole number without sign, fraction or exponent (after white space).
    fn number(&mut self) -> Option<u64> {
        let first = self.next_token()?;
        if !first.is_ascii_digit() {
            return None;
        }
        let mut n: u64 = 0;
        let start = self.at;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.at += 1;
        }
        // A leading zero, a fraction or an exponent: left to the value reading.
        let digits = self.at - start;
        if (first == b'0' && digits > 1) || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        Some(n)
    }

    /// A string, or `null` as `None`.
    fn opt_string(&mut self) -> Option<Option<&'a str>> {
        if self.null()? {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// A whole number, or `null` as `None`.
    fn opt_number(&mut self) -> Option<Option<u64>> {
        if self.null()? {
            return Some(None);
        }
        self.number().map(Some)
    }

    /// A list (or `null`), calling `item` at each element's start; `item` reads the element.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        self.eat(b'[')?;
        if self.next_token()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            item(self)?;
            if self.item_end(b']')? {
                return Some(());
            }
        }
    }

    /// After an item of a list or an object (after white space): `Some(false)` past a comma,
    /// another item follows; `Some(true)` past `close`, the end; `None` for anything else.
    fn item_end(&mut self, close: u8) -> Option<bool> {
        let c = self.next_token()?;
        if c != b',' && c != close {
            return None;
        }
        self.at += 1;
        Some(c == close)
    }
}

/// Puts `text` in the `n`-th string of a list, growing the list with a spare string when
/// needed.
fn put<T>(
    list: &mut Vec<T>,
    spare: &mut Vec<String>,
    n: usize,
    text: &str,
    string: fn(&mut T) -> &mut String,
    new: fn(String) -> T,
) {
    if let Some(item) = list.get_mut(n) {
        let s = string(item);
        s.clear();
        s.push_str(text);
        return;
    }
    let mut s = spare.pop().unwrap_or_default();
    s.clear();
    s.push_str(text);
    list.push(new(s));
}

fn code_of(pair: &mut (String, Poa)) -> &mut String {
    &mut pair.0
}

fn sdx_new(code: String) -> (String, Poa) {
    (code, Poa::Y)
}

/// Reads a line into the scratch claim: the claim's own length of stay (`Some(None)` when it
/// gives none), or `None` when the line is left to the value reading (the claim then holds
/// whatever was read).
pub(super) fn scan_into(text: &[u8], s: &mut Scratch) -> Option<Option<u32>> {
    let line = std::str::from_utf8(text).ok()?;
    let mut c = Cursor {
        s: line,
        b: line.as_bytes(),
        at: 0,
    };
    let Scratch { claim, spare } = s;
    let mut seen = [false; FIELDS];
    let (mut pdx, mut sex, mut discharge) = (None, None, None);
    let (mut age, mut los, mut date) = (None, None, None);
    // Each secondary diagnosis's own indicator, and the separate "poa" list (either may come
    // first on the line).
    let mut own: [Option<&str>; MAX_SDX] = [None; MAX_SDX];
    let mut listed: [&str; MAX_SDX] = [""; MAX_SDX];
    let (mut n_sdx, mut n_poa, mut n_pcs) = (0usize, 0usize, 0usize);
    let read = (|| -> Option<()> {
        c.eat(b'{')?;
        if c.next_token()? == b'}' {
            c.at += 1;
            return Some(());
        }
        loop {
            let k = field(c.string()?.as_bytes())?;
            let slot = seen.get_mut(k)?;
            if std::mem::replace(slot, true) {
                return None;
            }
            c.eat(b':')?;
            match k {
                0 => pdx = c.opt_string()?,
                1 => c.list(|c| {
                    let slot = own.get_mut(n_sdx)?;
                    let code = if c.next_token()? == b'{' {
                        let (code, poa) = sdx_object(c)?;
                        *slot = poa;
                        code
                    } else {
                        c.string()?
                    };
                    put(&mut claim.sdx, spare, n_sdx, code, code_of, sdx_new);
                    n_sdx += 1;
                    Some(())
                })?,
                2 => c.list(|c| {
                    *listed.get_mut(n_poa)? = c.string()?;
                    n_poa += 1;
                    Some(())
                })?,
                3 => c.list(|c| {
                    if n_pcs >= MAX_PCS {
                        return None;
                    }
                    put(&mut claim.pcs, spare, n_pcs, c.string()?, |s| s, |s| s);
                    n_pcs += 1;
                    Some(())
                })?,
                4 => sex = c.opt_string()?,
                5 => age = c.opt_number()?,
                6 => discharge = Some(status(&mut c)?),
                7 => date = c.opt_string()?,
                _ => los = c.opt_number()?,
            }
            if c.item_end(b'}')? {
                return Some(());
            }
        }
    })();
    // The codes past this line's go to the spares, whatever the scan found.
    if claim.sdx.len() > n_sdx {
        spare.extend(claim.sdx.drain(n_sdx..).map(|(code, _)| code));
    }
    if claim.pcs.len() > n_pcs {
        spare.extend(claim.pcs.drain(n_pcs..));
    }
    read?;
    if c.next_token().is_some() || n_poa > n_sdx {
        return None;
    }
    for (i, (_, poa)) in claim.sdx.iter_mut().enumerate() {
        let given = match own.get(i).copied().flatten() {
            Some(p) => Some(p),
            None => listed.get(i).copied().filter(|_| i < n_poa),
        };
        *poa = match given {
            Some(p) => Poa::parse(p)?,
            None => Poa::Y,
        };
    }
    let pdx = pdx.filter(|p| !p.trim().is_empty())?;
    claim.pdx.clear();
    claim.pdx.push_str(pdx);
    claim.sex = sex_of(sex?)?;
    claim.discharge = discharge?;
    claim.age = match age {
        None => None,
        Some(a) => Some(age_years(a)?),
    };
    claim.discharge_date = match date {
        None => None,
        Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?),
    };
    match los {
        None => Some(None),
        Some(d) => Some(Some(los_days(d)?)),
    }
}

/// The discharge status: a word or two-digit code, or a number 1-99 (`null` is no status,
/// which the value reading reports).
fn status(c: &mut Cursor<'_>) -> Option<DischargeStatus> {
    if c.null()? {
        return None;
    }
    if c.next_token()? == b'"' {
        return discharge_of(c.string()?);
    }
    status_number(c.number()?)
}

/// A `{"code", "poa"}` object: its code and its own indicator (`null` or absent: none).
fn sdx_object<'a>(c: &mut Cursor<'a>) -> Option<(&'a str, Option<&'a str>)> {
    c.eat(b'{')?;
    let (mut code, mut poa): (Option<&str>, Option<Option<&str>>) = (None, None);
    if c.next_token()? == b'}' {
        c.at += 1;
    } else {
        loop {
            match c.string()? {
                "code" if code.is_none() => {
                    c.eat(b':')?;
                    code = Some(c.string()?);
                }
                "poa" if poa.is_none() => {
                    c.eat(b':')?;
                    poa = Some(c.opt_string()?);
                }
                _ => return None,
            }
            if c.item_end(b'}')? {
                break;
            }
        }
    }
    Some((code?, poa.flatten()))
}

#[cfg(test)]
mod tests {
    use super::super::value_claim;
    use super::{Scratch, json_plain_len, scan_into};

    /// The word-at-a-time search finds what a byte-by-byte search finds, at every length and
    /// position, for every byte value (the flags of bytes after the first must not matter).
    #[test]
    fn plain_len_finds_the_first_byte_that_ends_a_plain_string() {
        let ends_plain = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        let mut next = xorshift(11);
        let interesting = [
            b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xa0, 0xff, b'A',
        ];
        for len in 0..40 {
            for _ in 0..400 {
                let mut bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        if next(4) == 0 {
                            interesting[next(interesting.len())]
                        } else {
                            u8::try_from(0x20 + next(0x5f)).unwrap_or(b'x')
                        }
                    })
                    .collect();
                if len > 0 && next(3) == 0 {
                    let at = next(len);
                    bytes[at] = u8::try_from(next(256)).unwrap_or(0);
                }
                let expected = bytes.iter().position(|&c| ends_plain(c)).unwrap_or(len);
                assert_eq!(json_plain_len(&bytes), expected, "{bytes:?}");
            }
        }
        for b in 0..=255u8 {
            let mut bytes = [b'a'; 20];
            bytes[9] = b;
            let expected = if ends_plain(b) { 9 } else { 20 };
            assert_eq!(json_plain_len(&bytes), expected, "byte {b:#04x}");
        }
    }

    /// A reproducible stream of numbers below a bound (xorshift64).
    fn xorshift(seed: u64) -> impl FnMut(usize) -> usize {
        let mut x = seed;
        move |bound| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            usize::try_from(x % bound.max(1) as u64).unwrap_or(0)
        }
    }

    const STRINGS: [&str; 16] = [
        r#""J18.9""#,
        r#"" j18.9 ""#,
        r#""A419""#,
        r#""""#,
        r#""  ""#,
        r#""\u0041""#,
        r#""a\"b""#,
        "\"\t\"",
        r#""é""#,
        r#""2026-05-01""#,
        r#""2026-13-01""#,
        r#""alive""#,
        r#""EXPIRED""#,
        r#""00""#,
        r#""07""#,
        r#""0SR9019""#,
    ];
    const WORDS: [&str; 10] = [
        r#""M""#, r#""f""#, r#"" u ""#, r#""X""#, r#""Y""#, r#""n""#, r#""1""#, r#""W""#, r#""""#,
        r#""yes""#,
    ];
    const NUMBERS: [&str; 16] = [
        "0",
        "1",
        "20",
        "75",
        "99",
        "100",
        "124",
        "125",
        "36500",
        "36501",
        "007",
        "1.0",
        "1e2",
        "-0",
        "-1",
        "18446744073709551616",
    ];
    const OTHER: [&str; 5] = ["null", "true", "[]", "{}", "nul"];

    fn pick<'a>(next: &mut impl FnMut(usize) -> usize, from: &[&'a str]) -> &'a str {
        from.get(next(from.len())).copied().unwrap_or("null")
    }

    fn scalar(next: &mut impl FnMut(usize) -> usize) -> String {
        match next(10) {
            0..=3 => pick(next, &STRINGS).to_string(),
            4..=5 => pick(next, &WORDS).to_string(),
            6..=8 => pick(next, &NUMBERS).to_string(),
            _ => pick(next, &OTHER).to_string(),
        }
    }

    /// The random choices of a line: in a clean line every value is one a claim takes, in
    /// another any value may be wrong or not JSON.
    struct Gen<F> {
        next: F,
        clean: bool,
        /// The secondary diagnoses of the line being made (a clean "poa" list has no more).
        sdx: usize,
    }

    impl<F: FnMut(usize) -> usize> Gen<F> {
        fn n(&mut self, bound: usize) -> usize {
            (self.next)(bound)
        }

        /// Whether to put something wrong here (one time in `odds`; never in a clean line).
        fn wrong(&mut self, odds: usize) -> bool {
            !self.clean && self.n(odds) == 0
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            pick(&mut self.next, from)
        }

        fn scalar(&mut self) -> String {
            scalar(&mut self.next)
        }

        fn code(&mut self, codes: &[&str]) -> String {
            if self.wrong(6) {
                self.scalar()
            } else {
                self.pick(codes).to_string()
            }
        }

        fn poa(&mut self) -> String {
            if self.wrong(3) {
                self.pick(&WORDS).to_string()
            } else {
                self.pick(&[r#""Y""#, r#""n""#, r#""1""#, r#""W""#, r#"" u ""#, r#""""#])
                    .to_string()
            }
        }

        fn list(&mut self, objects: bool) -> String {
            if self.wrong(12) {
                return self.scalar();
            }
            let n = if self.wrong(4) {
                [24, 25, 26][self.n(3)]
            } else {
                [0, 1, 2, 3, 5][self.n(5)]
            };
            let codes = [r#""I10""#, r#""E87.1""#, r#""L89.153""#, r#""0SR9019""#];
            if objects {
                self.sdx = n;
            }
            let items: Vec<String> = (0..n)
                .map(|_| {
                    if objects && self.n(3) == 0 {
                        let mut fields = Vec::new();
                        if !self.wrong(8) {
                            let code = self.code(&codes);
                            fields.push(format!("\"code\":{code}"));
                        }
                        match self.n(3) {
                            0 => {
                                let poa = self.poa();
                                fields.push(format!("\"poa\":{poa}"));
                            }
                            1 => fields.push("\"poa\":null".to_string()),
                            _ => {}
                        }
                        if self.wrong(10) {
                            fields.push(self.pick(&["\"x\":1", "\"code\":\"I10\""]).to_string());
                        }
                        if self.n(2) == 0 {
                            fields.reverse();
                        }
                        format!("{{{}}}", fields.join(","))
                    } else {
                        self.code(&codes)
                    }
                })
                .collect();
            let sep = [",", ", ", " ,\n"][self.n(3)];
            format!("[{}]", items.join(sep))
        }

        fn value(&mut self, key: &str) -> String {
            match key {
                "pdx" => self.code(&[r#""J18.9""#, r#""A41.9""#, r#"" i21.4""#, r#""I50.33""#]),
                "discharge_date" => self.code(&[r#""2026-05-01""#, r#""2025-10-01""#, "null"]),
                "sex" => self.code(&[r#""M""#, r#""f""#, r#"" u ""#]),
                "discharge" => {
                    self.code(&[r#""alive""#, r#""Expired""#, r#""03""#, "20", "1", "99"])
                }
                "age" => self.code(&["0", "75", "124", "null"]),
                "los" => self.code(&["0", "3", "36500", "null"]),
                "sdx" => self.list(true),
                "pcs" => self.list(false),
                "poa" => {
                    if self.n(10) == 0 {
                        return "null".to_string();
                    }
                    let n = if self.clean {
                        self.n(self.sdx + 1)
                    } else {
                        self.n(4)
                    };
                    let items: Vec<String> = (0..n).map(|_| self.poa()).collect();
                    format!("[{}]", items.join(","))
                }
                _ => "1".to_string(),
            }
        }

        /// A random claim line: valid JSON with valid values when clean; otherwise often a
        /// value or a piece of JSON a claim refuses, sometimes cut short or followed by more.
        fn line(&mut self) -> String {
            let mut fields = Vec::new();
            self.sdx = 0;
            for key in super::super::BATCH_FIELDS {
                let wanted = match key {
                    "pdx" | "sex" | "discharge" => !self.wrong(12),
                    _ => self.n(2) == 0,
                };
                if !wanted {
                    continue;
                }
                let value = self.value(key);
                let colon = [":", " : ", ":\t"][self.n(3)];
                fields.push(format!("\"{key}\"{colon}{value}"));
                if self.wrong(40) {
                    fields.push(format!("\"{key}\":{value}"));
                }
            }
            if self.wrong(30) {
                fields.push("\"extra\":1".to_string());
            }
            for i in (1..fields.len()).rev() {
                let j = self.n(i + 1);
                fields.swap(i, j);
            }
            let mut line = format!("{{{}}}", fields.join(","));
            if self.n(10) == 0 {
                line = format!(" \t{line} \r");
            }
            if self.wrong(4) {
                match self.n(3) {
                    0 => {
                        let mut at = self.n(line.len() + 1);
                        while !line.is_char_boundary(at) {
                            at -= 1;
                        }
                        line.truncate(at);
                    }
                    1 => line.push_str(" x"),
                    _ => line.push('}'),
                }
            }
            line
        }
    }

    /// Whatever the scan takes it reads as the value reading does (the same claim and length
    /// of stay), with the claim's strings used again from line to line; and it takes most
    /// well-formed lines.
    #[test]
    fn the_scan_reads_what_the_value_reading_reads() {
        let mut g = Gen {
            next: xorshift(0x2545_F491_4F6C_DD1D),
            clean: false,
            sdx: 0,
        };
        let mut scratch = Scratch::default();
        let (mut taken, mut valid) = (0, 0);
        for i in 0..40_000 {
            g.clean = i % 2 == 0;
            let line = g.line();
            let by_value = value_claim(line.as_bytes()).ok();
            valid += usize::from(by_value.is_some());
            let Some(los) = scan_into(line.as_bytes(), &mut scratch) else {
                // Every clean line is valid, and taken.
                assert!(!g.clean, "{line}");
                continue;
            };
            taken += 1;
            assert_eq!(Some((scratch.claim.clone(), los)), by_value, "{line}");
        }
        // Both kinds are well represented, and the scan takes nearly every valid line.
        assert!(valid > 20_000 && valid < 36_000, "{valid} valid lines");
        assert!(
            taken * 10 > valid * 9,
            "{taken} of {valid} valid lines taken"
        );
    }

    /// The lines `drg batch` is given in practice are all taken by the scan.
    #[test]
    fn the_scan_takes_the_common_lines() {
        let lines = [
            r#"{"pdx":"A41.9","sdx":["R65.20",{"code":"L89.153","poa":"N"}],"pcs":["0SR9019"],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#,
            r#"{"pdx":"J18.9","sdx":["E87.1","I10"],"poa":["N"],"sex":"m","discharge":20}"#,
            r#"{"pdx":"J18.9","sdx":null,"poa":null,"pcs":null,"age":null,"los":null,"discharge_date":null,"sex":"U","discharge":"03"}"#,
            r#"{"pdx":"J18.9","sdx":[{"code":"E87.1","poa":null}],"sex":"M","discharge":"expired"}"#,
            r#"{"age":75,"discharge":"alive","pcs":[],"pdx":"I11.0","sdx":["I50.33","I48.19","Z79.01","E78.5",{"code":"L89.153","poa":"N"}],"sex":"M"}"#,
            r#" { "pdx" : "I21.4" , "sdx" : [ "I10" ] , "sex" : "F" , "discharge" : "20" } "#,
        ];
        let mut scratch = Scratch::default();
        for line in lines {
            let los = scan_into(line.as_bytes(), &mut scratch);
            assert!(los.is_some(), "{line}");
            let by_value = value_claim(line.as_bytes()).ok();
            assert_eq!(
                los.map(|los| (scratch.claim.clone(), los)),
                by_value,
                "{line}"
            );
        }
    }
}
