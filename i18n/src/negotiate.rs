//! Choosing a language from an `Accept-Language` header (RFC 9110 §12.5.4).

use crate::Lang;

/// The shipped language the header ranks highest, matched on the primary subtag (`de-AT` reads
/// German, `pt-PT` the Brazilian Portuguese we ship); English when nothing matches.
pub fn negotiate(accept_language: &str) -> Lang {
    let mut ranked: Vec<(u16, usize, Lang)> = accept_language
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_quality)?;
            (quality > 0).then_some(())?;
            Some((quality, order, matching(tag)?))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map_or(Lang::ENGLISH, |(_, _, lang)| *lang)
}

/// A shipped language for `tag`: the exact tag, else the first with the same primary subtag.
fn matching(tag: &str) -> Option<Lang> {
    Lang::from_code(tag).or_else(|| {
        let primary = tag.split(['-', '_']).next()?;
        Lang::all().find(|l| {
            l.code()
                .split('-')
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(primary))
        })
    })
}

/// `q=0.8` as thousandths; `None` for a malformed weight (the item is then ignored).
fn parse_quality(raw: &str) -> Option<u16> {
    let value: f32 = raw.trim().parse().ok()?;
    (0.0..=1.0).contains(&value).then(|| (value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::negotiate;

    #[test]
    fn the_highest_ranked_shipped_language_wins() {
        let cases = [
            ("de-DE,de;q=0.9,en;q=0.8", "de"),
            ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
            ("pt-PT,pt;q=0.9", "pt-BR"),
            ("pt-BR", "pt-BR"),
            ("ja", "ja"),
            ("nl-NL,nl;q=0.9,es;q=0.4", "es"),
            ("en;q=0.1,de;q=0.5", "de"),
            ("de;q=0,fr;q=0.3", "fr"),
            ("es;q=abc,fr", "fr"),
            ("", "en"),
            ("*", "en"),
            ("zh-CN", "en"),
        ];
        for (header, expected) in cases {
            assert_eq!(negotiate(header).code(), expected, "{header:?}");
        }
    }
}
