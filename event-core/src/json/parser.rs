//! The reader's tokenizer: the JSON grammar serde_json accepts, over a byte slice. Anything
//! it does not take on (an escaped key, an unknown member, a number with a fraction where an
//! integer is expected, nesting deeper than [`MAX_DEPTH`] …) stops it with [`Bail`], and the
//! caller leaves the whole input to serde_json, which decides: a value or its error.

use std::borrow::Cow;

use super::plain::plain_run;

/// The fast reader stopped: serde_json reads the input instead. Carries nothing on purpose;
/// the error a user sees is always serde_json's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

/// Nesting the reader follows before it bails; serde_json refuses at 128, so whatever the
/// reader accepts serde_json accepts too.
pub const MAX_DEPTH: u32 = 100;

/// `text` begins with `prefix` (never when it is shorter): a name of up to 16 bytes is
/// compared as two overlapping words, not byte by byte.
#[inline]
fn starts_with(text: &[u8], prefix: &[u8]) -> bool {
    let len = prefix.len();
    let Some(text) = text.get(..len) else {
        return false;
    };
    let word = |bytes: &[u8], at: usize| -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let half = |bytes: &[u8], at: usize| -> u32 {
        let mut half = [0u8; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(half)
    };
    match len {
        8..=16 => word(text, 0) == word(prefix, 0) && word(text, len - 8) == word(prefix, len - 8),
        4..=7 => half(text, 0) == half(prefix, 0) && half(text, len - 4) == half(prefix, len - 4),
        // The first, middle and last bytes are all of them.
        1..=3 => {
            text[0] == prefix[0]
                && text[len / 2] == prefix[len / 2]
                && text[len - 1] == prefix[len - 1]
        }
        _ => text == prefix,
    }
}

/// A position in the input being read.
#[derive(Debug)]
pub struct Parser<'a> {
    bytes: &'a [u8],
    /// The input as text when it is known to be UTF-8 ([`Parser::from_text`]): a string is
    /// then a slice of it, not checked again.
    text: Option<&'a str>,
    at: usize,
    depth: u32,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `bytes`, which need not be UTF-8: each string read as text
    /// is checked on its own (for a reader of a few members, such as
    /// [`event_type_of`](crate::codec::event_type_of)).
    pub fn new(bytes: &'a [u8]) -> Self {
        Parser {
            bytes,
            text: None,
            at: 0,
            depth: 0,
        }
    }

    /// A parser at the start of `text`: its strings are slices of it, with no UTF-8 check of
    /// their own (one check of the whole input is cheaper than one per string).
    pub fn from_text(text: &'a str) -> Self {
        Parser {
            bytes: text.as_bytes(),
            text: Some(text),
            at: 0,
            depth: 0,
        }
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        // Every byte above the space is something else: one comparison for the compact JSON
        // writers write.
        while let Some(&byte) = self.bytes.get(self.at) {
            if byte > b' ' || !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Result<(), Bail> {
        // The byte right here, as compact JSON has it, before any whitespace is looked for.
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            return Ok(());
        }
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    #[inline]
    fn literal(&mut self, text: &[u8]) -> Result<(), Bail> {
        self.skip_whitespace();
        if self.bytes[self.at.min(self.bytes.len())..].starts_with(text) {
            self.at += text.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Only whitespace is left.
    pub fn finish(&mut self) -> Result<(), Bail> {
        self.skip_whitespace();
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn enter(&mut self) -> Result<(), Bail> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Bail)
        } else {
            Ok(())
        }
    }

    /// `open`; `false` when the container is empty (its `close` consumed too).
    #[inline]
    fn begin(&mut self, open: u8, close: u8) -> Result<bool, Bail> {
        self.eat(open)?;
        self.enter()?;
        if self.peek() == Some(close) {
            self.at += 1;
            self.depth -= 1;
            Ok(false)
        } else {
            Ok(true)
        }
    }

    /// After a member or item: `true` at `,`, `false` at `close`.
    #[inline]
    fn next(&mut self, close: u8) -> Result<bool, Bail> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(Bail),
        }
    }

    /// `{`; `false` when the object is empty (its `}` consumed too).
    #[inline]
    pub fn begin_object(&mut self) -> Result<bool, Bail> {
        self.begin(b'{', b'}')
    }

    /// A member's key, as written (a key with an escape bails), and its `:`.
    #[inline]
    pub fn key(&mut self) -> Result<&'a [u8], Bail> {
        let key = self.plain_string()?;
        self.eat(b':')?;
        Ok(key)
    }

    /// Which of `names` the next member's key is, its `:` consumed: the index of the name
    /// written there, trying `names[*next]` first and then the names after it (a writer writes
    /// members in declaration order, some left out), and setting `*next` past the one found.
    /// Each name is compared with the input as it stands, so a key with an escape, or not
    /// among `names`, bails. A name holding `"`, `\` or a control character is never written
    /// so: the caller must not accept its index (the derives give it no arm).
    #[inline]
    pub fn member(&mut self, names: &[&[u8]], next: &mut usize) -> Result<usize, Bail> {
        // The usual case, small enough to be compiled into each reader: the next name in
        // declaration order right here, as compact JSON has it.
        if let (Some(name), Some(b'"')) = (names.get(*next), self.bytes.get(self.at)) {
            let rest = &self.bytes[self.at + 1..];
            if rest.get(name.len()) == Some(&b'"')
                && rest.get(name.len() + 1) == Some(&b':')
                && starts_with(rest, name)
            {
                self.at += name.len() + 3;
                *next += 1;
                return Ok(*next - 1);
            }
        }
        self.member_anywhere(names, next)
    }

    /// [`member`](Self::member) for any other case: whitespace, a name out of order, or none.
    #[inline(never)]
    fn member_anywhere(&mut self, names: &[&[u8]], next: &mut usize) -> Result<usize, Bail> {
        self.eat(b'"')?;
        let rest = &self.bytes[self.at..];
        let mut index = *next;
        for _ in 0..names.len() {
            if index >= names.len() {
                index = 0;
            }
            let name = names[index];
            if rest.get(name.len()) == Some(&b'"') && starts_with(rest, name) {
                self.at += name.len() + 1;
                self.eat(b':')?;
                *next = index + 1;
                return Ok(index);
            }
            index += 1;
        }
        Err(Bail)
    }

    /// The `:` between a map's key and its value.
    #[inline]
    pub fn colon(&mut self) -> Result<(), Bail> {
        self.eat(b':')
    }

    /// After a member: `true` at `,` (another member follows), `false` at `}`.
    #[inline]
    pub fn next_member(&mut self) -> Result<bool, Bail> {
        self.next(b'}')
    }

    /// `[`; `false` when the array is empty (its `]` consumed too).
    #[inline]
    pub fn begin_array(&mut self) -> Result<bool, Bail> {
        self.begin(b'[', b']')
    }

    /// After an item: `true` at `,`, `false` at `]`.
    #[inline]
    pub fn next_item(&mut self) -> Result<bool, Bail> {
        self.next(b']')
    }

    /// `null`.
    #[inline]
    pub fn null(&mut self) -> Result<(), Bail> {
        self.literal(b"null")
    }

    /// `true` or `false`.
    #[inline]
    pub fn boolean(&mut self) -> Result<bool, Bail> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(Bail),
        }
    }

    /// The digits of an integer without sign: no leading zero, no fraction or exponent after
    /// it (serde_json reads those as floats, which integer types refuse).
    #[inline]
    fn magnitude(&mut self) -> Result<u64, Bail> {
        let mut value: u64 = match self.bytes.get(self.at) {
            Some(b'0') => {
                self.at += 1;
                0
            }
            Some(&digit @ b'1'..=b'9') => {
                self.at += 1;
                u64::from(digit - b'0')
            }
            _ => return Err(Bail),
        };
        if value > 0 {
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.at) {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(digit - b'0')))
                    .ok_or(Bail)?;
                self.at += 1;
            }
        }
        match self.bytes.get(self.at) {
            Some(b'0'..=b'9' | b'.' | b'e' | b'E') => Err(Bail),
            _ => Ok(value),
        }
    }

    /// A non-negative integer.
    #[inline]
    pub fn unsigned(&mut self) -> Result<u64, Bail> {
        self.skip_whitespace();
        self.magnitude()
    }

    /// An integer.
    #[inline]
    pub fn signed(&mut self) -> Result<i64, Bail> {
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
            // serde_json reads `-0` as the float -0.0, which integer types refuse.
            let magnitude = Some(self.magnitude()?).filter(|m| *m > 0).ok_or(Bail)?;
            0i64.checked_sub_unsigned(magnitude).ok_or(Bail)
        } else {
            i64::try_from(self.magnitude()?).map_err(|_| Bail)
        }
    }

    /// A number as serde_json reads it into an `f64`, when its digits and exponent make that
    /// one exact operation: a significand below 2⁵³ and a power of ten up to 10²², whose
    /// quotient or product IEEE 754 rounds once, correctly. serde_json's two float parsers
    /// (with or without its `float_roundtrip` feature, which another crate of the build may
    /// turn on) both give that value; any other number bails.
    pub fn float(&mut self) -> Result<f64, Bail> {
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        self.skip_whitespace();
        let positive = if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
            false
        } else {
            true
        };
        let mut significand: u64 = 0;
        let mut exponent: i32 = 0;
        let mut digits = |parser: &mut Self, scale: i32| -> Result<usize, Bail> {
            let from = parser.at;
            while let Some(&digit @ b'0'..=b'9') = parser.bytes.get(parser.at) {
                significand = significand * 10 + u64::from(digit - b'0');
                if significand >= 1 << 53 {
                    return Err(Bail);
                }
                exponent += scale;
                parser.at += 1;
            }
            Ok(parser.at - from)
        };
        let integer_digits = digits(self, 0)?;
        if integer_digits == 0
            || (integer_digits > 1 && self.bytes[self.at - integer_digits] == b'0')
        {
            return Err(Bail);
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self, -1)? == 0 {
                return Err(Bail);
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            let sign = match self.bytes.get(self.at) {
                Some(b'-') => {
                    self.at += 1;
                    -1
                }
                Some(b'+') => {
                    self.at += 1;
                    1
                }
                _ => 1,
            };
            let mut written: i32 = 0;
            let from = self.at;
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.at) {
                written = written
                    .saturating_mul(10)
                    .saturating_add(i32::from(digit - b'0'));
                self.at += 1;
            }
            if self.at == from {
                return Err(Bail);
            }
            exponent = exponent.saturating_add(sign * written);
        }
        let power = *POW10.get(exponent.unsigned_abs() as usize).ok_or(Bail)?;
        // Exact: below 2⁵³.
        let value = significand as f64;
        let value = if exponent >= 0 {
            value * power
        } else {
            value / power
        };
        if value.is_infinite() {
            return Err(Bail);
        }
        Ok(if positive { value } else { -value })
    }

    /// A number as serde_json reads it into an `f32`: [`float`](Self::float), then rounded to
    /// single precision, which is the single rounding serde_json's `float_roundtrip` parser
    /// makes unless the double lies exactly halfway between two floats (or outside the normal
    /// range): those bail.
    pub fn float32(&mut self) -> Result<f32, Bail> {
        let value = self.float()?;
        if value == 0.0 {
            return Ok(value as f32);
        }
        let magnitude = value.abs();
        let normal = f64::from(f32::MIN_POSITIVE)..=f64::from(f32::MAX);
        // The 29 bits single precision drops: exactly a half is a tie the two parsers may
        // break differently.
        let dropped = magnitude.to_bits() & ((1 << 29) - 1);
        if !normal.contains(&magnitude) || dropped == 1 << 28 {
            return Err(Bail);
        }
        Ok(value as f32)
    }

    /// A string without escapes, as its bytes (not checked to be UTF-8: callers compare it
    /// with names or parse it as ASCII).
    #[inline]
    pub fn plain_string(&mut self) -> Result<&'a [u8], Bail> {
        self.eat(b'"')?;
        let start = self.at;
        let end = plain_run(self.bytes, start);
        if self.bytes.get(end) != Some(&b'"') {
            return Err(Bail);
        }
        self.at = end + 1;
        Ok(&self.bytes[start..end])
    }

    /// A string whose plain form `accept` reads (from its bytes, when it has no escape and
    /// `accept` returns a value), else `fallback` on the whole string, unescaped and checked to
    /// be UTF-8: for ids and timestamps, whose usual form is ASCII a byte check validates.
    #[inline]
    pub fn string_with<T>(
        &mut self,
        accept: impl FnOnce(&[u8]) -> Option<T>,
        fallback: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, Bail> {
        let mark = self.at;
        if let Ok(bytes) = self.plain_string() {
            if let Some(value) = accept(bytes) {
                return Ok(value);
            }
        }
        self.at = mark;
        fallback(&self.string()?).ok_or(Bail)
    }

    /// [`string_with`](Self::string_with) for a text whose usual form is `LEN` bytes (a
    /// hyphenated UUID): when a `"` follows the `LEN` bytes after the opening one, `accept`
    /// reads them in place, without the string being scanned for its end first. `accept` must
    /// refuse any bytes holding `"`, `\` or a control character (a digit-and-separator check
    /// does); whatever it refuses is read as [`string_with`](Self::string_with) reads it.
    #[inline]
    pub fn sized_string_with<const LEN: usize, T>(
        &mut self,
        accept: impl Fn(&[u8]) -> Option<T>,
        fallback: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, Bail> {
        let mark = self.at;
        self.eat(b'"')?;
        let start = self.at;
        if self.bytes.get(start + LEN) == Some(&b'"') {
            if let Some(value) = accept(&self.bytes[start..start + LEN]) {
                self.at = start + LEN + 1;
                return Ok(value);
            }
        }
        self.at = mark;
        self.string_with(accept, fallback)
    }

    /// A string: borrowed when it has no escape, else unescaped.
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>, Bail> {
        self.eat(b'"')?;
        let start = self.at;
        let end = plain_run(self.bytes, start);
        match self.bytes.get(end) {
            Some(b'"') => {
                // `"` is ASCII, so `start..end` lies on character boundaries of the text.
                let text = match self.text {
                    Some(text) => text.get(start..end).ok_or(Bail)?,
                    None => std::str::from_utf8(&self.bytes[start..end]).map_err(|_| Bail)?,
                };
                self.at = end + 1;
                Ok(Cow::Borrowed(text))
            }
            Some(b'\\') => {
                self.at = end;
                self.escaped_string(start).map(Cow::Owned)
            }
            _ => Err(Bail),
        }
    }

    /// `true`, and the parser past it, when the next value is the string `expected` as it
    /// is written: `"`, its bytes, `"`. Else `false`, and only whitespace read. `expected`
    /// must need no escape (no `"`, `\` or control character), so its bytes are no other
    /// text's: a name, a version. Crate-private for that reason: its callers pass the
    /// envelope's constants, which the naming and version rules keep plain.
    #[inline]
    pub(crate) fn string_is(&mut self, expected: &[u8]) -> bool {
        debug_assert_eq!(plain_run(expected, 0), expected.len(), "needs no escape");
        if self.peek() != Some(b'"') {
            return false;
        }
        let rest = &self.bytes[self.at + 1..];
        if rest.get(expected.len()) == Some(&b'"') && starts_with(rest, expected) {
            self.at += expected.len() + 2;
            true
        } else {
            false
        }
    }

    /// The rest of a string from `start`, the parser at its first backslash.
    fn escaped_string(&mut self, start: usize) -> Result<String, Bail> {
        let mut text = self.bytes[start..self.at].to_vec();
        while let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(text).map_err(|_| Bail),
                b'\\' => {
                    let escape = *self.bytes.get(self.at).ok_or(Bail)?;
                    self.at += 1;
                    match escape {
                        b'"' | b'\\' | b'/' => text.push(escape),
                        b'b' => text.push(0x08),
                        b'f' => text.push(0x0c),
                        b'n' => text.push(b'\n'),
                        b'r' => text.push(b'\r'),
                        b't' => text.push(b'\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            let code = match unit {
                                0xD800..=0xDBFF => {
                                    self.literal_raw(b"\\u")?;
                                    let low = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return Err(Bail);
                                    }
                                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                                }
                                0xDC00..=0xDFFF => return Err(Bail),
                                _ => unit,
                            };
                            let c = char::from_u32(code).ok_or(Bail)?;
                            text.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        _ => return Err(Bail),
                    }
                }
                byte if byte < 0x20 => return Err(Bail),
                byte => text.push(byte),
            }
        }
        Err(Bail)
    }

    fn literal_raw(&mut self, text: &[u8]) -> Result<(), Bail> {
        if self.bytes[self.at.min(self.bytes.len())..].starts_with(text) {
            self.at += text.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn hex4(&mut self) -> Result<u32, Bail> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(Bail)?;
        let mut value = 0;
        for &digit in digits {
            let nibble = (digit as char).to_digit(16).ok_or(Bail)?;
            value = value * 16 + nibble;
        }
        self.at += 4;
        Ok(value)
    }

    /// Passes over one value and returns its text, for serde_json to read: strings are
    /// followed to their closing quote, brackets counted; what the value's text really holds
    /// serde_json checks when it reads it. Bails when the value's nesting on top of the
    /// parser's would pass [`MAX_DEPTH`].
    pub fn skip_value(&mut self) -> Result<&'a [u8], Bail> {
        self.skip_whitespace();
        let start = self.at;
        let mut depth = 0u32;
        loop {
            let byte = *self.bytes.get(self.at).ok_or(Bail)?;
            match byte {
                b'"' => {
                    self.at += 1;
                    loop {
                        match *self.bytes.get(self.at).ok_or(Bail)? {
                            b'"' => break,
                            b'\\' => self.at += 2,
                            _ => self.at += 1,
                        }
                    }
                    self.at += 1;
                }
                b'{' | b'[' => {
                    depth += 1;
                    if self.depth + depth > MAX_DEPTH {
                        return Err(Bail);
                    }
                    self.at += 1;
                }
                b'}' | b']' => {
                    if depth == 0 {
                        // The end of the enclosing container: the value was a bare token.
                        break;
                    }
                    depth -= 1;
                    self.at += 1;
                }
                b',' if depth == 0 => break,
                _ => self.at += 1,
            }
            if depth == 0 && matches!(byte, b'"' | b'}' | b']') {
                break;
            }
        }
        if self.at == start {
            return Err(Bail);
        }
        Ok(&self.bytes[start..self.at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&[u8]] = &[b"id", b"data", b"correlation_id", b"a_name_longer_than_16"];

    /// The indexes `member` reads from `text`'s object, then what stopped it.
    fn members(text: &str) -> (Vec<usize>, Result<(), Bail>) {
        let mut parser = Parser::from_text(text);
        let mut found = Vec::new();
        let mut next = 0;
        let result = (|| {
            if parser.begin_object()? {
                loop {
                    found.push(parser.member(NAMES, &mut next)?);
                    parser.unsigned()?;
                    if !parser.next_member()? {
                        break;
                    }
                }
            }
            parser.finish()
        })();
        (found, result)
    }

    #[test]
    fn members_are_found_in_any_order_by_their_whole_name() {
        let written = r#"{"id":1,"data":2,"correlation_id":3,"a_name_longer_than_16":4}"#;
        assert_eq!(members(written), (vec![0, 1, 2, 3], Ok(())));
        // Some left out, the rest in another order, whitespace around the colon.
        let shuffled = r#"{ "a_name_longer_than_16" : 4 , "data":2,"id" :1}"#;
        assert_eq!(members(shuffled), (vec![3, 1, 0], Ok(())));
        // A name that only begins or ends like one of them is none of them.
        for other in [
            "dat",
            "database",
            "ata",
            "i",
            "idd",
            "correlation_i",
            "xorrelation_id",
        ] {
            let text = format!(r#"{{"{other}":1}}"#);
            assert_eq!(members(&text), (vec![], Err(Bail)), "{other}");
        }
        // An escaped key bails, even when it reads as a name (serde_json reads it then).
        assert_eq!(members(r#"{"\u0069d":1}"#), (vec![], Err(Bail)));
        assert_eq!(members(r#"{"da\"ta":1}"#), (vec![], Err(Bail)));
        // No colon, an unterminated key.
        assert_eq!(members(r#"{"id" 1}"#), (vec![], Err(Bail)));
        assert_eq!(members(r#"{"id"#), (vec![], Err(Bail)));
    }

    #[test]
    fn names_are_compared_whole_at_every_length() {
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len in 0..=24 {
            let prefix = &text[..len];
            assert!(starts_with(&text, prefix), "{len}");
            assert!(!starts_with(&text[..len.saturating_sub(1)], prefix) || len == 0);
            for at in 0..len {
                let mut other = prefix.to_vec();
                other[at] ^= 0x20;
                assert!(!starts_with(&text, &other), "{len} {at}");
            }
        }
    }

    #[test]
    fn a_string_is_the_expected_one_only_as_written_and_whole() {
        let is = |text: &str, expected: &str| {
            let mut parser = Parser::from_text(text);
            let found = parser.string_is(expected.as_bytes());
            (found, parser.at)
        };
        assert_eq!(
            is(r#""combat.session.start","#, "combat.session.start"),
            (true, 22)
        );
        assert_eq!(is(" \n\"1.0.0\"", "1.0.0"), (true, 9));
        assert_eq!(is(r#""""#, ""), (true, 2));
        // Longer, shorter, another text: not it, and nothing but whitespace read.
        for other in [
            r#""1.0.00""#,
            r#""1.0.""#,
            r#""1.1.0""#,
            r#" "1.0.0"#,
            "1",
            "",
            "null",
        ] {
            let (found, at) = is(other, "1.0.0");
            assert!(!found, "{other}");
            assert_eq!(at, other.len() - other.trim_start().len(), "{other}");
        }
        // The same text escaped is left to the string reader.
        assert!(!is(r#""1\u002e0.0""#, "1.0.0").0);
        let mut parser = Parser::from_text(r#""1\u002e0.0""#);
        assert!(!parser.string_is(b"1.0.0"));
        assert_eq!(parser.string().unwrap(), "1.0.0");
    }

    #[test]
    fn strings_of_checked_text_and_of_bytes_agree() {
        let text = r#"["plain","caf\u00e9","né"]"#;
        for mut parser in [Parser::new(text.as_bytes()), Parser::from_text(text)] {
            assert!(parser.begin_array().unwrap());
            assert_eq!(parser.string().unwrap(), "plain");
            assert!(parser.next_item().unwrap());
            assert_eq!(parser.string().unwrap(), "café");
            assert!(parser.next_item().unwrap());
            assert_eq!(parser.string().unwrap(), "né");
            assert!(!parser.next_item().unwrap());
        }
        // Bytes that are not UTF-8 are refused in a string read from bytes.
        assert_eq!(Parser::new(b"\"\xff\"").string(), Err(Bail));
    }

    #[test]
    fn integers_follow_serde_json() {
        assert_eq!(Parser::new(b" 0").unsigned(), Ok(0));
        assert_eq!(
            Parser::new(b"18446744073709551615").unsigned(),
            Ok(u64::MAX)
        );
        assert_eq!(Parser::new(b"18446744073709551616").unsigned(), Err(Bail));
        assert_eq!(Parser::new(b"01").unsigned(), Err(Bail));
        assert_eq!(Parser::new(b"1.0").unsigned(), Err(Bail));
        assert_eq!(Parser::new(b"1e2").unsigned(), Err(Bail));
        assert_eq!(Parser::new(b"-9223372036854775808").signed(), Ok(i64::MIN));
        assert_eq!(Parser::new(b"9223372036854775808").signed(), Err(Bail));
        assert_eq!(Parser::new(b"-").signed(), Err(Bail));
        assert_eq!(Parser::new(b"-0").signed(), Err(Bail));
    }

    #[test]
    fn floats_read_as_serde_json_reads_them() {
        for text in [
            "0",
            "-0",
            "1",
            "112.5",
            "-48.0",
            "0.6",
            "3.25",
            "1e5",
            "1.5E-3",
            "123456789.125",
            "9007199254740991",
            "1e22",
            "0.0000001",
            "-12e+2",
            "340282346638528859811704183484516925440",
            "1e23",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "1.5e-45",
            "16777217",
            "0.1e1",
        ] {
            let oracle = serde_json::from_str::<f64>(text).ok();
            let ours = Parser::new(text.as_bytes()).float().ok();
            if ours.is_some() {
                assert_eq!(ours.map(f64::to_bits), oracle.map(f64::to_bits), "{text}");
            }
            let oracle = serde_json::from_str::<f32>(text).ok();
            let ours = Parser::new(text.as_bytes()).float32().ok();
            if ours.is_some() {
                assert_eq!(ours.map(f32::to_bits), oracle.map(f32::to_bits), "{text}");
            }
        }
        assert_eq!(Parser::new(b"112.5").float(), Ok(112.5));
        assert_eq!(Parser::new(b"0.6").float32(), Ok(0.6));
        // 16777217 = 2²⁴ + 1 lies halfway between two floats.
        assert_eq!(Parser::new(b"16777217").float32(), Err(Bail));
        assert_eq!(Parser::new(b"1e23").float(), Err(Bail));
    }

    #[test]
    fn runs_stop_at_the_first_quote_backslash_or_control_character() {
        for text in [
            &b"abcdefghij\"k"[..],
            b"abcdefg\\hij",
            b"\x1f",
            b"0123456789abcdef\x7f\xc3\xa9\"",
            b"no stop at all, fifteen+",
            b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8 \x00",
            b"!!!!!!!!\"",
        ] {
            let expected = text
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(text.len());
            for from in 0..text.len().min(3) {
                assert_eq!(
                    plain_run(text, from),
                    expected.max(from),
                    "{text:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn strings_unescape_as_serde_json() {
        let text = br#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z""#;
        let ours = Parser::new(text).string().unwrap();
        assert_eq!(ours, serde_json::from_slice::<String>(text).unwrap());
        assert_eq!(Parser::new(br#""\ud83d""#).string(), Err(Bail));
        assert_eq!(Parser::new(b"\"\x01\"").string(), Err(Bail));
        assert_eq!(Parser::new(b"\"\xff\"").string(), Err(Bail));
        assert_eq!(Parser::new(br#""unterminated"#).string(), Err(Bail));
    }

    #[test]
    fn values_are_skipped_to_their_end() {
        let mut parser = Parser::new(br#"{"a": [1, "]\"", {"b": null}], "c": 2}"#);
        assert!(parser.begin_object().unwrap());
        assert_eq!(parser.key().unwrap(), b"a");
        assert_eq!(parser.skip_value().unwrap(), br#"[1, "]\"", {"b": null}]"#);
        assert!(parser.next_member().unwrap());
        assert_eq!(parser.key().unwrap(), b"c");
        assert_eq!(parser.skip_value().unwrap(), b"2");
        assert!(!parser.next_member().unwrap());
        assert_eq!(parser.finish(), Ok(()));
    }

    #[test]
    fn nesting_past_the_limit_bails() {
        let deep = "[".repeat(MAX_DEPTH as usize + 1);
        assert_eq!(Parser::new(deep.as_bytes()).skip_value(), Err(Bail));
    }
}
