// SPDX-License-Identifier: GPL-2.0 OR MIT

//! `sifive-i2c-sign`: the signing half of scripts/release, offline and key-based.
//!
//! Key files, blob signatures and attestations are in the formats cosign writes, made through
//! the Sigstore project's Rust client (the `sigstore` crate's key interface):
//!
//! - `generate-key-pair PREFIX`: PREFIX.key (an "ENCRYPTED SIGSTORE PRIVATE KEY", scrypt and
//!   NaCl secretbox, password from `COSIGN_PASSWORD` as cosign reads it) and PREFIX.pub (a
//!   PKIX "PUBLIC KEY" PEM), ECDSA P-256.
//! - `sign-blob --key KEY FILE...`: FILE.sig for each file, the base64 DER ECDSA signature
//!   over the SHA-256 of the file, as `cosign sign-blob --output-signature` writes it.
//! - `verify-blob --key PUB --signature SIG FILE`: exit 0 only if SIG is a signature of FILE
//!   by the key.
//! - `attest --key KEY --statement FILE --output ENVELOPE`: a DSSE envelope of the in-toto
//!   statement in FILE (payload type `application/vnd.in-toto+json`), signed over DSSE's
//!   pre-authentication encoding, as `cosign attest-blob` writes it.
//! - `verify-attestation --key PUB ENVELOPE`: checks the envelope's signature and prints the
//!   statement it carries.
//! - `public-key --key KEY`: the public key PEM of a private key file.
//! - `key-id PUB`: `sha256:` and the hex SHA-256 of the key's DER SubjectPublicKeyInfo.
//!
//! Exit status: 0 success, 1 verification failure or bad input, 2 usage.

use std::env;
use std::fs;
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::json;
use serde_json::Value;
use sha2::Digest as _;
use sha2::Sha256;
use sigstore::crypto::signing_key::SigStoreKeyPair;
use sigstore::crypto::CosignVerificationKey;
use sigstore::crypto::SigStoreSigner;
use sigstore::crypto::Signature;
use sigstore::crypto::SigningScheme;

/// The payload type of an in-toto statement in a DSSE envelope.
const IN_TOTO: &str = "application/vnd.in-toto+json";

/// The only scheme this tool signs and verifies with: cosign's default.
const SCHEME: SigningScheme = SigningScheme::ECDSA_P256_SHA256_ASN1;

const USAGE: &str = "usage: sifive-i2c-sign generate-key-pair PREFIX
       sifive-i2c-sign sign-blob --key KEY FILE...
       sifive-i2c-sign verify-blob --key PUB --signature SIG FILE
       sifive-i2c-sign attest --key KEY --statement FILE --output ENVELOPE
       sifive-i2c-sign verify-attestation --key PUB ENVELOPE
       sifive-i2c-sign public-key --key KEY
       sifive-i2c-sign key-id PUB";

/// Why a command failed.
enum Error {
    /// The command line is not one of the forms in [`USAGE`].
    Usage(String),
    /// A file, key, signature or envelope is missing, malformed or does not verify.
    Failed(String),
}

type Result<T> = std::result::Result<T, Error>;

fn failed(what: impl std::fmt::Display) -> Error {
    Error::Failed(what.to_string())
}

fn read(path: &str) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| failed(format!("{path}: {e}")))
}

fn write(path: &str, data: &[u8]) -> Result<()> {
    fs::write(path, data).map_err(|e| failed(format!("{path}: {e}")))
}

/// The password of the private key, from `COSIGN_PASSWORD` as cosign reads it.
fn password() -> Result<Vec<u8>> {
    env::var_os("COSIGN_PASSWORD")
        .map(|p| p.into_encoded_bytes())
        .ok_or_else(|| failed("COSIGN_PASSWORD is not set"))
}

/// The signer of an encrypted cosign private key file.
fn signer(path: &str) -> Result<SigStoreSigner> {
    let pair = SigStoreKeyPair::from_encrypted_pem(&read(path)?, &password()?)
        .map_err(|e| failed(format!("{path}: {e}")))?;
    pair.to_sigstore_signer(&SCHEME)
        .map_err(|e| failed(format!("{path}: not an ECDSA P-256 key: {e}")))
}

