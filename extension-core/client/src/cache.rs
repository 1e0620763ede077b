//! Cache policy for `chrome.storage.local`: keys per org and record, time to live and freshness
//! per kind, least-recently-used eviction under a size bound, and a versioned index that
//! migrates or is discarded. Pure: the worker stores what this decides.

use crate::storage::CACHE_PREFIX;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The index's schema version; an index of another version is discarded (and its entries
/// deleted), never half-read.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything cached stays under this many bytes (the storage area holds 10 MB).
pub const DEFAULT_BUDGET_BYTES: u64 = 4 * 1024 * 1024;

/// What is cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// A Tier 2 analysis of one opportunity.
    Deal,
    /// The rep's portfolio.
    Portfolio,
    /// Texts that explain factors and blind spots.
    Descriptions,
}

impl Kind {
    /// Time to live (PRODUCT.md): then the entry is evicted.
    pub fn ttl(self) -> Duration {
        match self {
            Kind::Deal => Duration::hours(24),
            Kind::Portfolio => Duration::hours(1),
            Kind::Descriptions => Duration::days(7),
        }
    }

    /// After this age an entry is still shown, and refreshed in the background. A deal is
    /// fetched at most once in a working day (12 h) and revalidated the next; the portfolio about
    /// once an hour.
    pub fn fresh_for(self) -> Duration {
        match self {
            Kind::Deal => Duration::hours(12),
            Kind::Portfolio => Duration::minutes(55),
            Kind::Descriptions => Duration::days(1),
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Kind::Deal => "deal",
            Kind::Portfolio => "portfolio",
            Kind::Descriptions => "descriptions",
        }
    }
}

/// The storage key of an entry: per org host, and per record for deals (15-character Id, so
/// both Id forms share an entry).
pub fn key(kind: Kind, org_host: &str, subject: &str) -> String {
    let subject = match kind {
        Kind::Deal => subject.get(..15).unwrap_or(subject),
        _ => subject,
    };
    format!(
        "{CACHE_PREFIX}{SCHEMA_VERSION}.{}:{}:{}",
        kind.tag(),
        org_host.to_ascii_lowercase(),
        subject
    )
}

/// Whether a storage key is a cache entry's, of this or any other schema version
/// (`cc.v<digits>.`).
pub fn is_entry_key(key: &str) -> bool {
    key.strip_prefix(CACHE_PREFIX).is_some_and(|rest| {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest.as_bytes().get(digits) == Some(&b'.')
    })
}

/// What the index knows of one entry (the entry's body is stored under its key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryMeta {
    /// What it holds.
    pub kind: Kind,
    /// When the server last confirmed it.
    pub stored_at: DateTime<Utc>,
    /// When it was last read (least recently used goes first).
    pub last_used: DateTime<Utc>,
    /// Its size (0 for a remembered 404).
    pub bytes: u64,
    /// The server's ETag, for `If-None-Match`.
    pub etag: Option<String>,
}

/// The cache index, stored under [`crate::storage::CACHE_INDEX`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheIndex {
    /// The index's schema version (another version is dropped).
    pub version: u32,
    /// Every entry, by key.
    pub entries: BTreeMap<String, EntryMeta>,
}

/// At most this many entries, whatever their size: a remembered 404 takes no bytes of the
/// budget, and a page that names many records must not grow the index without end. Far above
/// the deals a rep opens in a day (the deal entries live 24 h).
pub const MAX_ENTRIES: usize = 400;

impl Default for CacheIndex {
    fn default() -> Self {
        CacheIndex {
            version: SCHEMA_VERSION,
            entries: BTreeMap::new(),
        }
    }
}

/// The result of a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Not cached (or expired): fetch.
    Miss,
    /// Show it; no request.
    Fresh,
    /// Show it at once, and revalidate in the background (with its ETag).
    Stale {
        /// The cached answer's ETag.
        etag: Option<String>,
    },
}

impl CacheIndex {
    /// Reads a stored index: the current version as is; anything else (older schema, corrupt)
    /// gives an empty index plus the keys to delete.
    pub fn load(stored: Option<&serde_json::Value>) -> (CacheIndex, Vec<String>) {
        let Some(stored) = stored else {
            return (CacheIndex::default(), Vec::new());
        };
        match serde_json::from_value::<CacheIndex>(stored.clone()) {
            Ok(index) if index.version == SCHEMA_VERSION => (index, Vec::new()),
            _ => {
                let orphaned = stored["entries"]
                    .as_object()
                    .map(|e| e.keys().cloned().collect())
                    .unwrap_or_default();
                (CacheIndex::default(), orphaned)
            }
        }
    }

