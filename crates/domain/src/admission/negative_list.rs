//! The negative list (负面清单): matters communities must not take on.
//!
//! Configuration data (`crates/domain/admission-negative-list.json`). An
//! application whose text matches an entry is flagged to the reviewer with the
//! entry and the words that matched; the reviewer decides — a match is a
//! warning, not a refusal, because words alone cannot judge a work item.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// One entry of the negative list: a matter communities must not take on.
pub struct NegativeEntry {
    /// Stable code of the entry.
    pub code: String,
    /// The matter, in Chinese.
    pub title: String,
    /// Words whose presence in an application flags it.
    pub keywords: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
/// The negative list (负面清单) in force.
pub struct NegativeList {
    /// Where the list comes from, shown beside it.
    pub source: String,
    /// Its entries, in order.
    pub entries: Vec<NegativeEntry>,
}

/// One entry an application matched, and the words that matched it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegativeMatch {
    /// The entry's code.
    pub code: String,
    /// The entry's matter.
    pub title: String,
    /// The keywords found in the application.
    pub matched: Vec<String>,
}

impl NegativeList {
    /// The list shipped with Gongzhi.
    pub fn bundled() -> Self {
        serde_json::from_str(include_str!("../../admission-negative-list.json"))
            .expect("bundled negative list is valid")
    }

    /// Every entry `text` matches, in list order.
    pub fn matches(&self, text: &str) -> Vec<NegativeMatch> {
        self.entries
            .iter()
            .filter_map(|e| {
                let matched: Vec<String> = e.keywords.iter().filter(|k| text.contains(k.as_str())).cloned().collect();
                (!matched.is_empty()).then(|| NegativeMatch { code: e.code.clone(), title: e.title.clone(), matched })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_names_the_entry_and_the_words() {
        let list = NegativeList::bundled();
        let m = list.matches("请社区协助开展违章建筑拆迁摸底,并对商户进行执法检查和罚款");
        let codes: Vec<_> = m.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, vec!["law_enforcement", "land_demolition"]);
        assert_eq!(m[0].matched, vec!["执法检查", "罚款"]);
        assert!(list.matches("社区就业困难人员帮扶台账").is_empty());
    }

    #[test]
    fn the_list_is_well_formed() {
        let list = NegativeList::bundled();
        let mut codes: Vec<_> = list.entries.iter().map(|e| &e.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), list.entries.len());
        assert!(list.entries.iter().all(|e| !e.keywords.is_empty() && e.keywords.iter().all(|k| !k.trim().is_empty())));
    }
}
