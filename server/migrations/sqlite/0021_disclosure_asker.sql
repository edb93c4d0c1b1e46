-- 居务公开: a resident leaves at most a few questions a day
-- (gongzhi_domain::disclosure::QUESTIONS_PER_DAY), counted per asker and day.
CREATE INDEX disclosure_questions_asker ON disclosure_questions(asked_by, asked_on);