    /// Looks an entry up and marks it used.
    pub fn lookup(&mut self, key: &str, now: DateTime<Utc>) -> Lookup {
        let Some(meta) = self.entries.get_mut(key) else {
            return Lookup::Miss;
        };
        let age = now - meta.stored_at;
        if age >= meta.kind.ttl() || age < Duration::zero() {
            return Lookup::Miss;
        }
        meta.last_used = now;
        if age < meta.kind.fresh_for() {
            Lookup::Fresh
        } else {
            Lookup::Stale {
                etag: meta.etag.clone(),
            }
        }
    }

    /// Records a stored (or revalidated) entry; returns the keys to evict so that the whole
    /// cache fits `budget_bytes` and [`MAX_ENTRIES`], least recently used first. An entry larger than the budget is
    /// refused (returned as its own eviction).
    pub fn store(
        &mut self,
        key: &str,
        kind: Kind,
        bytes: u64,
        etag: Option<String>,
        now: DateTime<Utc>,
        budget_bytes: u64,
    ) -> Vec<String> {
        if bytes > budget_bytes {
            self.entries.remove(key);
            return vec![key.to_string()];
        }
        self.entries.insert(
            key.to_string(),
            EntryMeta {
                kind,
                stored_at: now,
                last_used: now,
                bytes,
                etag,
            },
        );
        let mut evicted = Vec::new();
        while self.total_bytes() > budget_bytes || self.entries.len() > MAX_ENTRIES {
            let Some(oldest) = self
                .entries
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .min_by_key(|(k, meta)| (meta.last_used, (*k).clone()))
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.entries.remove(&oldest);
            evicted.push(oldest);
        }
        evicted
    }

    /// A 304 renewed an entry: it counts as stored now.
    pub fn revalidated(&mut self, key: &str, now: DateTime<Utc>) {
        if let Some(meta) = self.entries.get_mut(key) {
            meta.stored_at = now;
            meta.last_used = now;
        }
    }

    /// The alarm's sweep: removes and returns expired entries (an entry stored "in the future",
    /// while the clock was ahead, counts as expired), then every stored cache key that no
    /// entry names (`stored_keys`: every key in storage). Those are left by a worker stopped
    /// between an index write and the removal of the bodies it dropped.
    pub fn sweep(&mut self, now: DateTime<Utc>, stored_keys: &[String]) -> Vec<String> {
        let orphans = self.orphans(stored_keys);
        let mut remove: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, meta)| {
                let age = now - meta.stored_at;
                age >= meta.kind.ttl() || age < Duration::zero()
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in &remove {
            self.entries.remove(key);
        }
        remove.extend(orphans);
        remove
    }

    /// Stored cache keys (of any schema version) that this index does not name.
    pub fn orphans(&self, stored_keys: &[String]) -> Vec<String> {
        stored_keys
            .iter()
            .filter(|key| is_entry_key(key) && !self.entries.contains_key(key.as_str()))
            .cloned()
            .collect()
    }

    /// Storage is full: what to remove so that a write can succeed, most expendable first.
    /// Every stored key that looks like a cache entry (of any schema version) but is not in
    /// this index, then the least recently used half of the entries (at least one). The index
    /// forgets what it returns. Privacy choices, the session and the analytics queue are never
    /// cache entries, so they are never chosen.
    pub fn reclaim(&mut self, stored_keys: &[String]) -> Vec<String> {
        let mut remove = self.orphans(stored_keys);
        let mut by_use: Vec<(DateTime<Utc>, String)> = self
            .entries
            .iter()
            .map(|(key, meta)| (meta.last_used, key.clone()))
            .collect();
        by_use.sort();
        let count = by_use.len().div_ceil(2);
        for (_, key) in by_use.into_iter().take(count) {
            self.entries.remove(&key);
            remove.push(key);
        }
        remove
    }

