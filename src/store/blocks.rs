//! What an article's typed blocks keep besides kind and text, and the
//! migration that turned the older text-only blocks into them.
//!
//! A block's structure (link ranges, heading level, list, image) is a small
//! JSON object beside its kind and plain text, absent when there is none:
//! most blocks are plain paragraphs. Since `body::BODIES_VERSION` the blocks
//! of an article are stored together, compressed (see `store::body`); this
//! module's migration ran on the older per-block rows (`blocks` table).
//!
//! Archives written before kept images as a «[изображение: alt]»
//! placeholder and links as `[n]` after the link text; [`convert_old_blocks`]
//! parses those back into the typed form.

use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::model::{Block, BlockKind, Image, Link, LinkSpan, ListMark};

/// The schema version [`MIGRATION`] brings an archive to (its place in
/// `schema::MIGRATIONS`, counted from 1).
pub(crate) const TYPED_BLOCKS_VERSION: usize = 10;

/// Migration: the index is rebuilt from the clean text (no placeholders,
/// no markers) by `fts::catch_up`; the structure column is added and the
/// blocks rewritten by [`convert_old_blocks`].
pub const MIGRATION: &str = r#"
    INSERT OR REPLACE INTO search_meta(key, value) VALUES('reindex_pending', '1');
"#;

/// Only what a block has besides kind and text.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Data {
    /// `[start, end, link]` per link span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<(usize, usize, usize)>,
    #[serde(default, skip_serializing_if = "is_zero")]
    level: u8,
    /// `[id, ordered]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    list: Option<(u32, bool)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<ImageData>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ImageData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    src: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

/// What `b` has besides kind and text; `None` when nothing.
pub(super) fn data(b: &Block) -> Option<Data> {
    let d = Data {
        links: b.links.iter().map(|l| (l.start, l.end, l.link)).collect(),
        level: b.level,
        list: b.list.map(|l| (l.id, l.ordered)),
        image: b.image.as_ref().map(|i| ImageData {
            src: i.src.clone(),
            alt: i.alt.clone(),
            caption: i.caption.clone(),
        }),
    };
    let empty = d.links.is_empty() && d.level == 0 && d.list.is_none() && d.image.is_none();
    if empty { None } else { Some(d) }
}

/// A block from its row in the old `blocks` table. Data that does not
/// parse (damaged) leaves the plain block: the text is still there.
pub(super) fn from_row(kind: &str, text: String, data: Option<&str>) -> Block {
    from_parts(kind, text, data.and_then(|d| serde_json::from_str(d).ok()))
}

/// A block from its kind, text and structure.
pub(super) fn from_parts(kind: &str, text: String, data: Option<Data>) -> Block {
    let d = data.unwrap_or_default();
    let links = d
        .links
        .into_iter()
        // Ranges must cut the text where it can be cut.
        .filter(|&(s, e, _)| s <= e && text.get(s..e).is_some())
        .map(|(start, end, link)| LinkSpan { start, end, link })
        .collect();
    Block {
        kind: BlockKind::parse(kind),
        text,
        links,
        level: d.level,
        list: d.list.map(|(id, ordered)| ListMark { id, ordered }),
        image: d.image.map(|i| Image { src: i.src, alt: i.alt, caption: i.caption }),
    }
}

/// Writes article `id`'s blocks as rows of the old `blocks` table (its
/// old rows already deleted): only this migration writes them.
fn write_rows(conn: &Connection, id: i64, blocks: &[Block]) -> rusqlite::Result<()> {
    let mut ins = conn.prepare_cached("INSERT INTO blocks(article_id, seq, kind, text, data) VALUES(?, ?, ?, ?, ?)")?;
    for (i, b) in blocks.iter().enumerate() {
        let data = data(b).and_then(|d| serde_json::to_string(&d).ok());
        ins.execute(params![id, i as i64, b.kind.as_str(), b.text, data])?;
    }
    Ok(())
}

