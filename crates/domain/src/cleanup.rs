//! Cleanup (清理): work items, community bodies (机构), ledgers (台账) and
//! plaques (挂牌) that exceed community functions are cleaned up — plan
//! §二(一)1 "对超出社区职能……的工作事项、社区机构、社区台账、社区挂牌等工作任务及时进行清理".
//!
//! Each community keeps registers of what it carries, each entry with its
//! source department and basis. A campaign reviews entries one by one — keep,
//! merge into another entry, or remove — always with a reason; removed and
//! merged entries stay as history, and the counts before and after are kept.

use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldError, FieldErrorKind, Problems};

/// What a register entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 工作事项
    WorkItem,
    /// 社区机构
    Body,
    /// 台账
    Ledger,
    /// 挂牌
    Plaque,
}

impl EntryKind {
    /// Every value, in display order.
    pub const ALL: [EntryKind; 4] = [EntryKind::WorkItem, EntryKind::Body, EntryKind::Ledger, EntryKind::Plaque];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::WorkItem => "work_item",
            EntryKind::Body => "body",
            EntryKind::Ledger => "ledger",
            EntryKind::Plaque => "plaque",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::WorkItem => "工作事项",
            EntryKind::Body => "机构",
            EntryKind::Ledger => "台账",
            EntryKind::Plaque => "挂牌",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Where a register entry stands. Entries are never deleted: a merged or
/// removed entry stays as history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// 在册
    Active,
    /// 已合并 into another entry.
    Merged,
    /// 已清理
    Removed,
}

impl EntryStatus {
    /// Every value.
    pub const ALL: [EntryStatus; 3] = [EntryStatus::Active, EntryStatus::Merged, EntryStatus::Removed];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Active => "active",
            EntryStatus::Merged => "merged",
            EntryStatus::Removed => "removed",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            EntryStatus::Active => "在册",
            EntryStatus::Merged => "已合并",
            EntryStatus::Removed => "已清理",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a campaign stands: open for reviews, or closed with its counts after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// 进行中: entries may be reviewed.
    Open,
    /// 已结束: its counts after are kept.
    Closed,
}

impl CampaignStatus {
    /// Every value.
    pub const ALL: [CampaignStatus; 2] = [CampaignStatus::Open, CampaignStatus::Closed];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A campaign's verdict on one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 保留
    Keep,
    /// 合并 into another entry of the same community and kind.
    Merge,
    /// 清理(撤销)
    Remove,
}

impl Verdict {
    /// Every value, in display order.
    pub const ALL: [Verdict; 3] = [Verdict::Keep, Verdict::Merge, Verdict::Remove];

    /// Stable code, as stored and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Merge => "merge",
            Verdict::Remove => "remove",
        }
    }

    /// Chinese label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Keep => "保留",
            Verdict::Merge => "合并",
            Verdict::Remove => "清理",
        }
    }

    /// The value whose [code](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Whether the entry remains in force after the verdict.
    pub fn keeps(self) -> bool {
        self == Verdict::Keep
    }

    /// The entry's status after this verdict.
    pub fn entry_status(self) -> EntryStatus {
        match self {
            Verdict::Keep => EntryStatus::Active,
            Verdict::Merge => EntryStatus::Merged,
            Verdict::Remove => EntryStatus::Removed,
        }
    }
}

/// Field `community`, labelled “社区” in forms and messages.
pub const FIELD_COMMUNITY: Field = Field::new("community", "社区");
/// Field `kind`, labelled “类别” in forms and messages.
pub const FIELD_KIND: Field = Field::new("kind", "类别");
/// Field `name`, labelled “名称” in forms and messages.
pub const FIELD_NAME: Field = Field::new("name", "名称");
/// Field `source`, labelled “来源部门” in forms and messages.
pub const FIELD_SOURCE: Field = Field::new("source", "来源部门");
/// Field `basis`, labelled “设立依据” in forms and messages.
pub const FIELD_BASIS: Field = Field::new("basis", "设立依据");
/// Field `name`, labelled “清理行动名称” in forms and messages.
pub const FIELD_CAMPAIGN_NAME: Field = Field::new("name", "清理行动名称");
/// Field `verdict`, labelled “清理意见” in forms and messages.
pub const FIELD_VERDICT: Field = Field::new("verdict", "清理意见");
/// Field `merge_into`, labelled “并入的条目” in forms and messages.
pub const FIELD_MERGE_INTO: Field = Field::new("merge_into", "并入的条目");
/// Field `reason`, labelled “理由” in forms and messages.
pub const FIELD_REASON: Field = Field::new("reason", "理由");

/// A register entry as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    /// Community code.
    pub community: String,
    /// 类别.
    pub kind: String,
    /// 名称.
    pub name: String,
    /// 来源部门.
    pub source: String,
    /// 设立依据.
    pub basis: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A register entry (登记条目), checked.
pub struct Entry {
    /// 社区.
    pub community: String,
    /// 类别.
    pub kind: EntryKind,
    /// 名称.
    pub name: String,
    /// 来源部门.
    pub source: String,
    /// 设立依据.
    pub basis: String,
}

