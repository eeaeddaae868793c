//! A minimal `.tar.gz` writer for artifact downloads: ustar entries inside a gzip stream of
//! stored (uncompressed) deflate blocks. Valid for `tar xzf` and any gzip reader, with no
//! compression crate in the build.

/// One entry of the archive.
pub(crate) enum Entry<'a> {
    Directory(&'a str),
    File(&'a str, &'a [u8]),
}

/// Builds a gzip-compressed tar holding `entries`; `None` when a name does not fit ustar.
pub(crate) fn tar_gz(entries: &[Entry<'_>], mtime: u64) -> Option<Vec<u8>> {
    Some(gzip_stored(&tar(entries, mtime)?, mtime))
}

fn tar(entries: &[Entry<'_>], mtime: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for entry in entries {
        let (name, data, kind, mode) = match entry {
            Entry::Directory(name) => (
                format!("{}/", name.trim_end_matches('/')),
                &[][..],
                b'5',
                0o755,
            ),
            Entry::File(name, data) => (name.to_string(), *data, b'0', 0o644),
        };
        let mut header = [0u8; 512];
        let (prefix, base) = split_name(&name)?;
        header[..base.len()].copy_from_slice(base.as_bytes());
        octal(&mut header[100..108], mode);
        octal(&mut header[108..116], 0);
        octal(&mut header[116..124], 0);
        octal(&mut header[124..136], data.len() as u64);
        octal(&mut header[136..148], mtime);
        header[148..156].copy_from_slice(b"        ");
        header[156] = kind;
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
        let checksum: u32 = header.iter().map(|b| *b as u32).sum();
        let field = format!("{checksum:06o}\0 ");
        header[148..156].copy_from_slice(field.as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(512), 0);
    }
    out.resize(out.len() + 1024, 0);
    Some(out)
}

/// Splits a path into ustar's prefix (≤155 bytes) and name (≤100 bytes).
fn split_name(name: &str) -> Option<(&str, &str)> {
    if name.len() <= 100 {
        return Some(("", name));
    }
    let bytes = name.as_bytes();
    (0..bytes.len().min(156))
        .rev()
        .filter(|i| bytes[*i] == b'/')
        .map(|i| (&name[..i], &name[i + 1..]))
        .find(|(_, base)| base.len() <= 100 && !base.is_empty())
}

fn octal(field: &mut [u8], value: u64) {
    let text = format!("{:0width$o}\0", value, width = field.len() - 1);
    field.copy_from_slice(text.as_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= *byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn gzip_stored(data: &[u8], mtime: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 65535 * 5 + 32);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0]);
    out.extend_from_slice(&(mtime as u32).to_le_bytes());
    out.extend_from_slice(&[0, 255]);
    let mut blocks = data.chunks(65535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_reference_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn names_longer_than_100_bytes_use_the_prefix() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(90));
        let (prefix, base) = split_name(&long).unwrap();
        assert_eq!((prefix.len(), base.len()), (120, 90));
        assert!(split_name(&"x".repeat(300)).is_none());
    }

    #[test]
    fn archives_are_block_aligned_and_gzip_framed() {
        let gz = tar_gz(
            &[Entry::Directory("a"), Entry::File("a/b.txt", b"hello")],
            0,
        )
        .unwrap();
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
        let size = u32::from_le_bytes(gz[gz.len() - 4..].try_into().unwrap());
        assert_eq!(size % 512, 0);
    }
}