/// Adds the `data` column and rewrites every block of an archive written
/// before typed blocks; run right after [`MIGRATION`], in its transaction.
/// An archive that has the column already is typed, and one without the
/// table has its blocks in `bodies` (its version was set back by hand):
/// nothing is rewritten. One article at a time, so a large
/// archive never sits in memory whole.
pub(crate) fn convert_old_blocks(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let (columns, typed): (i64, bool) = tx.query_row(
        "SELECT count(*), count(*) FILTER (WHERE name = 'data') > 0 FROM pragma_table_info('blocks')",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if columns == 0 || typed {
        return Ok(());
    }
    tx.execute_batch("ALTER TABLE blocks ADD COLUMN data TEXT")?;
    let ids: Vec<i64> = {
        // Plain paragraphs without a bracket (most of a dump archive) are already typed.
        let mut stmt = tx.prepare(
            "SELECT DISTINCT article_id FROM blocks WHERE kind IN ('image', 'list_item') OR instr(text, '[') > 0",
        )?;
        stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
    };
    let mut old = tx.prepare("SELECT kind, text FROM blocks WHERE article_id = ? ORDER BY seq")?;
    let mut links = tx.prepare("SELECT text, url FROM links WHERE article_id = ? ORDER BY seq")?;
    for id in ids {
        let rows: Vec<(String, String)> =
            old.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let table: Vec<Link> = links
            .query_map([id], |r| Ok(Link { text: r.get(0)?, url: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let blocks = typed_from_old(&rows, &table);
        tx.execute("DELETE FROM blocks WHERE article_id = ?", [id])?;
        write_rows(tx, id, &blocks)?;
    }
    Ok(())
}

/// The typed form of one article's old `(kind, text)` rows.
fn typed_from_old(rows: &[(String, String)], links: &[Link]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(rows.len());
    let mut lists = 0;
    for (kind, text) in rows {
        let kind = BlockKind::parse(kind);
        if kind == BlockKind::Image {
            out.push(old_image(text, links));
            continue;
        }
        let (text, spans) = unmark(text, links);
        if text.is_empty() {
            // Only a marker: a linked image's link, as `text::html` left it.
            let prev = out.last_mut().filter(|p| p.kind == BlockKind::Image && p.links.is_empty());
            if let (Some(prev), Some(s)) = (prev, spans.first()) {
                prev.links.push(LinkSpan { start: 0, end: 0, link: s.link });
            }
            continue;
        }
        let list = (kind == BlockKind::ListItem).then(|| {
            if out.last().is_none_or(|p| p.kind != BlockKind::ListItem) {
                lists += 1;
            }
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            ListMark { id: lists, ordered: digits > 0 && text[digits..].starts_with(". ") }
        });
        out.push(Block { kind, text, links: spans, list, ..Block::default() });
    }
    out
}

/// «[изображение: alt]» / «[изображение]» (and an image's marker after it).
fn old_image(text: &str, links: &[Link]) -> Block {
    let (text, spans) = unmark(text, links);
    let alt = match text.strip_prefix("[изображение") {
        Some(rest) => rest.strip_prefix(':').unwrap_or(rest).strip_suffix(']').unwrap_or(rest).trim().to_string(),
        None => text.trim_matches(|c| c == '[' || c == ']').trim().to_string(),
    };
    let links = spans.first().map(|s| vec![LinkSpan { start: 0, end: 0, link: s.link }]).unwrap_or_default();
    let image = Image { src: None, alt: Some(alt).filter(|a| !a.is_empty()), caption: None };
    Block { kind: BlockKind::Image, links, image: Some(image), ..Block::default() }
}

/// Takes the `[n]` markers (n a link of the article) out of old text. A
/// link's range is its text right before the marker when it is there,
/// else the word before it; the text is trimmed.
fn unmark(text: &str, links: &[Link]) -> (String, Vec<LinkSpan>) {
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: Option<usize> = after[..digits].parse().ok().filter(|n| (1..=links.len()).contains(n));
        match n {
            Some(n) if after[digits..].starts_with(']') => {
                let end = out.len();
                let lt = links[n - 1].text.trim();
                let start = if !lt.is_empty() && out.ends_with(lt) {
                    end - lt.len()
                } else {
                    out.trim_end().rfind(char::is_whitespace).map_or(0, |p| p + 1)
                };
                spans.push(LinkSpan { start, end, link: n });
                rest = &after[digits + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let lead = out.len() - out.trim_start().len();
    let text = out.trim().to_string();
    let spans = spans
        .into_iter()
        .map(|s| LinkSpan {
            start: s.start.saturating_sub(lead).min(text.len()),
            end: s.end.saturating_sub(lead).min(text.len()),
            link: s.link,
        })
        .filter(|s| text.get(s.start..s.end).is_some())
        .collect();
    (text, spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, schema::MIGRATIONS};

    fn link(text: &str, url: &str) -> Link {
        Link { text: text.into(), url: url.into() }
    }

    #[test]
    fn old_markers_and_placeholders_become_structure() {
        let links = [link("ссылкой", "https://a/1"), link("второй", "https://b/2"), link("", "https://c/3")];
        let rows: Vec<(String, String)> = [
            ("paragraph", "Текст с ссылкой[1] и второй[2], а [9] и [x] остаются."),
            ("image", "[изображение: Фото Караван]"),
            ("paragraph", "[3]"),
            ("image", "[изображение]"),
            ("list_item", "3. три"),
            ("list_item", "четыре[1]"),
            ("heading", "Заголовок"),
            ("list_item", "другой список"),
        ]
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
        let b = typed_from_old(&rows, &links);
        assert_eq!(b.len(), 7, "the marker-only block went onto its image");
        assert_eq!(b[0].text, "Текст с ссылкой и второй, а [9] и [x] остаются.");
        let linked: Vec<(&str, usize)> = b[0].links.iter().map(|l| (&b[0].text[l.start..l.end], l.link)).collect();
        assert_eq!(linked, [("ссылкой", 1), ("второй", 2)]);
        let img = b[1].image.as_ref().unwrap();
        assert_eq!((b[1].text.as_str(), img.alt.as_deref()), ("", Some("Фото Караван")));
        assert_eq!(b[1].links, [LinkSpan { start: 0, end: 0, link: 3 }]);
        assert_eq!(b[2].image.as_ref().unwrap().alt, None);
        assert_eq!(b[3].list, Some(ListMark { id: 1, ordered: true }));
        assert_eq!((b[4].text.as_str(), b[4].list), ("четыре", Some(ListMark { id: 1, ordered: false })));
        assert_eq!(b[6].list.map(|l| l.id), Some(2));
    }

    #[test]
    fn archive_of_the_previous_version_is_converted() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        {
            let c = Connection::open(&db).unwrap();
            for m in &MIGRATIONS[..TYPED_BLOCKS_VERSION - 1] {
                c.execute_batch(m).unwrap();
            }
            c.execute_batch(
                "INSERT INTO articles(id, identity, title, title_key, added, sort_key)
                     VALUES(1, 'page:x', 'Старое', 'старое', '2026-01-01T00:00:00Z', 1);
                 INSERT INTO blocks(article_id, seq, kind, text) VALUES
                     (1, 0, 'paragraph', 'Читайте на сайте[1] подробнее.'),
                     (1, 1, 'image', '[изображение: Мост]');
                 INSERT INTO links(article_id, seq, text, url) VALUES(1, 0, 'на сайте', 'https://a.kz/');",
            )
            .unwrap();
            c.pragma_update(None, "user_version", (TYPED_BLOCKS_VERSION - 1) as i64).unwrap();
        }
        let store = Store::open(&db).unwrap();
        assert!(store.schema_version().unwrap() as usize >= TYPED_BLOCKS_VERSION);
        let a = store.article(1).unwrap();
        assert_eq!(a.blocks[0].text, "Читайте на сайте подробнее.");
        assert_eq!(a.blocks[0].links, [LinkSpan { start: 15, end: 30, link: 1 }]);
        assert_eq!(a.blocks[1].image.as_ref().and_then(|i| i.alt.as_deref()), Some("Мост"));
        assert_eq!(a.blocks[1].text, "");
        // The index was rebuilt from clean text: the placeholder's word is gone.
        let c = Connection::open(&db).unwrap();
        let terms: Vec<String> = c
            .prepare("SELECT term FROM search_vocab")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(terms.iter().any(|t| t.starts_with("сайт")), "{terms:?}");
        assert!(!terms.iter().any(|t| t.starts_with("изображ") || t == "1"), "{terms:?}");
    }
}
