//! Public disclosure of community affairs (居务公开) as stored: directory
//! items (one per community and code: the key decides), publications (one
//! per item and period: a partial unique index decides; never edited) and
//! residents' questions with their answers (answered once: a conditional
//! `UPDATE` decides).

use gongzhi_domain::disclosure::{DirectoryItem, DisclosureChannel, Publication, QuestionKind};
use sqlx::AnyConnection;

/// A community, by id.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
}

/// Community `id` (a node of level community), if it is one.
pub async fn community(conn: &mut AnyConnection, id: i64) -> Result<Option<CommunityRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, code, name, path FROM org_nodes WHERE id = $1 AND level = 'community'")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A directory item as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub community_id: i64,
    pub code: String,
    pub item: String,
    pub content: String,
    pub basis: String,
    pub frequency: String,
    pub channels: String,
    pub owner: String,
    pub since: String,
}

const ITEM: &str =
    "SELECT id, community_id, code, item, content, basis, frequency, channels, owner, since FROM disclosure_items";

/// The directory of `community`, in the order added.
pub async fn items(conn: &mut AnyConnection, community: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ITEM} WHERE community_id = $1 ORDER BY id")).bind(community).fetch_all(conn).await
}

/// Item `id`.
pub async fn item(conn: &mut AnyConnection, id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ITEM} WHERE id = $1")).bind(id).fetch_optional(conn).await
}

/// What a new item is stored with besides its content.
pub struct NewItem<'a> {
    pub community: i64,
    pub code: &'a str,
    pub since: chrono::NaiveDate,
    pub by: i64,
    pub at: &'a str,
}

/// Adds `item` to a community's directory; `false` when its code is there already.
pub async fn insert_item(conn: &mut AnyConnection, item: &DirectoryItem, n: &NewItem<'_>) -> Result<bool, sqlx::Error> {
    let channels: Vec<&str> = item.channels.iter().map(|c| c.code()).collect();
    let done = sqlx::query(
        "INSERT INTO disclosure_items (community_id, code, item, content, basis, frequency, channels, owner, since,
            added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT(community_id, code) DO NOTHING",
    )
    .bind(n.community)
    .bind(n.code)
    .bind(&item.item)
    .bind(&item.content)
    .bind(&item.basis)
    .bind(item.frequency.code())
    .bind(channels.join(","))
    .bind(&item.owner)
    .bind(n.since.to_string())
    .bind(n.by)
    .bind(n.at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An item's channels in words.
pub fn channels_label(stored: &str) -> String {
    stored
        .split(',')
        .filter_map(DisclosureChannel::from_code)
        .map(DisclosureChannel::label)
        .collect::<Vec<_>>()
        .join("、")
}

/// A publication with its item's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicationRow {
    pub id: i64,
    pub item_id: i64,
    pub item: String,
    pub period: String,
    pub title: String,
    pub body: String,
    pub attachments: String,
    pub published_on: String,
}

const PUBLICATION: &str = "SELECT p.id, p.item_id, i.item, p.period, p.title, p.body, p.attachments, p.published_on
     FROM disclosure_publications p JOIN disclosure_items i ON i.id = p.item_id";

/// The publications of `community`, newest first.
pub async fn publications(conn: &mut AnyConnection, community: i64) -> Result<Vec<PublicationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{PUBLICATION} WHERE i.community_id = $1 ORDER BY p.id DESC"))
        .bind(community)
        .fetch_all(conn)
        .await
}

/// Publication `id` and its item's community.
pub async fn publication_community(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.community_id FROM disclosure_publications p JOIN disclosure_items i ON i.id = p.item_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Publishes `p` against item `item`; its id, or `None` when the period is
/// published already (the unique index decides).
pub async fn insert_publication(
    conn: &mut AnyConnection,
    item: i64,
    p: &Publication,
    (on, by, at): (&str, i64, &str),
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO disclosure_publications (item_id, period, title, body, attachments, published_on, published_by,
            published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(item)
    .bind(p.period.as_ref().map_or("", |x| x.key.as_str()))
    .bind(&p.title)
    .bind(&p.body)
    .bind(serde_json::to_string(&p.attachments).unwrap_or_else(|_| "[]".into()))
    .bind(on)
    .bind(by)
    .bind(at)
    .fetch_optional(conn)
    .await
}

/// A question with its answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub publication_id: i64,
    pub kind: String,
    pub text: String,
    pub asked_on: String,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
}

/// The questions on `community`'s publications, in order.
pub async fn questions(conn: &mut AnyConnection, community: i64) -> Result<Vec<QuestionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.publication_id, q.kind, q.text, q.asked_on, q.answer, q.answered_on
         FROM disclosure_questions q JOIN disclosure_publications p ON p.id = q.publication_id
         JOIN disclosure_items i ON i.id = p.item_id WHERE i.community_id = $1 ORDER BY q.id",
    )
    .bind(community)
    .fetch_all(conn)
    .await
}

/// Question `id`'s community.
pub async fn question_community(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT i.community_id FROM disclosure_questions q JOIN disclosure_publications p ON p.id = q.publication_id
         JOIN disclosure_items i ON i.id = p.item_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records a question on `publication`; its id.
pub async fn insert_question(
    conn: &mut AnyConnection,
    publication: i64,
    (kind, text): (QuestionKind, &str),
    (by, at, on): (i64, &str, &str),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO disclosure_questions (publication_id, kind, text, asked_by, asked_at, asked_on)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(publication)
    .bind(kind.code())
    .bind(text)
    .bind(by)
    .bind(at)
    .bind(on)
    .fetch_one(conn)
    .await
}

/// How many questions account `by` left on civil day `on` (any community).
pub async fn questions_asked(conn: &mut AnyConnection, by: i64, on: &str) -> Result<u32, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disclosure_questions WHERE asked_by = $1 AND asked_on = $2")
        .bind(by)
        .bind(on)
        .fetch_one(conn)
        .await?;
    Ok(n as u32)
}

/// Answers question `id` once; `false` when it was answered already.
pub async fn answer(
    conn: &mut AnyConnection,
    id: i64,
    answer: &str,
    (by, on): (i64, &str),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE disclosure_questions SET answer = $1, answered_by = $2, answered_on = $3 WHERE id = $4 AND answer IS NULL",
    )
    .bind(answer)
    .bind(by)
    .bind(on)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
