//! Shutterstock's earnings categories: what each is called, the license name a sale gets from it,
//! and whether it says footage or referral.
//!
//! Shutterstock files every download under a category: subscription (`25_a_day` in its own
//! links), on demand, enhanced, single & other, cart sales, clip packs, footage enhanced,
//! referrals, and since 2024 unlimited commissions. The names differ between the site's tabs
//! ("Single & other"), its links and API (`single_image_and_other`) and the CSV header, so they
//! are compared after [`normalize`]. This module only names categories; it reads no rows.

use std::borrow::Cow;

use stocklens_plugin_sdk::MediaType;

/// A category as a sale carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The license name sales in this category get: Shutterstock's label in a fixed spelling
    /// ("On demand"), or the text as written for a category this module does not know.
    pub license: String,
    /// The category is footage only (clip packs, footage enhanced...), whatever the asset's type.
    pub footage: bool,
    /// Money for bringing in customers or contributors, not a download of the contributor's own
    /// work: it earns, but stands for no sale.
    pub referral: bool,
    /// Only Shutterstock names a category this way, so seeing it in a file is evidence for
    /// detection; plain "Subscription" is not, since other marketplaces use it too.
    pub distinctive: bool,
}

/// The license name of subscription downloads, the cheap bulk of a contributor's downloads.
const SUBSCRIPTION: &str = "Subscription";

impl Category {
    /// Whether this is a subscription category (images or footage).
    pub fn is_subscription(&self) -> bool {
        self.license == SUBSCRIPTION
    }
}

/// A known category: normalized names, license, footage, distinctive.
struct Known {
    names: &'static [&'static str],
    license: &'static str,
    footage: bool,
    distinctive: bool,
}

/// Categories seen on the contributor site's earnings tabs, in its page links and its API, and
/// in public tools that read them (see docs/marketplaces.md, Shutterstock, for the sources).
const KNOWN: [Known; 12] = [
    Known {
        names: &["25 a day"],
        license: SUBSCRIPTION,
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["subscription", "subscriptions", "image subscriptions"],
        license: SUBSCRIPTION,
        footage: false,
        distinctive: false,
    },
    Known {
        names: &[
            "footage subscription",
            "footage subscriptions",
            "video subscription",
            "video subscriptions",
        ],
        license: SUBSCRIPTION,
        footage: true,
        distinctive: true,
    },
    Known {
        names: &["on demand", "on demand downloads"],
        license: "On demand",
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["enhanced", "enhanced downloads", "enhanced license"],
        license: "Enhanced",
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["footage enhanced", "video enhanced"],
        license: "Enhanced",
        footage: true,
        distinctive: true,
    },
    Known {
        names: &[
            "single and other",
            "single image and other",
            "single images and other",
            "singles and other",
        ],
        license: "Single & other",
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["cart sales", "cart sale"],
        license: "Cart sales",
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["footage cart sales", "video cart sales"],
        license: "Cart sales",
        footage: true,
        distinctive: true,
    },
    Known {
        names: &["clip packs", "clip pack"],
        license: "Clip packs",
        footage: true,
        distinctive: true,
    },
    Known {
        names: &["unlimited photo commission", "unlimited image commission"],
        license: "Unlimited",
        footage: false,
        distinctive: true,
    },
    Known {
        names: &["unlimited video commission", "unlimited footage commission"],
        license: "Unlimited",
        footage: true,
        distinctive: true,
    },
];

