//! The gRPC wire format, by hand: just enough to read a `SayHelloRequest` and
//! write a `SayHelloResponse` without prost or tonic.
//!
//! A gRPC message on HTTP/2 is a 5-byte prefix (compressed flag, big-endian
//! length) followed by the protobuf bytes. Both messages have one field,
//! `string = 1`, encoded as tag `0x0a`, a varint length, then UTF-8 bytes.

use bytes::{BufMut, Bytes, BytesMut};

/// Protobuf tag of field 1 with wire type 2 (length-delimited).
const FIELD_1_LEN: u8 = 0x0a;

/// The `name` of a length-prefixed `SayHelloRequest`, or `None` if malformed.
///
/// Unknown fields are skipped, as protobuf requires; the last `name` wins.
pub fn request_name(frame: &[u8]) -> Option<&str> {
    let (&compressed, rest) = frame.split_first()?;
    let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let mut proto = rest.get(4..4 + len).filter(|_| compressed == 0)?;
    let mut name = "";
    while let Some((key, after_key)) = varint(proto) {
        let (value_len, after_len) = match key & 7 {
            0 => (0, varint(after_key)?.1),
            2 => {
                let (n, tail) = varint(after_key)?;
                (usize::try_from(n).ok()?, tail)
            }
            _ => return None,
        };
        let value = after_len.get(..value_len)?;
        if key == u64::from(FIELD_1_LEN) {
            name = std::str::from_utf8(value).ok()?;
        }
        proto = &after_len[value_len..];
    }
    Some(name)
}

/// The length-prefixed `SayHelloResponse { message: "Hello, <name>!" }`, byte for
/// byte what tonic and prost produce for the tutorial's greeter.
pub fn hello_response(name: &str) -> Bytes {
    let message_len = "Hello, !".len() + name.len();
    let proto_len = 1 + varint_len(message_len as u64) + message_len;
    let mut out = BytesMut::with_capacity(5 + proto_len);
    out.put_u8(0);
    out.put_u32(proto_len as u32);
    out.put_u8(FIELD_1_LEN);
    put_varint(&mut out, message_len as u64);
    out.put_slice(b"Hello, ");
    out.put_slice(name.as_bytes());
    out.put_u8(b'!');
    out.freeze()
}

/// Reads one base-128 varint; returns it and the bytes after it.
fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[i + 1..]));
        }
    }
    None
}

fn varint_len(mut value: u64) -> usize {
    let mut len = 1;
    while value >= 0x80 {
        value >>= 7;
        len += 1;
    }
    len
}

fn put_varint(out: &mut BytesMut, mut value: u64) {
    while value >= 0x80 {
        out.put_u8((value as u8) | 0x80);
        value >>= 7;
    }
    out.put_u8(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_writes() {
        let long = "x".repeat(300);
        for name in ["", "Jack", long.as_str()] {
            let frame = hello_response(name);
            let greeting = format!("Hello, {name}!");
            assert_eq!(request_name(&frame), Some(greeting.as_str()));
        }
    }

    #[test]
    fn skips_unknown_fields_and_rejects_garbage() {
        // field 2 varint 150, then name "ab"
        let frame = [0, 0, 0, 0, 7, 0x10, 0x96, 0x01, 0x0a, 2, b'a', b'b'];
        assert_eq!(request_name(&frame), Some("ab"));
        assert_eq!(request_name(&[1, 0, 0, 0, 0]), None, "compressed");
        assert_eq!(request_name(&[0, 0, 0, 0, 3, 0x0a, 5, b'a']), None);
    }
}
