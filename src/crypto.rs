//! RSA signatures (RSASSA-PKCS1-v1_5 with SHA-256, as HTTP signatures use them) with
//! aws-lc, whose RSA is constant-time: the `rsa` crate is open to the Marvin timing attack
//! (RUSTSEC-2023-0071) and has no fixed release. aws-lc is already built for rustls.

use aws_lc_rs::signature::{
    RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};

/// The DER bytes of a PEM document with `label` (`PRIVATE KEY`, `PUBLIC KEY`).
fn pem_to_der(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = pem.trim().strip_prefix(&begin)?.strip_suffix(&end)?;
    let base64: String = body.split_whitespace().collect();
    BASE64.decode(base64).ok()
}

/// An RSA private key that signs with aws-lc.
pub struct SigningKey(RsaKeyPair);

impl SigningKey {
    /// Parses a PKCS#8 PEM private key (slow: callers cache the result).
    pub fn from_pem(pem: &str) -> anyhow::Result<SigningKey> {
        let der = pem_to_der(pem, "PRIVATE KEY")
            .ok_or_else(|| anyhow::anyhow!("the private key is not PKCS#8 PEM"))?;
        RsaKeyPair::from_pkcs8(&der)
            .map(SigningKey)
            .map_err(|e| anyhow::anyhow!("invalid private key: {e}"))
    }

    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut signature = vec![0; self.0.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.0
            .sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
            .map_err(|_| anyhow::anyhow!("signing failed"))?;
        Ok(signature)
    }
}

/// Whether `signature` (RSASSA-PKCS1-v1_5, SHA-256) of `message` verifies with a PEM
/// public key (SubjectPublicKeyInfo, or PKCS#1 `RSA PUBLIC KEY`).
pub fn verify(public_key_pem: &str, message: &[u8], signature: &[u8]) -> bool {
    let Some(der) = pem_to_der(public_key_pem, "PUBLIC KEY")
        .or_else(|| pem_to_der(public_key_pem, "RSA PUBLIC KEY"))
    else {
        return false;
    };
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
        .verify(message, signature)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::{verify, SigningKey};

    #[test]
    fn signs_and_verifies_with_actor_keys() {
        let keypair =
            activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
        let key = SigningKey::from_pem(&keypair.private_key).expect("key");
        let signature = key
            .sign(b"(request-target): post /inbox")
            .expect("signature");
        assert!(verify(
            &keypair.public_key,
            b"(request-target): post /inbox",
            &signature
        ));
        assert!(!verify(
            &keypair.public_key,
            b"(request-target): post /other",
            &signature
        ));
        assert!(!verify("not a key", b"x", &signature));
        assert!(SigningKey::from_pem(
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
        )
        .is_err());
    }
}
