//! The bot's texts: one TOML file per language embedded in the binary (`host/lexicon/*.toml`),
//! read once at start, with the operator's overrides from the database laid over them and
//! swapped in without a restart. Rendering never touches the database.
//!
//! A text is Telegram HTML with `{name}` placeholders. Values are escaped when they are filled
//! in, except for placeholders whose name ends in `_html`, which take markup the bot built
//! itself. A placeholder the caller did not fill renders empty and is logged: a contributor never
//! sees `{name}`.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};

use super::html;
use crate::report::model::Lang;

/// Every language the bot speaks, with its embedded lexicon.
const EMBEDDED: &[(Lang, &str)] = &[
    (Lang::En, include_str!("../../lexicon/en.toml")),
    (Lang::Ru, include_str!("../../lexicon/ru.toml")),
];

/// Every language the bot speaks.
pub const LANGS: &[Lang] = &[Lang::En, Lang::Ru];

/// A lexicon that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon {lang}: {message}")]
    Invalid { lang: &'static str, message: String },
}

/// A value for a placeholder.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    /// Plain text, escaped on the way in.
    Text(&'a str),
    /// Markup the bot built; only for `_html` placeholders.
    Html(&'a str),
}

/// Texts by language and key, plus the operator's overrides.
#[derive(Debug)]
pub struct Lexicon {
    base: HashMap<(Lang, String), String>,
    overrides: RwLock<Arc<HashMap<(Lang, String), String>>>,
}

impl Lexicon {
    /// The embedded lexicons, checked: every key in every language, the same placeholders, and
    /// valid Telegram HTML within the message limit.
    pub fn embedded() -> Result<Lexicon, LexiconError> {
        let mut base = HashMap::new();
        for &(lang, source) in EMBEDDED {
            let invalid = |message: String| LexiconError::Invalid {
                lang: lang.tag(),
                message,
            };
            let table: toml::Table =
                toml::from_str(source).map_err(|e| invalid(format!("not TOML: {e}")))?;
            let mut texts = Vec::new();
            flatten("", &table, &mut texts).map_err(invalid)?;
            for (key, text) in texts {
                base.insert((lang, key), text);
            }
        }
        let lexicon = Lexicon {
            base,
            overrides: RwLock::default(),
        };
        lexicon.check_all()?;
        Ok(lexicon)
    }

    /// Every key of the reference language (English), sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .base
            .keys()
            .filter(|(lang, _)| *lang == Lang::En)
            .map(|(_, key)| key.as_str())
            .collect();
        keys.sort_unstable();
        keys
    }

    fn check_all(&self) -> Result<(), LexiconError> {
        let keys = self.keys();
        for &lang in LANGS {
            let invalid = |message: String| LexiconError::Invalid {
                lang: lang.tag(),
                message,
            };
            for key in &keys {
                let text = self
                    .base
                    .get(&(lang, (*key).to_owned()))
                    .ok_or_else(|| invalid(format!("key {key} is missing")))?;
                self.check_text(lang, key, text).map_err(invalid)?;
            }
            let extra = self
                .base
                .keys()
                .find(|(l, key)| *l == lang && !keys.contains(&key.as_str()));
            if let Some((_, key)) = extra {
                return Err(invalid(format!("key {key} is not in the English lexicon")));
            }
        }
        Ok(())
    }

    /// Whether `text` may stand for `key` in `lang`: the key exists, the placeholders are the
    /// reference language's, and the text (with placeholders filled with samples) is valid
    /// Telegram HTML within the message limit.
    pub fn check_text(&self, lang: Lang, key: &str, text: &str) -> Result<(), String> {
        let reference = self
            .base
            .get(&(Lang::En, key.to_owned()))
            .ok_or_else(|| format!("there is no text {key:?}"))?;
        let want = placeholders(reference);
        let have = placeholders(text);
        if want != have {
            return Err(format!(
                "{key}: placeholders {have:?} do not match {want:?}",
            ));
        }
        let sample = fill(text, |name| {
            Some(if name.ends_with("_html") {
                "<b>sample</b>".to_owned()
            } else {
                "sample".to_owned()
            })
        });
        html::check(&sample, html::MAX_MESSAGE).map_err(|e| format!("{key}: {e}"))?;
        let _ = lang;
        Ok(())
    }

    /// Replaces the operator's overrides (language tag, key, text); invalid ones are skipped
    /// and logged. Returns how many were applied.
    pub fn set_overrides(&self, overrides: &[(String, String, String)]) -> usize {
        let mut map = HashMap::new();
        for (tag, key, text) in overrides {
            let Some(lang) = lang_of(tag) else {
                tracing::warn!(lang = %tag, key = %key, "lexicon override for an unknown language ignored");
                continue;
            };
            match self.check_text(lang, key, text) {
                Ok(()) => {
                    map.insert((lang, key.clone()), text.clone());
                }
                Err(err) => {
                    tracing::warn!(lang = %tag, key = %key, error = %err, "invalid lexicon override ignored")
                }
            }
        }
        let applied = map.len();
        *self
            .overrides
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(map);
        applied
    }

    /// The text `key` in `lang` as written (an operator's override first, English where `lang`
    /// lacks it), placeholders unfilled.
    pub fn template(&self, lang: Lang, key: &str) -> Option<String> {
        let overrides = self
            .overrides
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = (lang, key.to_owned());
        overrides
            .get(&id)
            .or_else(|| self.base.get(&id))
            .or_else(|| self.base.get(&(Lang::En, key.to_owned())))
            .cloned()
    }

    /// The text `key` in `lang` with `args` filled in.
    pub fn render(&self, lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let Some(template) = self.template(lang, key) else {
            tracing::error!(key, "no such lexicon text");
            return html::escape(key);
        };
        fill(&template, |name| {
            let value = args.iter().find(|(n, _)| *n == name).map(|(_, v)| match v {
                Arg::Text(text) => html::escape(text),
                Arg::Html(markup) => (*markup).to_owned(),
            });
            if value.is_none() {
                tracing::error!(key, placeholder = name, "lexicon placeholder left unfilled");
            }
            value
        })
    }

    /// Whether the lexicon has a text `key`.
    pub fn has(&self, key: &str) -> bool {
        self.base.contains_key(&(Lang::En, key.to_owned()))
    }

    /// [`Lexicon::render`] without placeholders.
    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.render(lang, key, &[])
    }
}

