//! The wire form of an encrypted field, Confluent's: `base64(0x00 ‖ key version (u32, big
//! endian) ‖ nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes))`, AES-256-GCM with no associated
//! data. The key version names one data key of the event's data subject.

use aes_gcm::aead::{Aead, AeadCore, OsRng};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The first byte of every encrypted value (Confluent's magic byte of a versioned data key).
pub const FORMAT_MAGIC: u8 = 0;
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
const HEADER_BYTES: usize = 1 + 4;

/// Why an encrypted value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Not base64.
    #[error("not base64")]
    NotBase64,
    /// Too short, or another format than `0x00 ‖ version ‖ nonce ‖ ciphertext ‖ tag`.
    #[error("not an encrypted value (format 0: magic byte, key version, nonce, ciphertext, tag)")]
    NotEncrypted,
}

/// `plaintext` encrypted under `key` (version `version`), in the wire form.
pub(crate) fn seal(key: &Aes256Gcm, version: u32, plaintext: &[u8]) -> String {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    // Encryption into a Vec fails only for plaintexts beyond GCM's 64 GiB limit, far above any
    // message Kafka takes.
    let ciphertext = key.encrypt(&nonce, plaintext).unwrap_or_default();
    let mut bytes = Vec::with_capacity(HEADER_BYTES + NONCE_BYTES + ciphertext.len());
    bytes.push(FORMAT_MAGIC);
    bytes.extend_from_slice(&version.to_be_bytes());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&ciphertext);
    STANDARD.encode(bytes)
}

/// An encrypted value read from its wire form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Encrypted {
    /// The data key's version.
    pub version: u32,
    bytes: Vec<u8>,
}

impl Encrypted {
    /// Reads `wire`; does not decrypt.
    pub fn parse(wire: &str) -> Result<Self, FormatError> {
        let bytes = STANDARD.decode(wire).map_err(|_| FormatError::NotBase64)?;
        if bytes.len() < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || bytes[0] != FORMAT_MAGIC {
            return Err(FormatError::NotEncrypted);
        }
        let version = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        Ok(Encrypted { version, bytes })
    }

    /// The plaintext, or `None` when the tag does not match (another key, or tampered with).
    pub fn open(&self, key: &Aes256Gcm) -> Option<Vec<u8>> {
        let (nonce, ciphertext) = self.bytes[HEADER_BYTES..].split_at(NONCE_BYTES);
        key.decrypt(Nonce::from_slice(nonce), ciphertext).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::KeyInit;

    #[test]
    fn a_sealed_value_opens_with_its_key_only_and_not_after_a_flipped_byte() {
        let key = Aes256Gcm::new(&Aes256Gcm::generate_key(&mut OsRng));
        let other = Aes256Gcm::new(&Aes256Gcm::generate_key(&mut OsRng));
        let wire = seal(&key, 7, "Ada".as_bytes());
        let parsed = Encrypted::parse(&wire).unwrap();
        assert_eq!(parsed.version, 7);
        assert_eq!(parsed.open(&key).as_deref(), Some("Ada".as_bytes()));
        assert_eq!(parsed.open(&other), None);
        let mut bytes = STANDARD.decode(&wire).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = Encrypted::parse(&STANDARD.encode(bytes)).unwrap();
        assert_eq!(tampered.open(&key), None);
    }

    #[test]
    fn clear_text_and_short_values_are_not_encrypted_values() {
        assert_eq!(
            Encrypted::parse("Ada Lovelace"),
            Err(FormatError::NotBase64)
        );
        assert_eq!(Encrypted::parse("AAAA"), Err(FormatError::NotEncrypted));
    }
}
