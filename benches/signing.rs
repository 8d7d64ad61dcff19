//! RSA-2048 signatures per second on one core, as HTTP signatures make them
//! (RSASSA-PKCS1-v1_5, SHA-256): the `rsa` crate munifed signed with before, and aws-lc
//! (`munifed::crypto`) that it signs with now. `cargo bench --bench signing`.

use std::time::Instant;

use munifed::crypto::{verify, SigningKey};
use rsa::{
    pkcs8::{DecodePrivateKey, DecodePublicKey},
    Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey,
};
use sha2::{Digest, Sha256};

fn per_second(rounds: u32, mut work: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        work();
    }
    f64::from(rounds) / start.elapsed().as_secs_f64()
}

fn main() -> anyhow::Result<()> {
    let keypair = activitypub_federation::http_signatures::generate_actor_keypair()?;
    let message = "(request-target): post /inbox\nhost: city.example\ndate: Tue, 24 Nov 2026 04:00:00 GMT\ndigest: SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    let rsa_private = RsaPrivateKey::from_pkcs8_pem(&keypair.private_key)?;
    let rsa_public = RsaPublicKey::from_public_key_pem(&keypair.public_key)?;
    let aws_private = SigningKey::from_pem(&keypair.private_key)?;
    let hashed = Sha256::digest(message.as_bytes());
    let signature = aws_private.sign(message.as_bytes())?;

    let rsa_sign = per_second(300, || {
        let _ = rsa_private.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed);
    });
    let aws_sign = per_second(1_000, || {
        let _ = aws_private.sign(message.as_bytes());
    });
    let rsa_verify = per_second(5_000, || {
        let _ = rsa_public.verify(Pkcs1v15Sign::new::<Sha256>(), &hashed, &signature);
    });
    let aws_verify = per_second(5_000, || {
        let _ = verify(&keypair.public_key, message.as_bytes(), &signature);
    });
    println!("RSA-2048, one core, signatures per second");
    println!(
        "  sign:   rsa crate {rsa_sign:>8.0}   aws-lc {aws_sign:>8.0}   ({:.1}x)",
        aws_sign / rsa_sign
    );
    println!(
        "  verify: rsa crate {rsa_verify:>8.0}   aws-lc {aws_verify:>8.0}   ({:.1}x)",
        aws_verify / rsa_verify
    );
    Ok(())
}