/// The verification key of a public key PEM file.
fn verifier(path: &str) -> Result<CosignVerificationKey> {
    CosignVerificationKey::from_pem(&read(path)?, &SCHEME)
        .map_err(|e| failed(format!("{path}: not an ECDSA P-256 public key: {e}")))
}

/// The DER bytes of a PEM file's first block.
fn pem_der(path: &str) -> Result<Vec<u8>> {
    let text = String::from_utf8(read(path)?).map_err(|_| failed(format!("{path}: not PEM")))?;
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN "))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END "))
        .collect();
    BASE64
        .decode(body.trim())
        .map_err(|e| failed(format!("{path}: not PEM: {e}")))
}

fn key_id(public: &str) -> Result<String> {
    let der = pem_der(public)?;
    Ok(sha256_id(&der))
}

/// `sha256:` and the lowercase hex SHA-256 of some bytes.
fn sha256_id(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .fold(String::from("sha256:"), |mut s, b| {
            s.push_str(&format!("{b:02x}"));
            s
        })
}

/// DSSE's pre-authentication encoding of a payload.
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

fn generate_key_pair(prefix: &str) -> Result<()> {
    let password = password()?;
    let pair = SCHEME
        .create_signer()
        .and_then(|s| s.to_sigstore_keypair())
        .map_err(failed)?;
    let private = pair
        .private_key_to_encrypted_pem(&password)
        .map_err(failed)?;
    let public = pair.public_key_to_pem().map_err(failed)?;
    let key = format!("{prefix}.key");
    // The private key is readable by its owner only, as cosign writes it.
    write(&key, private.as_bytes())?;
    set_owner_only(&key)?;
    write(&format!("{prefix}.pub"), public.as_bytes())?;
    println!("{prefix}.key {prefix}.pub");
    Ok(())
}

fn set_owner_only(path: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .map_err(|e| failed(format!("{path}: {e}")))
}

fn sign_blob(key: &str, files: &[String]) -> Result<()> {
    if files.is_empty() {
        return Err(Error::Usage("sign-blob needs at least one file".into()));
    }
    let signer = signer(key)?;
    for file in files {
        let sig = signer
            .sign(&read(file)?)
            .map_err(|e| failed(format!("{file}: {e}")))?;
        let out = format!("{file}.sig");
        write(&out, BASE64.encode(sig).as_bytes())?;
        println!("{out}");
    }
    Ok(())
}

fn verify_blob(public: &str, signature: &str, file: &str) -> Result<()> {
    let sig = read(signature)?;
    verifier(public)?
        .verify_signature(Signature::Base64Encoded(sig.trim_ascii()), &read(file)?)
        .map_err(|e| {
            failed(format!(
                "{file}: the signature {signature} does not verify: {e}"
            ))
        })?;
    println!("{file}: verified with {}", key_id(public)?);
    Ok(())
}

fn attest(key: &str, statement: &str, output: &str) -> Result<()> {
    let payload = read(statement)?;
    let parsed: Value = serde_json::from_slice(&payload)
        .map_err(|e| failed(format!("{statement}: not JSON: {e}")))?;
    if parsed["_type"] != "https://in-toto.io/Statement/v1" {
        return Err(failed(format!("{statement}: not an in-toto Statement v1")));
    }
    let signer = signer(key)?;
    let public = signer
        .to_sigstore_keypair()
        .and_then(|p| p.public_key_to_der())
        .map_err(failed)?;
    let sig = signer.sign(&pae(IN_TOTO, &payload)).map_err(failed)?;
    let envelope = json!({
        "payloadType": IN_TOTO,
        "payload": BASE64.encode(&payload),
        "signatures": [{
            "keyid": sha256_id(&public),
            "sig": BASE64.encode(sig),
        }],
    });
    write(output, format!("{envelope:#}\n").as_bytes())?;
    println!("{output}");
    Ok(())
}

