//! The plain run of a JSON string: the bytes it holds as they are, up to the first that
//! must be escaped (`"`, `\` or a control character). The reader scans strings with it and
//! the writer copies what needs no escape with it.

/// `"`, `\` and the control characters end the plain run of a string.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Where the plain run of a string starting at `from` ends: the index of its first `"`, `\`
/// or control character, or `bytes.len()`. Eight bytes at a time.
#[inline]
pub(crate) fn plain_run(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` that is zero (exact for the lowest such byte, which is
    // the one used).
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let quotes = zero_bytes(word ^ (ONES * u64::from(b'"')));
        let backslashes = zero_bytes(word ^ (ONES * u64::from(b'\\')));
        // Bytes below 0x20 borrow into their high bit when 0x20 is taken from each.
        let controls = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let stops = quotes | backslashes | controls;
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if STRING_STOP[usize::from(byte)] {
            break;
        }
        at += 1;
    }
    at
}
