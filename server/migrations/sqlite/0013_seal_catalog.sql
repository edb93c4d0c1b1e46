-- Which edition of the seal catalogue (证明事项目录) decided each request
-- (`Catalog::version`, e.g. CN-2026.1). Requests recorded before this
-- migration keep '' (the catalogue then had no version).
ALTER TABLE seal_requests ADD COLUMN catalog_version TEXT NOT NULL DEFAULT '';
