//! The header parsers take bytes from the network: whatever arrives, they answer
//! Ok or Err, never panic, and what they accept round-trips.

use auth::mode::Flags;
use auth::signing::{AUTHORITY, NONCE, SigningKey, TIMESTAMP, parse_signed_call};
use auth::token_mode::server::bearer_token;
use proptest::prelude::*;

fn maybe_bytes() -> impl Strategy<Value = Option<Vec<u8>>> {
    proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80))
}

proptest! {
    #[test]
    fn bearer_parser_never_panics(value in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Some(token) = bearer_token(&value) {
            prop_assert!(value[..7].eq_ignore_ascii_case(b"bearer "));
            prop_assert_eq!(token, &value[7..]);
        }
    }

    #[test]
    fn bearer_tokens_round_trip(token in "[!-~]{1,100}", scheme in "(?i)bearer") {
        let value = format!("{scheme} {token}");
        prop_assert_eq!(bearer_token(value.as_bytes()), Some(token.as_bytes()));
    }

    #[test]
    fn signature_parser_never_panics(
        key_id in maybe_bytes(), authority in maybe_bytes(), timestamp in maybe_bytes(),
        nonce in maybe_bytes(), signature in maybe_bytes(),
    ) {
        let _ = parse_signed_call(
            key_id.as_deref(), authority.as_deref(), timestamp.as_deref(), nonce.as_deref(),
            signature.as_deref(),
        );
    }

    #[test]
    fn well_formed_signature_entries_round_trip(
        key_id in "[A-Za-z0-9._-]{1,64}",
        authority in "[!-~]{1,255}",
        timestamp in any::<u64>().prop_map(|t| t % 10_000_000_000_000_000_000),
        nonce in "[0-9a-f]{16,64}",
        signature in any::<[u8; 32]>(),
    ) {
        let timestamp_text = timestamp.to_string();
        let signature_hex = hex::encode(signature);
        let call = parse_signed_call(
            Some(key_id.as_bytes()),
            Some(authority.as_bytes()),
            Some(timestamp_text.as_bytes()),
            Some(nonce.as_bytes()),
            Some(signature_hex.as_bytes()),
        )
        .unwrap();
        prop_assert_eq!(call.key_id, key_id.as_str());
        prop_assert_eq!(call.authority, authority.as_str());
        prop_assert_eq!(call.timestamp, timestamp);
        prop_assert_eq!(call.nonce, nonce.as_str());
        prop_assert_eq!(call.signature, signature);
    }
}

#[test]
fn parses_well_formed_entries_and_names_the_bad_one() {
    let sig = "ab".repeat(32);
    let nonce = Some(b"00112233445566778899aabbccddeeff".as_slice());
    let ok = parse_signed_call(
        Some(b"k1"),
        Some(b"localhost:50051"),
        Some(b"1700000000"),
        nonce,
        Some(sig.as_bytes()),
    )
    .unwrap();
    assert_eq!(
        (ok.key_id, ok.authority, ok.timestamp),
        ("k1", "localhost:50051", 1_700_000_000)
    );
    assert_eq!(ok.signature, [0xab; 32]);
    let bad = parse_signed_call(Some(b"k1"), Some(b"h:1"), Some(b"-5"), None, None);
    assert_eq!(bad, Err(TIMESTAMP));
    let spaced = parse_signed_call(Some(b"k1"), Some(b"h :1"), Some(b"5"), None, None);
    assert_eq!(spaced, Err(AUTHORITY));
    let missing = parse_signed_call(Some(b"k1"), Some(b"h:1"), Some(b"5"), None, None);
    assert_eq!(missing, Err(NONCE));
}

#[test]
fn keys_never_print_their_secret() {
    let secret = "5f0c2a9d8e7b41c3a6d2f0e19b8c7a655f0c2a9d8e7b41c3a6d2f0e19b8c7a65";
    let key = SigningKey::new("k1", secret).unwrap();
    assert!(!format!("{key:?}").contains("5f0c"));
    assert!(SigningKey::new("k1", b"short".to_vec()).is_err());
    assert!(SigningKey::new("bad id", secret).is_err());
}

#[test]
fn a_token_file_wins_over_the_flag_or_variable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "from-file\n").unwrap();
    let flags = Flags {
        token: Some("from-env".into()),
        token_file: Some(file),
        ..Flags::default()
    };
    assert_eq!(flags.token().unwrap(), "from-file");
    let missing = Flags::default().token().unwrap_err().to_string();
    assert!(missing.contains("GRPC_DEMO_TOKEN"), "{missing}");
    for bad in ["has space", ""] {
        assert!(
            Flags {
                token: Some(bad.into()),
                ..Flags::default()
            }
            .token()
            .is_err(),
            "{bad:?}"
        );
    }
}