/// The language a tag names, if the bot speaks it.
pub fn lang_of(tag: &str) -> Option<Lang> {
    match tag {
        "en" => Some(Lang::En),
        "ru" => Some(Lang::Ru),
        _ => None,
    }
}

/// The bot's language for a Telegram `language_code`: Russian for Russian and the languages
/// whose speakers mostly read it, English otherwise.
pub fn lang_for_code(code: Option<&str>) -> Lang {
    let primary = code
        .unwrap_or("")
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "ru" | "uk" | "be" | "kk" | "ky" | "uz" | "tg" | "hy" | "az" => Lang::Ru,
        _ => Lang::En,
    }
}

/// Flattens nested tables into `section.key` texts.
fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            toml::Value::String(text) => out.push((key, text.clone())),
            toml::Value::Table(inner) => flatten(&key, inner, out)?,
            _ => return Err(format!("{key} is not a text")),
        }
    }
    Ok(())
}

/// The placeholder names in a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                names.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Replaces every `{name}` with `value(name)`, or nothing when it gives `None`.
fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                if let Some(v) = value(&after[..close]) {
                    out.push_str(&v);
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::embedded().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_key_exists_in_every_language_with_the_same_placeholders() {
        let lexicon = lexicon();
        let keys = lexicon.keys();
        assert!(keys.len() > 80, "{} keys", keys.len());
        for &lang in LANGS {
            for key in &keys {
                let text = lexicon.base.get(&(lang, (*key).to_owned()));
                let text = text.unwrap_or_else(|| panic!("{} lacks {key}", lang.tag()));
                assert_eq!(
                    placeholders(text),
                    placeholders(&lexicon.base[&(Lang::En, (*key).to_owned())]),
                    "{}: {key}",
                    lang.tag()
                );
                assert_eq!(lexicon.check_text(lang, key, text), Ok(()));
                assert!(!text.trim().is_empty(), "{}: {key} is empty", lang.tag());
            }
        }
    }

    #[test]
    fn values_are_escaped_unless_they_are_markup() {
        let lexicon = lexicon();
        let text = lexicon.render(
            Lang::En,
            "file.received",
            &[("name", Arg::Text("<b>&evil</b>.csv"))],
        );
        assert!(text.contains("&lt;b&gt;&amp;evil&lt;/b&gt;.csv"), "{text}");
        assert_eq!(html::check(&text, html::MAX_MESSAGE), Ok(()));
        let text = lexicon.render(
            Lang::En,
            "markets.text",
            &[
                ("list_html", Arg::Html("<b>A</b>")),
                ("guide_url", Arg::Text("u")),
            ],
        );
        assert!(text.contains("<b>A</b>"), "{text}");
    }

    #[test]
    fn an_unfilled_placeholder_renders_empty_never_raw() {
        let text = lexicon().render(Lang::Ru, "file.received", &[]);
        assert!(!text.contains('{'), "{text}");
        assert!(text.contains("Читаю"), "{text}");
    }

    #[test]
    fn overrides_apply_and_invalid_ones_are_refused() {
        let lexicon = lexicon();
        let applied = lexicon.set_overrides(&[
            (
                "en".into(),
                "flow.stale".into(),
                "Old button, sorry.".into(),
            ),
            (
                "ru".into(),
                "file.received".into(),
                "Файл {name} <b>без закрытия".into(),
            ),
            ("ru".into(), "file.found".into(), "{marketplace}".into()),
            ("de".into(), "flow.stale".into(), "Alt".into()),
            ("en".into(), "no.such".into(), "x".into()),
        ]);
        assert_eq!(applied, 1);
        assert_eq!(lexicon.get(Lang::En, "flow.stale"), "Old button, sorry.");
        assert!(lexicon.get(Lang::Ru, "file.received").contains("Читаю"));
        lexicon.set_overrides(&[]);
        assert_eq!(
            lexicon.get(Lang::En, "flow.stale"),
            "This question is no longer active."
        );
    }

    #[test]
    fn telegram_language_codes_pick_the_language() {
        assert_eq!(lang_for_code(Some("ru")), Lang::Ru);
        assert_eq!(lang_for_code(Some("uk-UA")), Lang::Ru);
        assert_eq!(lang_for_code(Some("en-GB")), Lang::En);
        assert_eq!(lang_for_code(Some("de")), Lang::En);
        assert_eq!(lang_for_code(None), Lang::En);
    }
}