impl EntryInput {
    /// Checks the entry form; `community_exists` says whether a community code is in the caller's scope.
    pub fn parse(&self, community_exists: &dyn Fn(&str) -> bool) -> Result<Entry, Vec<FieldError>> {
        let mut p = Problems::new();
        let community = p.take(match self.community.trim() {
            "" => Err(FIELD_COMMUNITY.error(FieldErrorKind::Required)),
            c if !community_exists(c) => Err(FIELD_COMMUNITY.error(FieldErrorKind::UnknownOption { raw: c.into() })),
            c => Ok(c.to_string()),
        });
        let kind = p.take(match self.kind.trim() {
            "" => Err(FIELD_KIND.error(FieldErrorKind::Required)),
            k => {
                EntryKind::from_code(k).ok_or_else(|| FIELD_KIND.error(FieldErrorKind::UnknownOption { raw: k.into() }))
            }
        });
        let name = p.take(FIELD_NAME.required_text(&self.name, 60));
        let source = p.take(FIELD_SOURCE.required_text(&self.source, 60));
        let basis = p.take(FIELD_BASIS.required_text(&self.basis, 200));
        p.into_result(|| {
            Some(Entry { community: community?, kind: kind?, name: name?, source: source?, basis: basis? })
        })
    }
}

/// A review as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    /// 清理意见.
    pub verdict: String,
    /// Entry id, for a merge.
    pub merge_into: String,
    /// 理由.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
/// A verdict on one entry in a campaign (清理意见), checked.
pub struct Review {
    /// 清理意见.
    pub verdict: Verdict,
    /// 并入的条目.
    pub merge_into: Option<i64>,
    /// 理由.
    pub reason: String,
}

impl ReviewInput {
    /// `merge_target_ok(id)`: whether entry `id` is another entry in force of
    /// the same community and kind.
    pub fn parse(&self, merge_target_ok: &dyn Fn(i64) -> bool) -> Result<Review, Vec<FieldError>> {
        let mut p = Problems::new();
        let verdict = p.take(match self.verdict.trim() {
            "" => Err(FIELD_VERDICT.error(FieldErrorKind::Required)),
            v => Verdict::from_code(v)
                .ok_or_else(|| FIELD_VERDICT.error(FieldErrorKind::UnknownOption { raw: v.into() })),
        });
        let merge_into = if verdict == Some(Verdict::Merge) {
            p.take(FIELD_MERGE_INTO.required_id(&self.merge_into).and_then(|id| {
                if merge_target_ok(id) {
                    Ok(Some(id))
                } else {
                    Err(FIELD_MERGE_INTO.error(FieldErrorKind::UnknownOption { raw: id.to_string() }))
                }
            }))
        } else {
            Some(None)
        };
        let reason = p.take(FIELD_REASON.required_text(&self.reason, 500));
        p.into_result(|| Some(Review { verdict: verdict?, merge_into: merge_into?, reason: reason? }))
    }
}

/// Entries in force per kind: before a campaign and after it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Work items (工作事项).
    pub work_item: u32,
    /// Bodies (机构).
    pub body: u32,
    /// Ledgers (台账).
    pub ledger: u32,
    /// Plaques (牌子).
    pub plaque: u32,
}

impl Counts {
    /// Counts one more entry of `kind`.
    pub fn add(&mut self, kind: EntryKind) {
        *self.get_mut(kind) += 1;
    }

    fn get_mut(&mut self, kind: EntryKind) -> &mut u32 {
        match kind {
            EntryKind::WorkItem => &mut self.work_item,
            EntryKind::Body => &mut self.body,
            EntryKind::Ledger => &mut self.ledger,
            EntryKind::Plaque => &mut self.plaque,
        }
    }

    /// The count for `kind`.
    pub fn get(&self, kind: EntryKind) -> u32 {
        match kind {
            EntryKind::WorkItem => self.work_item,
            EntryKind::Body => self.body,
            EntryKind::Ledger => self.ledger,
            EntryKind::Plaque => self.plaque,
        }
    }

    /// All kinds together.
    pub fn total(&self) -> u32 {
        self.work_item + self.body + self.ledger + self.plaque
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &Counts) {
        for k in EntryKind::ALL {
            *self.get_mut(k) += other.get(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn an_entry_names_its_source_and_basis() {
        let errs = EntryInput { community: "NOPE".into(), kind: "plaque".into(), ..Default::default() }
            .parse(&|c| c == "DX-CD-XF")
            .unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field, e.code())).collect();
        assert_eq!(
            got,
            vec![
                ("community", "field_unknown_option"),
                ("name", "field_required"),
                ("source", "field_required"),
                ("basis", "field_required")
            ]
        );
    }

    #[test]
    fn a_merge_names_a_valid_target_and_every_verdict_a_reason() {
        let ok = |id: i64| id == 7;
        let r = ReviewInput { verdict: "merge".into(), merge_into: "7".into(), reason: "职能重复".into() };
        assert_eq!(r.parse(&ok).unwrap().merge_into, Some(7));
        let r = ReviewInput { verdict: "merge".into(), merge_into: "8".into(), reason: String::new() };
        let errs = r.parse(&ok).unwrap_err();
        assert_eq!(errs[0].message(), "并入的条目“8”不是可选的值,请从列表中选择。");
        assert_eq!(errs[1].message(), "请填写理由。");
        let r = ReviewInput { verdict: "remove".into(), merge_into: "8".into(), reason: "超出社区职能".into() };
        assert_eq!(
            r.parse(&ok).unwrap(),
            Review { verdict: Verdict::Remove, merge_into: None, reason: "超出社区职能".into() }
        );
    }

    #[test]
    fn counts_add_up() {
        let mut a = Counts::default();
        a.add(EntryKind::Plaque);
        a.add(EntryKind::Plaque);
        a.add(EntryKind::Ledger);
        let mut city = Counts::default();
        city.merge(&a);
        city.merge(&a);
        assert_eq!((city.plaque, city.ledger, city.total()), (4, 2, 6));
    }
}
