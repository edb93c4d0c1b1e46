//! Paged lists: `?page=&per_page=` on every list that could grow without
//! bound, and the total in `X-Total-Count` — the body stays the plain array
//! clients already read, and no list is cut short silently.

use axum::http::{HeaderMap, HeaderValue};
use axum::Json;
use serde::Deserialize;

use crate::error::AppError;

/// The largest page any list answers.
pub const MAX_PER_PAGE: u32 = 500;

#[derive(Clone, Copy, Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A page asked for: 1-based, at most [`MAX_PER_PAGE`] rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub page: u32,
    pub per_page: u32,
}

impl PageQuery {
    /// The page, with `default_per_page` when none is asked for.
    pub fn page(self, default_per_page: u32) -> Page {
        Page {
            page: self.page.unwrap_or(1).max(1),
            per_page: self.per_page.unwrap_or(default_per_page).clamp(1, MAX_PER_PAGE),
        }
    }
}

impl Page {
    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// This page's slice of a list already in order.
    pub fn slice<T>(self, mut all: Vec<T>) -> Vec<T> {
        let start = (self.offset() as usize).min(all.len());
        let end = (start + self.per_page as usize).min(all.len());
        all.truncate(end);
        all.drain(..start);
        all
    }
}

/// A list's `?q=`: trimmed, `None` when blank, refused (400, field `q`,
/// 搜索不能超过 N 个字) when longer than `max` characters.
pub fn search_term(raw: Option<&str>, max: usize) -> Result<Option<&str>, AppError> {
    let search = raw.map(str::trim).filter(|q| !q.is_empty());
    if search.is_some_and(|q| q.chars().count() > max) {
        let field = gongzhi_domain::Field::new("q", "搜索");
        return Err(AppError::fields(&[field.error(gongzhi_domain::FieldErrorKind::TooLong { max })]));
    }
    Ok(search)
}

/// A page of a list with its total, as the answer's headers say it.
pub type Paged<T> = Result<(HeaderMap, Json<Vec<T>>), AppError>;

pub fn paged<T>(items: Vec<T>, total: i64, page: Page) -> Paged<T> {
    let mut h = HeaderMap::new();
    h.insert("x-total-count", HeaderValue::from(total));
    h.insert("x-page", HeaderValue::from(page.page));
    h.insert("x-per-page", HeaderValue::from(page.per_page));
    Ok((h, Json(items)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_bounded_and_sliced() {
        let p = PageQuery { page: Some(0), per_page: Some(10_000) }.page(100);
        assert_eq!(p, Page { page: 1, per_page: MAX_PER_PAGE });
        let p = PageQuery { page: Some(2), per_page: Some(3) }.page(100);
        assert_eq!(p.slice((1..=7).collect()), vec![4, 5, 6]);
        assert_eq!(PageQuery { page: Some(9), per_page: Some(3) }.page(100).slice(vec![1, 2]), Vec::<i32>::new());
    }
}