/// A label reduced to what matters: lower case, `&` as "and", `_` `-` `.` `/` as spaces, single
/// spaces, trimmed. "Single & Other", "single_image_and_other" and "25-A-Day" all come out plain.
pub fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len() + 4);
    for c in label.chars().flat_map(char::to_lowercase) {
        let piece = match c {
            '&' => " and ",
            '_' | '-' | '.' | '/' => " ",
            c if c.is_whitespace() => " ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(piece);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a category label means. Never fails: an unknown label is kept as the license.
pub fn category(label: &str) -> Category {
    let key = normalize(label);
    if key.contains("referr") {
        return Category {
            license: "Referral".to_string(),
            footage: key.contains("video") || key.contains("footage"),
            referral: true,
            distinctive: true,
        };
    }
    if let Some(known) = KNOWN.iter().find(|k| k.names.contains(&key.as_str())) {
        return Category {
            license: known.license.to_string(),
            footage: known.footage,
            referral: false,
            distinctive: known.distinctive,
        };
    }
    Category {
        license: label.trim().to_string(),
        footage: ["footage", "video", "clip"].iter().any(|w| key.contains(w)),
        referral: false,
        distinctive: false,
    }
}

/// Distinct labels a [`CategoryCache`] remembers: a file has a dozen; more is odd input, read
/// without the cache.
const CACHED_LABELS: usize = 64;

/// Categories already read, by the exact text of their cell: a per-asset file repeats a handful
/// of labels over every row, and reading one from scratch normalizes and allocates.
#[derive(Debug, Default)]
pub struct CategoryCache {
    known: Vec<(String, Category)>,
}

impl CategoryCache {
    /// What `label` means, as [`category`] says.
    pub fn get(&mut self, label: &str) -> Cow<'_, Category> {
        if let Some(index) = self.known.iter().position(|(known, _)| known == label) {
            return Cow::Borrowed(&self.known[index].1);
        }
        let read = category(label);
        if self.known.len() == CACHED_LABELS {
            return Cow::Owned(read);
        }
        self.known.push((label.to_owned(), read));
        match self.known.last() {
            Some((_, category)) => Cow::Borrowed(category),
            None => Cow::Owned(category(label)),
        }
    }
}

/// The media type a column group of the monthly export names ("Images", "Videos", "Music"),
/// or `None` for a group that names none ("Referrals", "Other").
pub fn group_media(group: &str) -> Option<MediaType> {
    match MediaType::from_label(group) {
        Some(MediaType::Other) => None,
        Some(media) => Some(media),
        None if normalize(group).contains("footage") => Some(MediaType::Video),
        None => None,
    }
}

/// Whether a banner cell of the monthly export is a column group this parser knows.
pub fn is_known_group(cell: &str) -> bool {
    let key = normalize(cell);
    group_media(cell).is_some() || key.contains("referr") || key == "other" || key == "others"
}

/// The media type of one sale: the asset's own type where the file gives one, else video for a
/// footage-only category, else photo, since Shutterstock sells images by far the most and does
/// not tell photos from vectors and illustrations in its earnings. Referrals are no asset's sale.
pub fn media_of(category: Option<&Category>, group_or_type: Option<MediaType>) -> MediaType {
    match (category, group_or_type) {
        (Some(c), _) if c.referral => MediaType::Other,
        (_, Some(media)) => media,
        (Some(c), None) if c.footage => MediaType::Video,
        _ => MediaType::Photo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn license(label: &str) -> String {
        category(label).license
    }

    #[test]
    fn every_spelling_of_a_category_gets_one_license_name() {
        for (label, expected) in [
            ("Subscriptions", "Subscription"),
            ("25_a_day", "Subscription"),
            ("25-A-Day", "Subscription"),
            ("On demand", "On demand"),
            ("on_demand", "On demand"),
            ("Enhanced", "Enhanced"),
            ("footage_enhanced", "Enhanced"),
            ("Single & other", "Single & other"),
            ("single_image_and_other", "Single & other"),
            ("Cart sales", "Cart sales"),
            ("clip_packs", "Clip packs"),
            ("Referrals", "Referral"),
            ("customer_referrals", "Referral"),
            ("unlimited_video_commission", "Unlimited"),
            ("  Editorial  ", "Editorial"),
        ] {
            assert_eq!(license(label), expected, "{label}");
        }
    }

    #[test]
    fn footage_and_referral_categories_are_marked() {
        assert!(category("footage_enhanced").footage);
        assert!(category("Clip packs").footage);
        assert!(category("Footage subscriptions").footage);
        assert!(!category("Enhanced").footage);
        assert!(category("contributor_video_referrals").referral);
        assert!(!category("On demand").referral);
        assert!(category("25_a_day").is_subscription());
        assert!(category("Footage subscriptions").is_subscription());
        assert!(!category("Single & other").is_subscription());
    }

    #[test]
    fn plain_subscription_is_no_evidence_of_shutterstock() {
        assert!(!category("subscription").distinctive);
        assert!(!category("custom").distinctive);
        assert!(!category("Standard").distinctive);
        assert!(category("Single & other").distinctive);
        assert!(category("25_a_day").distinctive);
    }

    #[test]
    fn the_cache_answers_as_the_reader_does() {
        let mut cache = CategoryCache::default();
        for label in ["25_a_day", "On demand", "25_a_day", "Editorial"] {
            assert_eq!(*cache.get(label), category(label), "{label}");
        }
        assert_eq!(cache.known.len(), 3);
        for i in 0..CACHED_LABELS + 5 {
            let label = format!("custom {i}");
            assert_eq!(cache.get(&label).license, label);
        }
        assert_eq!(cache.known.len(), CACHED_LABELS);
    }

    #[test]
    fn groups_name_media_types() {
        assert_eq!(group_media("Images"), Some(MediaType::Photo));
        assert_eq!(group_media("Videos"), Some(MediaType::Video));
        assert_eq!(group_media("Footage"), Some(MediaType::Video));
        assert_eq!(group_media("Music"), Some(MediaType::Audio));
        assert_eq!(group_media("Referrals"), None);
        assert!(is_known_group("Referrals"));
        assert!(!is_known_group("Date"));
    }

    #[test]
    fn media_follows_the_asset_then_the_category() {
        let footage = category("Clip packs");
        let referral = category("Referrals");
        let on_demand = category("On demand");
        assert_eq!(media_of(Some(&footage), None), MediaType::Video);
        assert_eq!(
            media_of(Some(&on_demand), Some(MediaType::Vector)),
            MediaType::Vector
        );
        assert_eq!(media_of(Some(&on_demand), None), MediaType::Photo);
        assert_eq!(
            media_of(Some(&referral), Some(MediaType::Photo)),
            MediaType::Other
        );
        assert_eq!(media_of(None, None), MediaType::Photo);
    }
}
