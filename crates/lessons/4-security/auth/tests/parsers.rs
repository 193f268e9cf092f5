//! The header parsers take bytes from the network: whatever arrives, they answer
//! Ok or Err, never panic, and what they accept round-trips.

use auth::signing::parse_signed_call;
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
