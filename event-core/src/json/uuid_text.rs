//! The hyphenated text of a UUID (`8-4-4-4-12` hex digits), as uuid's `Serialize` writes it:
//! read and written in place, a byte's two digits at a time.

/// Where each of the 16 bytes' two digits are in the 36 characters: the groups without their
/// hyphens.
const PAIRS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/// Where the hyphens are.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// The id in `text` when it is the hyphenated form in hex digits of either case; `None` for
/// any other text (uuid's parser decides then).
#[inline]
pub(super) fn hyphenated_uuid(text: &[u8]) -> Option<uuid::Uuid> {
    const fn hex_values() -> [u8; 256] {
        let mut table = [0xff; 256];
        let mut digit = 0;
        while digit < 10 {
            table[b'0' as usize + digit] = digit as u8;
            digit += 1;
        }
        let mut letter = 0;
        while letter < 6 {
            table[b'a' as usize + letter] = 10 + letter as u8;
            table[b'A' as usize + letter] = 10 + letter as u8;
            letter += 1;
        }
        table
    }
    static HEX: [u8; 256] = hex_values();
    let text: &[u8; 36] = text.try_into().ok()?;
    if HYPHENS.iter().any(|&at| text[at] != b'-') {
        return None;
    }
    // Decoded without a branch: an invalid digit's 0xff shows in the high bits of `invalid`.
    let mut bytes = [0u8; 16];
    let mut invalid = 0u8;
    for (byte, at) in bytes.iter_mut().zip(PAIRS) {
        let high = HEX[usize::from(text[at])];
        let low = HEX[usize::from(text[at + 1])];
        invalid |= high | low;
        *byte = high << 4 | low;
    }
    (invalid & 0xf0 == 0).then(|| uuid::Uuid::from_bytes(bytes))
}

/// The lowercase hyphenated form of `id`, between quotes: 38 bytes.
#[inline]
pub(crate) fn quoted_hyphenated(id: &uuid::Uuid) -> [u8; 38] {
    const fn digit_pairs() -> [[u8; 2]; 256] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut table = [[0; 2]; 256];
        let mut byte = 0;
        while byte < 256 {
            table[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0xf]];
            byte += 1;
        }
        table
    }
    static DIGIT_PAIRS: [[u8; 2]; 256] = digit_pairs();
    let mut text = [b'-'; 38];
    text[0] = b'"';
    text[37] = b'"';
    let bytes = id.as_bytes();
    let mut index = 0;
    while index < 16 {
        let at = 1 + PAIRS[index];
        let pair = DIGIT_PAIRS[usize::from(bytes[index])];
        text[at] = pair[0];
        text[at + 1] = pair[1];
        index += 1;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_uuid_writes_and_read_back() {
        for id in [
            uuid::Uuid::nil(),
            uuid::Uuid::max(),
            uuid::Uuid::from_u128(0x0b9e_7a52_3c1d_4f8e_a6b2_9d4c_8e1f_7a30),
            uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
        ] {
            let text = quoted_hyphenated(&id);
            assert_eq!(text.as_slice(), serde_json::to_vec(&id).unwrap());
            assert_eq!(hyphenated_uuid(&text[1..37]), Some(id));
        }
    }

    #[test]
    fn only_the_hyphenated_form_is_read() {
        let id = b"0b9e7a52-3c1d-4f8e-a6b2-9d4c8e1f7a30";
        assert!(hyphenated_uuid(id).is_some());
        assert!(hyphenated_uuid(&id[..35]).is_none());
        for at in 0..36 {
            for byte in [b'g', b'G', b'-', b'"', b'\\', 0, 0xff] {
                let mut text = *id;
                if text[at] == byte {
                    continue;
                }
                text[at] = byte;
                let expected = std::str::from_utf8(&text)
                    .ok()
                    .and_then(|text| uuid::Uuid::try_parse(text).ok());
                assert_eq!(hyphenated_uuid(&text), expected, "{at} {byte}");
                assert!(expected.is_none(), "{at} {byte}");
            }
        }
    }
}
