-- Indexes the city at scale asked for (issue 15, ARCHITECTURE.md "City scale").

-- A grid's open events: every grid summary (the grid list with its counts,
-- the walk map, coverage) counts them, and the walk map lists them. Without
-- this each summary scanned every event of the city (SQLite built an
-- automatic index per query).
CREATE INDEX events_grid ON events(grid_id, status);

-- A grid's recent visits (GET /api/grids/{id}/visits: the last 30 days,
-- paged, with their total): without this the count and the page scanned
-- every visit of the city.
CREATE INDEX visits_grid ON visits(grid_id, visited_on);
