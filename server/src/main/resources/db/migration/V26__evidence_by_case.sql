-- Issue 14: the evidence page lists a case's evidence; without this index every page view scanned every link.
CREATE INDEX evidence_links_case ON evidence_links (channel, case_id);
