//! Key encryption keys: the [`KeyProvider`] trait and [`LocalKms`], a provider whose key is
//! derived from a secret held in a file or an environment variable (Confluent's `local-kms`).

use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, OsRng};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

/// Why a key provider failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyProviderError {
    /// The secret is missing or too short.
    #[error("key provider `{name}`: {problem}")]
    Secret {
        /// The provider's name.
        name: String,
        /// What is wrong (never the secret itself).
        problem: String,
    },
    /// A wrapped data key does not open with this provider's key (another key encryption key,
    /// or the stored key was altered).
    #[error("key provider `{name}`: a wrapped data key does not open with its key encryption key")]
    Unwrap {
        /// The provider's name.
        name: String,
    },
}

/// Wraps and unwraps data keys with a key encryption key (KEK) that never leaves the provider:
/// a KMS in production, [`LocalKms`] for development and tests.
pub trait KeyProvider: Send + Sync {
    /// The KEK's name, stored beside every key it wrapped (Confluent's `kekName`).
    fn kek_name(&self) -> &str;
    /// `data_key` encrypted under the KEK.
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, KeyProviderError>;
    /// A data key wrapped by [`wrap`](Self::wrap).
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, KeyProviderError>;
}

/// The shortest secret [`LocalKms`] takes, in bytes.
pub const MIN_SECRET_BYTES: usize = 16;

/// A KEK derived from a secret with HKDF-SHA256 (32 bytes: AES-256-GCM), wrapping as
/// `nonce ‖ ciphertext ‖ tag`. Confluent's `local-kms` derives its key the same way (with 16
/// bytes: AES-128).
///
/// ```
/// use event_kafka::personal::{KeyProvider, LocalKms};
/// let kms = LocalKms::from_secret("dev", b"a secret of at least 16 bytes").unwrap();
/// let wrapped = kms.wrap(&[7; 32]).unwrap();
/// assert_eq!(kms.unwrap(&wrapped).unwrap(), [7; 32]);
/// assert!(LocalKms::from_secret("dev", b"short").is_err());
/// ```
pub struct LocalKms {
    name: String,
    key: Aes256Gcm,
}

impl LocalKms {
    /// The KEK named `name` derived from `secret` (at least [`MIN_SECRET_BYTES`]).
    pub fn from_secret(name: &str, secret: &[u8]) -> Result<Self, KeyProviderError> {
        let problem = |problem: String| KeyProviderError::Secret {
            name: name.to_owned(),
            problem,
        };
        if secret.len() < MIN_SECRET_BYTES {
            return Err(problem(format!(
                "the secret has {} bytes, at least {MIN_SECRET_BYTES} are needed",
                secret.len()
            )));
        }
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(None, secret)
            .expand(&[], &mut key)
            .map_err(|_| problem("cannot derive a 32-byte key".to_owned()))?;
        let key = Aes256Gcm::new(&key.into());
        Ok(LocalKms {
            name: name.to_owned(),
            key,
        })
    }

    /// The KEK derived from the contents of `path` (trailing newlines dropped).
    pub fn from_file(name: &str, path: &Path) -> Result<Self, KeyProviderError> {
        let secret = std::fs::read(path).map_err(|error| KeyProviderError::Secret {
            name: name.to_owned(),
            problem: format!("cannot read {}: {error}", path.display()),
        })?;
        let end = secret
            .iter()
            .rposition(|b| !matches!(b, b'\n' | b'\r'))
            .map_or(0, |i| i + 1);
        Self::from_secret(name, &secret[..end])
    }

    /// The KEK derived from the environment variable `variable`.
    pub fn from_env(name: &str, variable: &str) -> Result<Self, KeyProviderError> {
        let secret = std::env::var_os(variable).ok_or_else(|| KeyProviderError::Secret {
            name: name.to_owned(),
            problem: format!("the environment variable {variable} is not set"),
        })?;
        Self::from_secret(name, secret.as_encoded_bytes())
    }
}

impl std::fmt::Debug for LocalKms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalKms")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

const NONCE_BYTES: usize = 12;

impl KeyProvider for LocalKms {
    fn kek_name(&self) -> &str {
        &self.name
    }

    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, KeyProviderError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ciphertext =
            self.key
                .encrypt(&nonce, data_key)
                .map_err(|_| KeyProviderError::Secret {
                    name: self.name.clone(),
                    problem: "cannot wrap the data key".to_owned(),
                })?;
        let mut wrapped = nonce.to_vec();
        wrapped.extend_from_slice(&ciphertext);
        Ok(wrapped)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, KeyProviderError> {
        let refused = || KeyProviderError::Unwrap {
            name: self.name.clone(),
        };
        if wrapped.len() < NONCE_BYTES {
            return Err(refused());
        }
        let (nonce, ciphertext) = wrapped.split_at(NONCE_BYTES);
        self.key
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_secret_cannot_unwrap() {
        let one = LocalKms::from_secret("a", b"0123456789abcdef").unwrap();
        let two = LocalKms::from_secret("a", b"0123456789abcdeF").unwrap();
        let wrapped = one.wrap(b"data key").unwrap();
        assert!(matches!(
            two.unwrap(&wrapped),
            Err(KeyProviderError::Unwrap { .. })
        ));
        assert!(one.unwrap(&wrapped[..5]).is_err());
    }

    #[test]
    fn the_secret_file_may_end_with_a_newline_and_is_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kek");
        std::fs::write(&path, "0123456789abcdef\n").unwrap();
        let from_file = LocalKms::from_file("a", &path).unwrap();
        let direct = LocalKms::from_secret("a", b"0123456789abcdef").unwrap();
        assert_eq!(direct.unwrap(&from_file.wrap(b"k").unwrap()).unwrap(), b"k");
        assert!(!format!("{from_file:?}").contains("0123"));
        let missing = LocalKms::from_file("a", &dir.path().join("none")).unwrap_err();
        assert!(missing.to_string().contains("cannot read"));
    }
}