    /// Every key (for sign-out and "clear local data").
    pub fn clear(&mut self) -> Vec<String> {
        std::mem::take(&mut self.entries).into_keys().collect()
    }

    fn total_bytes(&self) -> u64 {
        self.entries.values().map(|meta| meta.bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::CACHE_INDEX;

    fn t(minutes: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(minutes)
    }

    #[test]
    fn a_full_storage_gives_up_orphans_then_the_least_recently_used_half() {
        let mut index = CacheIndex::default();
        for (n, minutes) in [(1, 30), (2, 10), (3, 20), (4, 40), (5, 0)] {
            let k = key(Kind::Deal, "a", &format!("0065g00000AbCd{n}"));
            index.store(&k, Kind::Deal, 10, None, t(minutes), DEFAULT_BUDGET_BYTES);
        }
        let stored: Vec<String> = index
            .entries
            .keys()
            .cloned()
            .chain(
                [
                    "cc.v0.deal:a:0065g00000Old00",
                    "cc.v1.deal:a:0065g00000Lost0",
                    CACHE_INDEX,
                    "session",
                    "feature_analyticsOptOut",
                    "cc.analyticsQueue",
                    "cc.declineAi",
                    "cc.vx.other",
                ]
                .map(String::from),
            )
            .collect();
        let removed = index.reclaim(&stored);
        assert_eq!(
            removed,
            [
                "cc.v0.deal:a:0065g00000Old00".to_string(),
                "cc.v1.deal:a:0065g00000Lost0".to_string(),
                key(Kind::Deal, "a", "0065g00000AbCd5"),
                key(Kind::Deal, "a", "0065g00000AbCd2"),
                key(Kind::Deal, "a", "0065g00000AbCd3"),
            ]
        );
        assert_eq!(index.entries.len(), 2, "the two most recently used stay");
        assert!(CacheIndex::default().reclaim(&[]).is_empty());
        let mut one = CacheIndex::default();
        one.store("cc.v1.deal:a:x", Kind::Deal, 1, None, t(0), 10);
        assert_eq!(
            one.reclaim(&[]),
            ["cc.v1.deal:a:x"],
            "at least one entry goes"
        );
    }

    #[test]
    fn keys_are_per_org_and_record_whatever_the_id_form() {
        assert_eq!(
            key(Kind::Deal, "Acme.My.Salesforce.com", "0065g00000AbCdEAAV"),
            key(Kind::Deal, "acme.my.salesforce.com", "0065g00000AbCdE")
        );
        assert_ne!(
            key(Kind::Deal, "acme.my.salesforce.com", "0065g00000AbCdE"),
            key(Kind::Deal, "beta.my.salesforce.com", "0065g00000AbCdE")
        );
    }

    #[test]
    fn ttl_and_freshness_per_kind() {
        let mut index = CacheIndex::default();
        let deal = key(Kind::Deal, "a", "0065g00000AbCdE");
        let portfolio = key(Kind::Portfolio, "a", "me");
        index.store(
            &deal,
            Kind::Deal,
            10,
            Some("\"e1\"".into()),
            t(0),
            DEFAULT_BUDGET_BYTES,
        );
        index.store(
            &portfolio,
            Kind::Portfolio,
            10,
            None,
            t(0),
            DEFAULT_BUDGET_BYTES,
        );
        assert_eq!(
            index.lookup(&deal, t(60)),
            Lookup::Fresh,
            "one view, then a second: no request"
        );
        assert_eq!(
            index.lookup(&deal, t(12 * 60 - 1)),
            Lookup::Fresh,
            "a working day"
        );
        assert_eq!(
            index.lookup(&deal, t(12 * 60)),
            Lookup::Stale {
                etag: Some("\"e1\"".into())
            }
        );
        assert_eq!(
            index.lookup(&deal, t(24 * 60 - 1)),
            Lookup::Stale {
                etag: Some("\"e1\"".into())
            }
        );
        assert_eq!(index.lookup(&deal, t(24 * 60)), Lookup::Miss, "24 h");
        assert_eq!(index.lookup(&portfolio, t(54)), Lookup::Fresh);
        assert!(matches!(
            index.lookup(&portfolio, t(55)),
            Lookup::Stale { .. }
        ));
        assert_eq!(index.lookup(&portfolio, t(60)), Lookup::Miss, "1 h");
        index.revalidated(&deal, t(24 * 60 - 1));
        assert_eq!(
            index.lookup(&deal, t(24 * 60)),
            Lookup::Fresh,
            "a 304 renews"
        );
        let descriptions = key(Kind::Descriptions, "a", "en");
        index.store(
            &descriptions,
            Kind::Descriptions,
            10,
            None,
            t(0),
            DEFAULT_BUDGET_BYTES,
        );
        assert_eq!(
            index.sweep(t(7 * 24 * 60 - 1), &[]),
            [deal, portfolio],
            "the deal and the portfolio have expired"
        );
        assert_eq!(
            index.sweep(t(7 * 24 * 60), &[]),
            [descriptions],
            "descriptions at 7 days"
        );
        assert!(index.entries.is_empty());
    }

    #[test]
    fn the_sweep_removes_what_the_clock_stored_ahead_and_bodies_no_entry_names() {
        let mut index = CacheIndex::default();
        let ahead = key(Kind::Deal, "a", "0065g00000AbCd1");
        let kept = key(Kind::Deal, "a", "0065g00000AbCd2");
        index.store(&ahead, Kind::Deal, 10, None, t(90), DEFAULT_BUDGET_BYTES);
        index.store(&kept, Kind::Deal, 10, None, t(0), DEFAULT_BUDGET_BYTES);
        let orphan = key(Kind::Deal, "a", "0065g00000AbCd3");
        let stored: Vec<String> = [
            ahead.as_str(),
            kept.as_str(),
            orphan.as_str(),
            "cc.v0.deal:a:0065g00000Old00",
            CACHE_INDEX,
            "session",
            "cc.analyticsQueue",
            "feature_analyticsOptOut",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            index.sweep(t(30), &stored),
            [ahead, orphan, "cc.v0.deal:a:0065g00000Old00".to_string()]
        );
        assert_eq!(index.entries.keys().collect::<Vec<_>>(), [&kept]);
    }

    #[test]
    fn remembered_404s_count_toward_the_entry_cap() {
        let mut index = CacheIndex::default();
        for i in 0..MAX_ENTRIES {
            let k = key(Kind::Deal, "a", &format!("0065g0000{i:06}"));
            assert!(index
                .store(&k, Kind::Deal, 0, None, t(i as i64), DEFAULT_BUDGET_BYTES)
                .is_empty());
        }
        let newest = key(Kind::Deal, "a", "0065g00000ZzZzZ");
        let evicted = index.store(&newest, Kind::Deal, 0, None, t(1000), DEFAULT_BUDGET_BYTES);
        assert_eq!(evicted, [key(Kind::Deal, "a", "0065g0000000000")]);
        assert_eq!(index.entries.len(), MAX_ENTRIES);
        assert!(index.entries.contains_key(&newest));
    }

    #[test]
    fn the_least_recently_used_go_first() {
        let mut index = CacheIndex::default();
        for i in 0..5 {
            index.store(&format!("k{i}"), Kind::Deal, 100, None, t(i), 1000);
        }
        index.lookup("k0", t(10));
        let evicted = index.store("k5", Kind::Deal, 300, None, t(11), 500);
        assert_eq!(evicted, ["k1", "k2", "k3"]);
        assert!(index.entries.contains_key("k0"), "recently used stays");
        assert_eq!(
            index.store("huge", Kind::Deal, 700, None, t(12), 600),
            ["huge"]
        );
        assert!(!index.entries.contains_key("huge"));
    }

    #[test]
    fn other_schema_versions_and_corrupt_indexes_are_discarded() {
        let old = serde_json::json!({"version": 0, "entries": {"cc.v0.deal:a:1": {}}});
        let (index, orphaned) = CacheIndex::load(Some(&old));
        assert!(index.entries.is_empty());
        assert_eq!(orphaned, ["cc.v0.deal:a:1"]);
        let (_, orphaned) = CacheIndex::load(Some(&serde_json::json!("garbage")));
        assert!(orphaned.is_empty());
        let mut current = CacheIndex::default();
        current.store("k", Kind::Deal, 1, None, t(0), 10);
        let (loaded, orphaned) = CacheIndex::load(Some(&serde_json::to_value(&current).unwrap()));
        assert_eq!((loaded, orphaned.len()), (current, 0));
    }
}