fn verify_attestation(public: &str, envelope: &str) -> Result<()> {
    let bad = |what: &str| failed(format!("{envelope}: {what}"));
    let env: Value =
        serde_json::from_slice(&read(envelope)?).map_err(|_| bad("not a JSON DSSE envelope"))?;
    if env["payloadType"] != IN_TOTO {
        return Err(bad("the payload type is not application/vnd.in-toto+json"));
    }
    let payload = env["payload"]
        .as_str()
        .and_then(|p| BASE64.decode(p).ok())
        .ok_or_else(|| bad("no base64 payload"))?;
    let sigs = env["signatures"]
        .as_array()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("no signatures"))?;
    let key = verifier(public)?;
    let message = pae(IN_TOTO, &payload);
    let verified = sigs.iter().any(|s| {
        s["sig"].as_str().is_some_and(|sig| {
            key.verify_signature(Signature::Base64Encoded(sig.as_bytes()), &message)
                .is_ok()
        })
    });
    if !verified {
        return Err(bad(&format!(
            "no signature verifies with {}",
            key_id(public)?
        )));
    }
    let statement: Value =
        serde_json::from_slice(&payload).map_err(|_| bad("the payload is not JSON"))?;
    if statement["_type"] != "https://in-toto.io/Statement/v1" {
        return Err(bad("the payload is not an in-toto Statement v1"));
    }
    println!("{statement:#}");
    Ok(())
}

/// `--name VALUE` options, then the positional arguments.
fn options<'a>(args: &'a [String], names: &[&str]) -> Result<(Vec<&'a str>, Vec<String>)> {
    let mut values = vec![None; names.len()];
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match names.iter().position(|n| *n == args[i]) {
            Some(k) => {
                let v = args
                    .get(i + 1)
                    .ok_or_else(|| Error::Usage(format!("{} needs a value", names[k])))?;
                values[k] = Some(v.as_str());
                i += 2;
            }
            None if args[i].starts_with("--") => {
                return Err(Error::Usage(format!("unknown option {}", args[i])))
            }
            None => {
                rest.push(args[i].clone());
                i += 1;
            }
        }
    }
    let values = values
        .into_iter()
        .zip(names)
        .map(|(v, n)| v.ok_or_else(|| Error::Usage(format!("{n} is required"))))
        .collect::<Result<Vec<_>>>()?;
    Ok((values, rest))
}

fn one(rest: &[String]) -> Result<&str> {
    match rest {
        [only] => Ok(only),
        _ => Err(Error::Usage("expected exactly one file".into())),
    }
}

fn run(args: &[String]) -> Result<()> {
    let (cmd, args) = args
        .split_first()
        .ok_or_else(|| Error::Usage("no command".into()))?;
    match cmd.as_str() {
        "generate-key-pair" => generate_key_pair(one(&options(args, &[])?.1)?),
        "sign-blob" => {
            let (o, files) = options(args, &["--key"])?;
            sign_blob(o[0], &files)
        }
        "verify-blob" => {
            let (o, rest) = options(args, &["--key", "--signature"])?;
            verify_blob(o[0], o[1], one(&rest)?)
        }
        "attest" => {
            let (o, rest) = options(args, &["--key", "--statement", "--output"])?;
            if !rest.is_empty() {
                return Err(Error::Usage("attest takes no file".into()));
            }
            attest(o[0], o[1], o[2])
        }
        "verify-attestation" => {
            let (o, rest) = options(args, &["--key"])?;
            verify_attestation(o[0], one(&rest)?)
        }
        "public-key" => {
            let (o, rest) = options(args, &["--key"])?;
            if !rest.is_empty() {
                return Err(Error::Usage("public-key takes no file".into()));
            }
            let pair = signer(o[0])?.to_sigstore_keypair().map_err(failed)?;
            print!("{}", pair.public_key_to_pem().map_err(failed)?);
            Ok(())
        }
        "key-id" => {
            println!("{}", key_id(one(&options(args, &[])?.1)?)?);
            Ok(())
        }
        other => Err(Error::Usage(format!("unknown command {other}"))),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Usage(msg)) => {
            eprintln!("sifive-i2c-sign: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Error::Failed(msg)) => {
            eprintln!("sifive-i2c-sign: {msg}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_specification_example() {
        // The example of the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }
}
